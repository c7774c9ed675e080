package io.aiaas.platform.gateway;

import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.FakeWorker;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;

import io.aiaas.platform.testsupport.Fixtures.Model;
import io.aiaas.platform.testsupport.Fixtures.Tenant;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.UsageRows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** API key authentication on /v2: every rejection is 401 (403 for a suspended tenant) and leaves no usage row. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ApiKeyAuthenticationTest {

    @Inject
    Fixtures fixtures;

    @Inject
    UsageRows usage;

    @Inject
    TestDb db;

    Tenant tenant;
    Model model;

    @BeforeEach
    void setUp() {
        tenant = fixtures.tenant();
        model = fixtures.model("PUBLIC", null);
    }

    private io.restassured.response.Response metadata(String authorization) {
        var request = given();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.get("/v2/models/" + model.name());
    }

    @Test
    void missingKeyIsRejected() {
        metadata(null).then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body("error", containsString("missing API key"));
    }

    @Test
    void malformedAuthorizationIsRejected() {
        metadata("Basic dXNlcjpwYXNz").then().statusCode(401).body("error", containsString("malformed"));
        metadata("Bearer not-a-key").then().statusCode(401).body("error", containsString("malformed API key"));
    }

    @Test
    void unknownKeyIsRejected() {
        metadata("Bearer aiaas_" + "x".repeat(40)).then().statusCode(401).body("error", equalTo("unknown API key"));
    }

    @Test
    void validKeyIsAcceptedAndMetered() {
        String key = fixtures.key(tenant);
        metadata("Bearer " + key).then().statusCode(200).body("name", equalTo(model.name()));
        List<UsageRows.Row> rows = usage.ofKey(key);
        assertThat(rows, hasSize(1));
        rows.get(0).tenant(tenant.id()).endpoint("metadata").status(200).billable(false);
    }

    @Test
    void revokedKeyIsRejectedWithin1s() {
        String key = fixtures.key(tenant);
        metadata("Bearer " + key).then().statusCode(200);
        fixtures.revoke(key);
        long revokedAt = System.nanoTime();
        AtomicInteger servedAfterRevocation = new AtomicInteger();
        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).until(() -> {
            int status = metadata("Bearer " + key).statusCode();
            if (status == 200) {
                servedAfterRevocation.incrementAndGet();
            }
            return status == 401;
        });
        assertThat(System.nanoTime() - revokedAt, lessThan(1_000_000_000L));
        metadata("Bearer " + key).then().statusCode(401).body("error", equalTo("API key has been revoked"));
        // the 401s reached no valid key, so only the served calls were metered
        assertThat(usage.ofKey(key), hasSize(1 + servedAfterRevocation.get()));
    }

    @Test
    void expiredKeyIsRejected() {
        String key = fixtures.key(tenant, OffsetDateTime.now().minusSeconds(1));
        metadata("Bearer " + key).then().statusCode(401).body("error", equalTo("API key has expired"));
        assertThat(usage.ofKey(key), empty());
    }

    @Test
    void suspendedTenantIsForbiddenWithin1s() {
        String key = fixtures.key(tenant);
        metadata("Bearer " + key).then().statusCode(200);
        fixtures.setStatus(tenant, "SUSPENDED");
        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> metadata("Bearer " + key).statusCode() == 403);
        metadata("Bearer " + key).then().statusCode(403).body("error", containsString("suspended"));
        fixtures.setStatus(tenant, "ACTIVE");
        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> metadata("Bearer " + key).statusCode() == 200);
    }

    @Test
    void lastUsedIsWrittenOffThePath() {
        String key = fixtures.key(tenant);
        metadata("Bearer " + key).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(12)).until(() -> db.value(
                "SELECT last_used_at FROM api_keys WHERE id = ?", fixtures.keyId(key)) != null);
    }
}
