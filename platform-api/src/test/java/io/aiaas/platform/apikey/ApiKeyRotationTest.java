package io.aiaas.platform.apikey;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.platform.apikey.service.ApiKeys;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * POST /api/v1/tenants/{slug}/keys/{id}/rotate: a new key with the old one's name, the old key working until the
 * overlap ends and not after, on this replica and (by NOTIFY) on every other.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ApiKeyRotationTest extends KeyLifecycleTestBase {

    Response rotate(String token, String id, Object body) {
        var request = Api.as(token);
        if (body != null) {
            request.body(body);
        }
        return request.post(keys() + "/" + id + "/rotate");
    }

    static void near(Instant expected, Instant actual, Duration tolerance) {
        assertTrue(actual != null && Duration.between(expected, actual).abs().compareTo(tolerance) <= 0,
                "expected about " + expected + ", got " + actual);
    }

    @Test
    void oldKeyWorksDuringTheOverlapAndStopsAfterItAndTheNewKeyWorks() {
        JsonPath old = create("ci", null);
        String oldKey = old.getString("key");
        call(oldKey).then().statusCode(200); // now in the key cache

        Instant before = Instant.now();
        Response rotated = rotate(alice.token(), old.getString("id"), Map.of("overlap_seconds", 2));
        rotated.then().statusCode(201).body("name", equalTo("ci")).body("expires_at", nullValue())
                .header("Location", containsString(keys() + "/" + rotated.path("id")));
        String newKey = rotated.path("key");
        String newId = rotated.path("id");
        assertTrue(ApiKeys.looksLikeKey(newKey));
        assertEquals(ApiKeys.displayPrefix(newKey), rotated.path("prefix"));
        assertEquals(ApiKeys.lastFour(newKey), rotated.path("last_four"));
        near(before.plusSeconds(2), expiresAt(old.getString("id")), Duration.ofSeconds(2));
        assertNull(expiresAt(newId));

        call(oldKey).then().statusCode(200);
        call(newKey).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> call(oldKey).statusCode() == 401);
        call(oldKey).then().statusCode(401).body("error", equalTo("API key has expired"));
        call(newKey).then().statusCode(200);

        Api.as(alice.token()).get(keys()).then().statusCode(200)
                .body("find { it.id == '" + old.getString("id") + "' }.status", equalTo("expired"))
                .body("find { it.id == '" + newId + "' }.status", equalTo("active"))
                .body("find { it.id == '" + newId + "' }", not(org.hamcrest.Matchers.hasKey("key")));
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'api_key.rotated' AND target_id = ?"
                + " AND details->>'new_key_id' = ? AND details->>'overlap_seconds' = '2'", old.getString("id"), newId));
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'api_key.created' AND target_id = ?"
                + " AND details->>'rotated_from' = ?", newId, old.getString("id")));
    }

    @Test
    void zeroOverlapStopsTheOldKeyOnThisReplicaAtOnceAndItCannotBeRotatedAgain() {
        JsonPath old = create("now", null);
        call(old.getString("key")).then().statusCode(200); // cached: only the change event can drop it this fast
        String newKey = rotate(alice.token(), old.getString("id"), Map.of("overlap_seconds", 0)).then()
                .statusCode(201).extract().path("key");
        call(old.getString("key")).then().statusCode(401).body("error", equalTo("API key has expired"));
        call(newKey).then().statusCode(200);
        rotate(alice.token(), old.getString("id"), Map.of()).then().statusCode(409)
                .body("code", equalTo("key_not_active"));
        assertEquals(2, db.count("SELECT count(*) FROM api_keys k JOIN tenants t ON t.id = k.tenant_id"
                + " WHERE t.slug = ? AND k.name = 'now'", alice.slug()));
    }

    @Test
    void expiryBroughtForwardByAnotherReplicaIsHonouredWithin1s() {
        JsonPath key = create("remote", null);
        call(key.getString("key")).then().statusCode(200);
        // as another replica's rotation commits: the row changes and its NOTIFY arrives, no event in this process
        db.query("""
                WITH k AS (UPDATE api_keys SET expires_at = now() WHERE id = ? RETURNING id)
                SELECT pg_notify('aiaas_api_key_changed', id::text) FROM k""", UUID.fromString(key.getString("id")));
        long changedAt = System.nanoTime();
        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> call(key.getString("key")).statusCode() == 401);
        assertThat(System.nanoTime() - changedAt, lessThan(1_000_000_000L));
    }

    @Test
    void defaultOverlapIsAnHourAndALaterExpiryCarriesOverToTheNewKey() {
        JsonPath plain = create("plain", null);
        Instant before = Instant.now();
        rotate(alice.token(), plain.getString("id"), Map.of()).then().statusCode(201);
        near(before.plusSeconds(3600), expiresAt(plain.getString("id")), Duration.ofSeconds(5));
        JsonPath noBody = create("no-body", null);
        rotate(alice.token(), noBody.getString("id"), null).then().statusCode(201);
        near(before.plusSeconds(3600), expiresAt(noBody.getString("id")), Duration.ofSeconds(5));

        Instant later = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        JsonPath expiring = create("expiring", later);
        String newId = rotate(alice.token(), expiring.getString("id"), Map.of("overlap_seconds", 60)).then()
                .statusCode(201).body("expires_at", equalTo(later.toString())).extract().path("id");
        assertEquals(later, expiresAt(newId));
        near(Instant.now().plusSeconds(60), expiresAt(expiring.getString("id")), Duration.ofSeconds(5));

        // an expiry inside the overlap stays as it was; the new key then has none
        Instant soon = Instant.now().plus(Duration.ofMinutes(30)).truncatedTo(ChronoUnit.SECONDS);
        JsonPath short_ = create("short", soon);
        rotate(alice.token(), short_.getString("id"), Map.of("overlap_seconds", 3600)).then().statusCode(201)
                .body("expires_at", nullValue());
        assertEquals(soon, expiresAt(short_.getString("id")));
    }

    @Test
    void revokedOrExpiredKeysAreNotRotated() {
        JsonPath revoked = create("revoked", null);
        Api.as(alice.token()).delete(keys() + "/" + revoked.getString("id")).then().statusCode(204);
        rotate(alice.token(), revoked.getString("id"), Map.of()).then().statusCode(409)
                .body("code", equalTo("key_not_active")).body("detail", containsString("revoked"));
        JsonPath expired = create("expired", null);
        db.update("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = ?",
                UUID.fromString(expired.getString("id")));
        rotate(alice.token(), expired.getString("id"), Map.of()).then().statusCode(409)
                .body("code", equalTo("key_not_active")).body("detail", containsString("expired"));
        assertEquals(1, db.count("SELECT count(*) FROM api_keys WHERE name = 'revoked' AND tenant_id ="
                + " (SELECT id FROM tenants WHERE slug = ?)", alice.slug()));
    }

    @Test
    void onlyTenantAdminsRotateAndOutsidersDoNotLearnTheTenant() {
        JsonPath key = create("guarded", null);
        String member = Api.userOf(alice.slug(), "member").token();
        rotate(member, key.getString("id"), Map.of()).then().statusCode(403).body("code", equalTo("forbidden"));
        Api.TenantUser bob = Api.tenantWithAdmin();
        rotate(bob.token(), key.getString("id"), Map.of()).then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
        // bob's own tenant with alice's key id: not found, like an unknown id
        Api.as(bob.token()).body(Map.of()).post("/api/v1/tenants/" + bob.slug() + "/keys/" + key.getString("id")
                + "/rotate").then().statusCode(404).body("code", equalTo("api_key_not_found"));
        rotate(alice.token(), UUID.randomUUID().toString(), Map.of()).then().statusCode(404)
                .body("code", equalTo("api_key_not_found"));
        assertNull(expiresAt(key.getString("id")));
        assertEquals(1, db.count("SELECT count(*) FROM api_keys WHERE name = 'guarded' AND tenant_id ="
                + " (SELECT id FROM tenants WHERE slug = ?)", alice.slug()));
        // a platform admin may
        rotate(Tokens.admin(), key.getString("id"), Map.of("overlap_seconds", 604800)).then().statusCode(201);
    }

    @Test
    void overlapMustBeAWholeNumberOfSecondsUpToSevenDays() {
        JsonPath key = create("bounds", null);
        for (Object bad : new Object[] {-1, 604801, "60", 1.5, true}) {
            rotate(alice.token(), key.getString("id"), Map.of("overlap_seconds", bad)).then().statusCode(400)
                    .body("detail", containsString("overlap_seconds"));
        }
        rotate(alice.token(), key.getString("id"), Map.of("overlap_seconds",
                new java.math.BigInteger("92233720368547758070"))).then().statusCode(400);
        rotate(alice.token(), key.getString("id"), Map.of("overlap", 5)).then().statusCode(400)
                .body("detail", containsString("overlap"));
        assertNull(expiresAt(key.getString("id")));
        Api.as(alice.token()).get(keys()).then().statusCode(200).body("size()", equalTo(1));
    }
}
