package io.aiaas.worker.rest;

import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.Issuers;
import io.aiaas.internalauth.SigningKey;
import io.aiaas.worker.support.FakeControlPlane;
import io.aiaas.worker.support.Worker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The worker's side of trust between processes: it enrols with its own key (kept in files of mode 600), accepts only
 * tokens from the control plane's published keys addressed to its own identity, and follows a rotation of the
 * control plane's key.
 */
@QuarkusTest
class InternalAuthTest {

    private static final InternalTokens TOKENS = new InternalTokens();

    @Test
    void requestWithoutTokenIsRejected() {
        RestAssured.get("/v2").then().statusCode(401).body("error", containsString("missing bearer token"));
        RestAssured.given().contentType("application/json").body("{\"inputs\": []}").post("/v2/models/linear/infer")
                .then().statusCode(401).body("error", notNullValue());
        RestAssured.get("/v2/repository/index").then().statusCode(401);
        RestAssured.get("/q/openapi").then().statusCode(401);
    }

    @Test
    void enrolledIdentityIsKeptInPrivateFiles() throws Exception {
        String identity = FakeControlPlane.shared().identityId();
        Path dir = Path.of(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("aiaas.worker.identity-dir", String.class));
        assertThat(Files.readString(dir.resolve("identity.json")), containsString(identity));
        for (String file : List.of("key.pem", "identity.json")) {
            assertThat(file, PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(file))),
                    equalTo("rw-------"));
        }
        RestAssured.given().header("Authorization", "Bearer " + Worker.token()).get("/v2").then().statusCode(200);
    }

    @Test
    void tokenSignedByAnUnknownKeyIsRejected() {
        String forged = TOKENS.issue(SigningKey.generate(), Issuers.PLATFORM, FakeControlPlane.shared().identityId(),
                "x", Duration.ofMinutes(1));
        RestAssured.given().header("Authorization", "Bearer " + forged).get("/v2")
                .then().statusCode(401).body("error", containsString("unknown key"));
    }

    @Test
    void controlPlaneTokenForAnotherWorkerIsRejected() {
        FakeControlPlane cp = FakeControlPlane.shared();
        // what the control plane sends worker B, replayed against this worker (A)
        String forWorkerB = TOKENS.issue(cp.signingKey(), Issuers.PLATFORM, UUID.randomUUID().toString(),
                "platform-api", Duration.ofMinutes(1));
        RestAssured.given().header("Authorization", "Bearer " + forWorkerB).get("/v2")
                .then().statusCode(401).body("error", containsString("audience"));
        // a worker's token for the control plane opens nothing here
        String workerIssued = TOKENS.issue(cp.signingKey(), Issuers.WORKER, cp.identityId(), "x", Duration.ofMinutes(1));
        RestAssured.given().header("Authorization", "Bearer " + workerIssued).get("/v2").then().statusCode(401);
        RestAssured.given().header("Authorization", "Bearer not.a.jwt").get("/v2").then().statusCode(401);
        RestAssured.given().header("Authorization", "Basic YWxpY2U6YWxpY2U=").get("/v2").then().statusCode(401);
    }

    @Test
    void workerFollowsARotationOfTheControlPlaneKey() {
        FakeControlPlane cp = FakeControlPlane.shared();
        SigningKey old = cp.signingKey();
        SigningKey next = SigningKey.generate();
        try {
            RestAssured.given().header("Authorization", "Bearer " + Worker.token()).get("/v2").then().statusCode(200);
            int fetches = cp.keyFetches();
            // the control plane publishes the next key and signs with it: the worker meets an unknown kid, fetches
            // /internal/v1/keys and accepts the token
            cp.rotate(next, List.of(next, old));
            RestAssured.given().header("Authorization", "Bearer " + Worker.token()).get("/v2").then().statusCode(200);
            assertThat(cp.keyFetches(), greaterThan(fetches));
            String fromOld = TOKENS.issue(old, Issuers.PLATFORM, cp.identityId(), "platform-api", Duration.ofMinutes(5));
            RestAssured.given().header("Authorization", "Bearer " + fromOld).get("/v2").then().statusCode(200);
            // the old key is retired: after the worker's next refresh, tokens signed by it are refused
            cp.rotate(next, List.of(next));
            String unknown = TOKENS.issue(SigningKey.generate(), Issuers.PLATFORM, cp.identityId(), "x",
                    Duration.ofMinutes(1));
            RestAssured.given().header("Authorization", "Bearer " + unknown).get("/v2").then().statusCode(401);
            RestAssured.given().header("Authorization", "Bearer " + fromOld).get("/v2").then().statusCode(401)
                    .body("error", containsString("unknown key"));
            RestAssured.given().header("Authorization", "Bearer " + Worker.token()).get("/v2").then().statusCode(200);
        } finally {
            cp.rotate(old, List.of(old));
            RestAssured.given().header("Authorization", "Bearer " + Worker.token()).get("/v2").then().statusCode(200);
        }
    }

    @Test
    void healthProbesAreOpen() {
        RestAssured.get("/v2/health/live").then().statusCode(200).body("live", equalTo(true));
        RestAssured.get("/v2/health/ready").then().statusCode(200).body("ready", equalTo(true));
        RestAssured.get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.get("/q/health/live").then().statusCode(200);
        RestAssured.get("/q/health/ready").then().statusCode(200);
    }
}
