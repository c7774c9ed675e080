package io.aiaas.platform.apikey;

import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * PUT /api/v1/tenants/{slug}/keys/{id}/disabled: a key disabled for a while, without revoking it, has its calls
 * refused with 403 key_disabled and recorded (so usage by key shows who still calls with it) until it is enabled
 * again with the same secret; its settings still change meanwhile; only tenant admins do it.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ApiKeyDisableTest extends KeyLifecycleTestBase {

    @Test
    void aDisabledKeysCallsAreRefusedAndRecordedUntilItIsEnabledAgainWithTheSameSecret() {
        JsonPath key = create("batch", null);
        String secret = key.getString("key");
        String id = key.getString("id");
        call(secret).then().statusCode(200); // cached as enabled
        disabled(alice.token(), id, true).then().statusCode(200).body("id", equalTo(id))
                .body("status", equalTo("disabled")).body("disabled_at", notNullValue());
        call(secret).then().statusCode(403).body("error", containsString("this API key is disabled"));
        call(secret).then().statusCode(403);
        assertEquals(2, db.count("SELECT count(*) FROM usage_records WHERE api_key_id = ? AND status_code = 403"
                + " AND error_code = 'key_disabled' AND NOT billable", UUID.fromString(id)));
        Api.as(Api.userOf(alice.slug(), "member").token()).get(keys() + "/" + id).then().statusCode(200)
                .body("status", equalTo("disabled"));

        // its settings still change while it is disabled, and disabling it again changes nothing
        Api.as(alice.token()).body(Map.of("requests_per_minute", 10)).put(keys() + "/" + id + "/rate-limit").then()
                .statusCode(200).body("status", equalTo("disabled")).body("requests_per_minute", equalTo(10));
        disabled(alice.token(), id, true).then().statusCode(200).body("status", equalTo("disabled"));

        disabled(alice.token(), id, false).then().statusCode(200).body("status", equalTo("active"))
                .body("disabled_at", nullValue());
        call(secret).then().statusCode(200);
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'api_key.disabled' AND target_id = ?",
                id));
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'api_key.enabled' AND target_id = ?",
                id));
    }

    @Test
    void aKeyShowsWhereItWasLastUsedFromSoThatTheClientsOfADisabledKeyCanBeFound() {
        JsonPath key = create("old-client", null);
        String id = key.getString("id");
        Api.as(alice.token()).get(keys() + "/" + id).then().statusCode(200).body("last_used_from", nullValue())
                .body("last_used_at", nullValue());
        disabled(alice.token(), id, true).then().statusCode(200);
        call(key.getString("key")).then().statusCode(403);
        // written off the request path, within a few seconds: the address the gateway read (this test's loopback)
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> Api.as(alice.token())
                .get(keys() + "/" + id).then().statusCode(200).body("last_used_at", notNullValue())
                .body("last_used_from", anyOf(equalTo("127.0.0.1"), equalTo("0:0:0:0:0:0:0:1"), equalTo("::1"))));
    }

    @Test
    void aDisabledKeyRotatedGivesAnActiveReplacementWhileItStaysDisabled() {
        JsonPath old = create("leaked", null);
        disabled(alice.token(), old.getString("id"), true).then().statusCode(200);
        JsonPath fresh = Api.as(alice.token()).body(Map.of("overlap_seconds", 3600))
                .post(keys() + "/" + old.getString("id") + "/rotate").then().statusCode(201).extract().jsonPath();
        call(fresh.getString("key")).then().statusCode(200);
        call(old.getString("key")).then().statusCode(403);
        Api.as(alice.token()).get(keys() + "/" + fresh.getString("id")).then().statusCode(200)
                .body("status", equalTo("active"));
    }

    @Test
    void onlyTheTenantsAdminsDisableALiveKeyAndTheFieldIsRequired() {
        String id = create("k", null).getString("id");
        Api.as(alice.token()).body(Map.of()).put(keys() + "/" + id + "/disabled").then().statusCode(400);
        for (Object bad : new Object[] {"yes", 1, "true "}) {
            Map<String, Object> body = new HashMap<>();
            body.put("disabled", bad);
            Api.as(alice.token()).body(body).put(keys() + "/" + id + "/disabled").then().statusCode(400)
                    .body("code", notNullValue());
        }
        Map<String, Object> none = new HashMap<>();
        none.put("disabled", null);
        Api.as(alice.token()).body(none).put(keys() + "/" + id + "/disabled").then().statusCode(400);
        Api.as(Api.userOf(alice.slug(), "member").token()).body(Map.of("disabled", true))
                .put(keys() + "/" + id + "/disabled").then().statusCode(403).body("code", equalTo("forbidden"));
        Api.TenantUser outsider = Api.tenantWithAdmin();
        Api.as(outsider.token()).body(Map.of("disabled", true)).put(keys() + "/" + id + "/disabled").then()
                .statusCode(404).body("code", equalTo("tenant_not_found"));
        Api.as(outsider.token()).body(Map.of("disabled", true))
                .put("/api/v1/tenants/" + outsider.slug() + "/keys/" + id + "/disabled").then().statusCode(404)
                .body("code", equalTo("api_key_not_found"));
        assertEquals(null, db.value("SELECT disabled_at FROM api_keys WHERE id = ?", UUID.fromString(id)));

        disabled(Tokens.admin(), id, true).then().statusCode(200).body("status", equalTo("disabled"));
        Api.as(alice.token()).delete(keys() + "/" + id).then().statusCode(204);
        disabled(alice.token(), id, false).then().statusCode(409).body("code", equalTo("key_not_active"));
        Api.as(alice.token()).get(keys() + "/" + id).then().statusCode(200).body("status", equalTo("revoked"));
    }

    private Response disabled(String token, String id, boolean disabled) {
        return Api.as(token).body(Map.of("disabled", disabled)).put(keys() + "/" + id + "/disabled");
    }
}
