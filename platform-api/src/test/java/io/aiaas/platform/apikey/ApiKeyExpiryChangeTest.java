package io.aiaas.platform.apikey;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.aiaas.platform.apikey.service.ApiKeyExpiryNotices;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * PUT /api/v1/tenants/{slug}/keys/{id}/expiry: a key's expiry moved later, sooner or to never without a new secret,
 * honoured by the gateway at once, with the expiry notice following the new date; an expired or revoked key stays so.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ApiKeyExpiryChangeTest extends KeyLifecycleTestBase {

    @Inject
    ApiKeyExpiryNotices notices;

    @Test
    void aKeyAboutToExpireIsExtendedAndKeepsWorkingPastItsOldExpiry() throws InterruptedException {
        Instant soon = Instant.now().plusSeconds(4);
        JsonPath key = create("nightly", soon);
        call(key.getString("key")).then().statusCode(200); // cached with its old expiry
        Instant later = Instant.now().plus(Duration.ofDays(90)).truncatedTo(ChronoUnit.SECONDS);
        setExpiry(alice.token(), key.getString("id"), later).then().statusCode(200)
                .body("id", equalTo(key.getString("id"))).body("expires_at", equalTo(later.toString()))
                .body("status", equalTo("active")).body("prefix", equalTo(key.getString("prefix")));
        assertEquals(later, expiresAt(key.getString("id")));
        // past the old expiry the same secret still works: the cache took the new date
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), soon).toMillis() + 500));
        call(key.getString("key")).then().statusCode(200);
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'api_key.expiry_changed'"
                + " AND target_id = ? AND details->>'to' = ?", key.getString("id"), later.toString()));
        // the same expiry again changes nothing
        setExpiry(alice.token(), key.getString("id"), later).then().statusCode(200);
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'api_key.expiry_changed'"
                + " AND target_id = ?", key.getString("id")));
    }

    @Test
    void anExpiryBroughtForwardStopsTheKeyAndNeverMeansNoExpiry() {
        JsonPath key = create("short", null);
        call(key.getString("key")).then().statusCode(200);
        setExpiry(alice.token(), key.getString("id"), Instant.now().plusSeconds(1)).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> call(key.getString("key")).statusCode() == 401);
        call(key.getString("key")).then().body("error", equalTo("API key has expired"));
        setExpiry(alice.token(), key.getString("id"), Instant.now().plus(Duration.ofDays(1))).then().statusCode(409)
                .body("code", equalTo("key_not_active")).body("detail", containsString("expired"));

        JsonPath forever = create("forever", Instant.now().plus(Duration.ofDays(3)));
        setExpiry(alice.token(), forever.getString("id"), null).then().statusCode(200)
                .body("expires_at", nullValue());
        assertNull(expiresAt(forever.getString("id")));
        Api.as(alice.token()).get(keys() + "/" + forever.getString("id")).then().statusCode(200)
                .body("expires_at", nullValue()).body("status", equalTo("active"));
    }

    @Test
    void theExpiryNoticeFollowsTheNewDate() {
        UUID tenant = (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", alice.slug());
        db.update("UPDATE tenants SET webhook_url = ?, webhook_secret = ? WHERE id = ?",
                "https://hooks.example.test/aiaas", "whsec_" + UUID.randomUUID(), tenant);
        // told once for its first expiry, three days away
        JsonPath key = create("told", Instant.now().plus(Duration.ofDays(30)));
        db.update("UPDATE api_keys SET expires_at = now() + interval '3 days' WHERE id = ?",
                UUID.fromString(key.getString("id")));
        notices.announceDue();
        assertEquals(1, notices(tenant, key.getString("id")));

        // extended by a month: nothing now, and a second notice when the new date comes within the week
        setExpiry(alice.token(), key.getString("id"), Instant.now().plus(Duration.ofDays(33))).then().statusCode(200);
        assertNull(db.value("SELECT expiry_notice_at FROM api_keys WHERE id = ?", UUID.fromString(key.getString("id"))));
        notices.announceDue();
        assertEquals(1, notices(tenant, key.getString("id")));
        db.update("UPDATE api_keys SET expires_at = now() + interval '2 days' WHERE id = ?",
                UUID.fromString(key.getString("id")));
        notices.announceDue();
        assertEquals(2, notices(tenant, key.getString("id")));

        // a date the tenant chooses inside the week is its own choice: never announced
        JsonPath chosen = create("chosen", null);
        setExpiry(alice.token(), chosen.getString("id"), Instant.now().plus(Duration.ofDays(2))).then()
                .statusCode(200);
        assertNotNull(db.value("SELECT expiry_notice_at FROM api_keys WHERE id = ?",
                UUID.fromString(chosen.getString("id"))));
        notices.announceDue();
        assertEquals(0, notices(tenant, chosen.getString("id")));
    }

    @Test
    void refusalsChangeNothing() {
        Instant original = Instant.now().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
        JsonPath key = create("expiry-guarded", original);
        String id = key.getString("id");
        Instant wanted = Instant.now().plus(Duration.ofDays(20));
        String member = Api.userOf(alice.slug(), "member").token();
        setExpiry(member, id, wanted).then().statusCode(403).body("code", equalTo("forbidden"));
        Api.TenantUser bob = Api.tenantWithAdmin();
        setExpiry(bob.token(), id, wanted).then().statusCode(404).body("code", equalTo("tenant_not_found"));
        Api.as(bob.token()).body(Map.of("expires_at", wanted.toString()))
                .put("/api/v1/tenants/" + bob.slug() + "/keys/" + id + "/expiry").then().statusCode(404)
                .body("code", equalTo("api_key_not_found"));
        setExpiry(alice.token(), UUID.randomUUID().toString(), wanted).then().statusCode(404)
                .body("code", equalTo("api_key_not_found"));
        setExpiry(alice.token(), id, Instant.now().minusSeconds(60)).then().statusCode(400)
                .body("code", equalTo("validation_failed")).body("detail", containsString("expires_at"));
        Api.as(alice.token()).body(Map.of()).put(keys() + "/" + id + "/expiry").then().statusCode(400)
                .body("detail", containsString("expires_at"));
        Api.as(alice.token()).body(Map.of("expires_at", "tomorrow")).put(keys() + "/" + id + "/expiry").then()
                .statusCode(400);
        JsonPath revoked = create("expiry-revoked", null);
        Api.as(alice.token()).delete(keys() + "/" + revoked.getString("id")).then().statusCode(204);
        setExpiry(alice.token(), revoked.getString("id"), wanted).then().statusCode(409)
                .body("code", equalTo("key_not_active")).body("detail", containsString("revoked"));
        assertNull(expiresAt(revoked.getString("id")));
        assertEquals(original, expiresAt(id));
        assertEquals(0, db.count("SELECT count(*) FROM audit_log WHERE action = 'api_key.expiry_changed'"
                + " AND tenant_id = (SELECT id FROM tenants WHERE slug = ?)", alice.slug()));
        // a platform admin may
        setExpiry(Tokens.admin(), id, wanted).then().statusCode(200);
    }

    Response setExpiry(String token, String id, Instant expiresAt) {
        Map<String, Object> body = new HashMap<>();
        body.put("expires_at", expiresAt == null ? null : expiresAt.toString());
        return Api.as(token).body(body).put(keys() + "/" + id + "/expiry");
    }

    long notices(UUID tenant, String keyId) {
        return db.count("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ? AND event_type = ?"
                + " AND payload->'data'->>'key_id' = ?", tenant, ApiKeyExpiryNotices.EXPIRING_EVENT, keyId);
    }
}
