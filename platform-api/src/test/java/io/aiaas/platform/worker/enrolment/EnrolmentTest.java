package io.aiaas.platform.worker.enrolment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.internalauth.InvalidTokenException;
import io.aiaas.internalauth.Jwks;
import io.aiaas.internalauth.SigningKey;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.EnrolledWorker;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.aiaas.platform.worker.auth.ControlPlaneKeys;
import io.aiaas.platform.worker.auth.InternalAuth;
import io.aiaas.platform.worker.enrolment.service.EnrolmentTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Trust between processes on the control plane: enrolment tokens (good, used, expired, revoked), a worker's token is
 * good for its own identity only, unknown keys are refused, a control-plane token for one worker is refused by
 * another, worker key rotation, identity revocation. Real PostgreSQL, real HTTP.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class EnrolmentTest {

    @Inject
    TestDb db;

    @Inject
    InternalAuth internalAuth;

    @Inject
    ControlPlaneKeys controlPlaneKeys;

    private static String platformUrl() {
        return "http://localhost:" + RestAssured.port;
    }

    private static Response createToken(Map<String, Object> body) {
        return Api.as(Tokens.admin()).body(body).post("/admin/v1/workers/enrolment-tokens");
    }

    private static String newToken(Map<String, Object> body) {
        return createToken(body).then().statusCode(201).extract().path("token");
    }

    private static Response register(String token, String url) {
        return given().header("Authorization", "Bearer " + token).contentType("application/json")
                .body(Map.of("name", "w", "url", url, "device", "cpu")).post("/internal/v1/workers");
    }

    private static Response heartbeat(String token, Object workerId) {
        return given().header("Authorization", "Bearer " + token).contentType("application/json")
                .body(Map.of("outstanding", 7, "placements", List.of()))
                .post("/internal/v1/workers/" + workerId + "/heartbeat");
    }

    private static String uniqueUrl() {
        return "http://w-" + UUID.randomUUID().toString().substring(0, 8) + ".invalid:8090";
    }

    @Test
    void enrolmentWithAGoodTokenGivesAnIdentityTheControlPlaneKeysAndStoresOnlyTheHash() {
        Response created = createToken(Map.of("name", "gpu-pool", "uses", 1));
        created.then().statusCode(201).header("Location", containsString("/admin/v1/workers/enrolment-tokens/"))
                .body("token", startsWith(EnrolmentTokens.PREFIX)).body("uses_allowed", equalTo(1))
                .body("expires_at", notNullValue());
        String token = created.path("token");
        UUID tokenId = UUID.fromString(created.path("id"));
        // only the hash is kept, and no list shows the token
        assertThat(Arrays.equals((byte[]) db.value("SELECT token_sha256 FROM worker_enrolment_tokens WHERE id = ?",
                tokenId), EnrolmentTokens.hash(token)), equalTo(true));
        String list = Api.as(Tokens.admin()).get("/admin/v1/workers/enrolment-tokens").then().statusCode(200)
                .extract().asString();
        assertThat(list, containsString(tokenId.toString()));
        assertThat(list, not(containsString(token)));

        SigningKey key = SigningKey.generate();
        JsonNode enrolled = EnrolledWorker.enrolWith(platformUrl(), token, "gpu-0", key, 201);
        UUID identity = UUID.fromString(enrolled.get("identity_id").asText());
        assertThat(enrolled.get("key_id").asText(), equalTo(key.keyId()));
        Jwks jwks = Jwks.parse(enrolled.get("jwks").toString());
        assertThat(jwks.keyIds(), hasItem(controlPlaneKeys.signingKey().keyId()));
        assertThat(db.queryOne("SELECT name, enrolment_token_id FROM worker_identities WHERE id = ?", identity),
                equalTo(Map.of("name", "gpu-0", "enrolment_token_id", tokenId)));
        assertThat(db.value("SELECT identity_id FROM worker_identity_keys WHERE kid = ?", key.keyId()),
                equalTo(identity));
        assertThat(db.value("SELECT uses FROM worker_enrolment_tokens WHERE id = ?", tokenId), equalTo(1));
        // the published keys are the same, without a token
        given().get("/internal/v1/keys").then().statusCode(200)
                .body("keys.kid", hasItem(controlPlaneKeys.signingKey().keyId()))
                .body("keys[0].d", nullValue());
    }

    @Test
    void tokenUsedBeyondItsUsesIsRefusedWithAClearProblem() {
        String single = newToken(Map.of("name", "one"));
        EnrolledWorker.enrolWith(platformUrl(), single, "a", SigningKey.generate(), 201);
        JsonNode second = EnrolledWorker.enrolWith(platformUrl(), single, "b", SigningKey.generate(), 401);
        assertThat(second.get("code").asText(), equalTo("enrolment_token_invalid"));
        assertThat(second.get("detail").asText(), containsString("used up (1 of 1 uses)"));

        // a Deployment of 3 pods shares one token with uses = 3
        String pool = newToken(Map.of("name", "pool", "uses", 3));
        for (int i = 0; i < 3; i++) {
            EnrolledWorker.enrolWith(platformUrl(), pool, "pod-" + i, SigningKey.generate(), 201);
        }
        EnrolledWorker.enrolWith(platformUrl(), pool, "pod-3", SigningKey.generate(), 401);
        assertThat(db.count("SELECT count(*) FROM worker_identities WHERE name LIKE 'pod-%'"
                + " AND enrolment_token_id = (SELECT id FROM worker_enrolment_tokens WHERE token_sha256 = ?)",
                (Object) EnrolmentTokens.hash(pool)), equalTo(3L));
    }

    @Test
    void expiredRevokedAndUnknownTokensAreRefused() {
        Response created = createToken(Map.of("name", "late"));
        String late = created.path("token");
        db.update("UPDATE worker_enrolment_tokens SET expires_at = now() - interval '1 second' WHERE id = ?",
                UUID.fromString(created.path("id")));
        assertThat(EnrolledWorker.enrolWith(platformUrl(), late, "w", SigningKey.generate(), 401).get("detail")
                .asText(), containsString("expired"));

        Response revokedToken = createToken(Map.of("name", "revoked"));
        Api.as(Tokens.admin()).delete("/admin/v1/workers/enrolment-tokens/" + revokedToken.path("id"))
                .then().statusCode(204);
        assertThat(EnrolledWorker.enrolWith(platformUrl(), revokedToken.path("token"), "w", SigningKey.generate(),
                401).get("detail").asText(), containsString("revoked"));
        Api.as(Tokens.admin()).get("/admin/v1/workers/enrolment-tokens").then()
                .body("find { it.id == '" + revokedToken.path("id") + "' }.state", equalTo("revoked"));

        assertThat(EnrolledWorker.enrolWith(platformUrl(), EnrolmentTokens.generate(), "w", SigningKey.generate(),
                401).get("detail").asText(), containsString("not known"));
        assertThat(db.count("SELECT count(*) FROM worker_identities WHERE enrolment_token_id IN"
                + " (SELECT id FROM worker_enrolment_tokens WHERE name IN ('late', 'revoked'))"), equalTo(0L));
    }

    @Test
    void aKeyIsRegisteredOnceAndOnlyAdminsIssueTokens() {
        SigningKey key = SigningKey.generate();
        EnrolledWorker.enrolWith(platformUrl(), EnrolledWorker.bootstrapToken(), "a", key, 201);
        assertThat(EnrolledWorker.enrolWith(platformUrl(), EnrolledWorker.bootstrapToken(), "b", key, 409)
                .get("code").asText(), equalTo("worker_key_taken"));
        Api.as(Tokens.user("someone-" + UUID.randomUUID() + "@example.test")).body(Map.of("name", "x"))
                .post("/admin/v1/workers/enrolment-tokens").then().statusCode(403);
    }

    @Test
    void workerATokenCannotActForWorkerB() {
        EnrolledWorker a = EnrolledWorker.enrol();
        EnrolledWorker b = EnrolledWorker.enrol();
        register(a.token(), uniqueUrl()).then().statusCode(200).body("id", equalTo(a.id().toString()));
        register(b.token(), uniqueUrl()).then().statusCode(200).body("id", equalTo(b.id().toString()));
        Object beatBefore = db.value("SELECT last_heartbeat_at FROM workers WHERE id = ?", b.id());

        heartbeat(a.token(), b.id()).then().statusCode(403).body("code", equalTo("worker_identity_mismatch"));
        // A's key claiming to be B: the subject must be the identity of the signing key
        heartbeat(a.tokenClaiming(b.id().toString()), b.id()).then().statusCode(401)
                .body("detail", containsString("subject"));
        assertThat(db.queryOne("SELECT outstanding, last_heartbeat_at FROM workers WHERE id = ?", b.id()),
                equalTo(Map.of("outstanding", 0, "last_heartbeat_at", beatBefore)));
        heartbeat(b.token(), b.id()).then().statusCode(200);
        assertThat(db.value("SELECT outstanding FROM workers WHERE id = ?", b.id()), equalTo(7));
    }

    @Test
    void aLiveWorkersUrlCannotBeTakenByAnotherIdentity() {
        EnrolledWorker a = EnrolledWorker.enrol();
        EnrolledWorker b = EnrolledWorker.enrol();
        String url = uniqueUrl();
        register(a.token(), url).then().statusCode(200);
        register(b.token(), url).then().statusCode(409).body("code", equalTo("worker_url_taken"));
        assertThat(db.value("SELECT id FROM workers WHERE url = ?", url), equalTo(a.id()));
        // once A is silent, its address is free for B
        db.update("UPDATE workers SET status = 'DOWN' WHERE id = ?", a.id());
        register(b.token(), url).then().statusCode(200).body("id", equalTo(b.id().toString()));
        assertThat(db.count("SELECT count(*) FROM workers WHERE id = ?", a.id()), equalTo(0L));
    }

    @Test
    void tokenSignedByAnUnknownKeyIsRefused() {
        EnrolledWorker a = EnrolledWorker.enrol();
        String stranger = new io.aiaas.internalauth.InternalTokens().issue(SigningKey.generate(),
                io.aiaas.internalauth.Issuers.WORKER, io.aiaas.internalauth.Audiences.CONTROL_PLANE,
                a.id().toString(), java.time.Duration.ofSeconds(30));
        register(stranger, uniqueUrl()).then().statusCode(401).body("code", equalTo("internal_token_invalid"))
                .body("detail", containsString("unknown key"));
        given().header("Authorization", "Bearer " + stranger).get("/internal/v1/artifacts/any/1").then().statusCode(401);
    }

    @Test
    void controlPlaneTokenForWorkerAIsRefusedByWorkerB() {
        EnrolledWorker a = EnrolledWorker.enrol();
        EnrolledWorker b = EnrolledWorker.enrol();
        String forA = internalAuth.workerToken(a.id());
        a.verifyControlPlaneToken(forA);
        InvalidTokenException refused = assertThrows(InvalidTokenException.class, () -> b.verifyControlPlaneToken(forA));
        assertThat(refused.getMessage(), equalTo("token audience does not match"));
    }

    @Test
    void workerRotatesItsKeyWithoutDowntime() {
        EnrolledWorker worker = EnrolledWorker.enrol();
        String oldToken = worker.token();
        SigningKey next = SigningKey.generate();
        given().header("Authorization", "Bearer " + oldToken).contentType("application/json")
                .body(Map.of("public_key", next.publicJwk())).post("/internal/v1/workers/keys")
                .then().statusCode(201).body("key_id", equalTo(next.keyId()));
        String newToken = new io.aiaas.internalauth.InternalTokens().issue(next, io.aiaas.internalauth.Issuers.WORKER,
                io.aiaas.internalauth.Audiences.CONTROL_PLANE, worker.id().toString(), java.time.Duration.ofSeconds(30));
        // both keys work during the overlap
        register(oldToken, uniqueUrl()).then().statusCode(200);
        register(newToken, uniqueUrl()).then().statusCode(200);
        // a key cannot retire itself; the new one retires the old one
        given().header("Authorization", "Bearer " + oldToken)
                .delete("/internal/v1/workers/keys/" + worker.key().keyId()).then().statusCode(409)
                .body("code", equalTo("worker_key_in_use"));
        given().header("Authorization", "Bearer " + newToken)
                .delete("/internal/v1/workers/keys/" + worker.key().keyId()).then().statusCode(204);
        heartbeat(oldToken, worker.id()).then().statusCode(401).body("detail", containsString("unknown key"));
        heartbeat(newToken, worker.id()).then().statusCode(200);
        assertThat(db.value("SELECT retired_at IS NOT NULL FROM worker_identity_keys WHERE kid = ?",
                worker.key().keyId()), equalTo(true));
    }

    @Test
    void revokedIdentityIsRefusedAndItsRowIsGone() {
        EnrolledWorker worker = EnrolledWorker.enrol();
        register(worker.token(), uniqueUrl()).then().statusCode(200);
        Api.as(Tokens.admin()).get("/admin/v1/workers/identities").then().statusCode(200)
                .body("find { it.id == '" + worker.id() + "' }.keys[0].key_id", equalTo(worker.key().keyId()));
        Api.as(Tokens.admin()).delete("/admin/v1/workers/identities/" + worker.id()).then().statusCode(204);
        heartbeat(worker.token(), worker.id()).then().statusCode(401);
        assertThat(db.count("SELECT count(*) FROM workers WHERE id = ?", worker.id()), equalTo(0L));
        assertThat(db.value("SELECT revoked_at IS NOT NULL FROM worker_identities WHERE id = ?", worker.id()),
                equalTo(true));
    }
}
