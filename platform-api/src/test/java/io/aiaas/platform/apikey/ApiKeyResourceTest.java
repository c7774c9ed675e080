package io.aiaas.platform.apikey;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.platform.apikey.service.ApiKeyChanged;
import io.aiaas.platform.apikey.service.ApiKeys;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ApiKeyResourceTest {

    @Inject
    TestDb db;

    @Inject
    RevocationListener revocations;

    /** Records revocation events, as the gateway's key cache would receive them. */
    @ApplicationScoped
    static class RevocationListener {
        final List<UUID> revoked = new CopyOnWriteArrayList<>();

        void on(@Observes ApiKeyChanged event) {
            revoked.add(event.keyId());
        }

        // through a method: the injected reference is a client proxy, its fields are not the bean's
        List<UUID> revoked() {
            return revoked;
        }
    }

    @Test
    void memberCreatesKeyAndOnlyTheHashIsStored() {
        Api.TenantUser alice = Api.tenantWithAdmin();
        JsonPath created = Api.as(alice.token()).body(Map.of("name", "ci"))
                .post("/api/v1/tenants/" + alice.slug() + "/keys").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.containsString("/api/v1/tenants/" + alice.slug() + "/keys/"))
                .extract().jsonPath();
        String key = created.getString("key");
        assertTrue(key.matches("aiaas_[0-9A-Za-z]{40}"), key);
        assertTrue(ApiKeys.looksLikeKey(key));
        assertEquals(key.substring(0, 10), created.getString("prefix"));
        assertEquals(key.substring(key.length() - 4), created.getString("last_four"));

        Map<String, Object> row = db.query("SELECT * FROM api_keys WHERE id = ?",
                UUID.fromString(created.getString("id"))).get(0);
        assertArrayEquals(ApiKeys.hash(key), (byte[]) row.get("key_hash"));
        assertEquals(alice.email(), row.get("created_by"));
        assertFalse(row.values().stream().anyMatch(v -> key.equals(v)), "the secret itself is never stored");
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'api_key.created' AND target_id = ?",
                created.getString("id")));
    }

    @Test
    void listShowsPrefixAndLastFourButNeverTheSecret() {
        Api.TenantUser alice = Api.tenantWithAdmin();
        String key = Api.as(alice.token()).body(Map.of("name", "one")).post("/api/v1/tenants/" + alice.slug() + "/keys")
                .then().statusCode(201).extract().path("key");
        String list = Api.as(alice.token()).get("/api/v1/tenants/" + alice.slug() + "/keys").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0]", not(hasKey("key")))
                .body("[0].prefix", equalTo(ApiKeys.displayPrefix(key)))
                .body("[0].last_four", equalTo(ApiKeys.lastFour(key)))
                .body("[0].status", equalTo("active"))
                .extract().asString();
        assertFalse(list.contains(key));
    }

    @Test
    void revokeMarksKeyRevokedAndAnnouncesIt() {
        Api.TenantUser alice = Api.tenantWithAdmin();
        String id = Api.as(alice.token()).body(Map.of("name", "temp")).post("/api/v1/tenants/" + alice.slug() + "/keys")
                .then().statusCode(201).extract().path("id");
        Api.as(alice.token()).delete("/api/v1/tenants/" + alice.slug() + "/keys/" + id).then().statusCode(204);
        assertNotNull(db.query("SELECT revoked_at FROM api_keys WHERE id = ?", UUID.fromString(id)).get(0)
                .get("revoked_at"));
        Api.as(alice.token()).get("/api/v1/tenants/" + alice.slug() + "/keys").then()
                .body("[0].status", equalTo("revoked")).body("[0].revoked_at", notNullValue());
        assertTrue(revocations.revoked().contains(UUID.fromString(id)));
        // revoking again is harmless
        Api.as(alice.token()).delete("/api/v1/tenants/" + alice.slug() + "/keys/" + id).then().statusCode(204);
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'api_key.revoked' AND target_id = ?",
                id));
    }

    @Test
    void anotherTenantsKeyIdIs404AndStaysActive() {
        Api.TenantUser alice = Api.tenantWithAdmin();
        Api.TenantUser bob = Api.tenantWithAdmin();
        String bobsKey = Api.as(bob.token()).body(Map.of("name", "bob")).post("/api/v1/tenants/" + bob.slug() + "/keys")
                .then().statusCode(201).extract().path("id");
        Api.as(alice.token()).delete("/api/v1/tenants/" + alice.slug() + "/keys/" + bobsKey).then().statusCode(404)
                .body("code", equalTo("api_key_not_found"));
        assertNull(db.query("SELECT revoked_at FROM api_keys WHERE id = ?", UUID.fromString(bobsKey)).get(0)
                .get("revoked_at"));
    }

    @Test
    void userOfAnotherTenantGets404OnKeys() {
        Api.TenantUser alice = Api.tenantWithAdmin();
        Api.TenantUser bob = Api.tenantWithAdmin();
        Api.as(bob.token()).get("/api/v1/tenants/" + alice.slug() + "/keys").then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
        Api.as(bob.token()).body(Map.of("name", "sneaky")).post("/api/v1/tenants/" + alice.slug() + "/keys").then()
                .statusCode(404);
        // the same answer as for a tenant that does not exist: tenants cannot be enumerated
        Api.as(bob.token()).get("/api/v1/tenants/" + Api.unique("none") + "/keys").then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
        assertEquals(0, db.count("SELECT count(*) FROM api_keys k JOIN tenants t ON t.id = k.tenant_id"
                + " WHERE t.slug = ?", alice.slug()));
    }

    @Test
    void expiryMustBeInTheFutureAndNameIsRequired() {
        Api.TenantUser alice = Api.tenantWithAdmin();
        Api.as(alice.token()).body(Map.of("name", "old", "expires_at", "2020-01-01T00:00:00Z"))
                .post("/api/v1/tenants/" + alice.slug() + "/keys").then().statusCode(400)
                .body("violations.field", org.hamcrest.Matchers.hasItem("expires_at"));
        Api.as(alice.token()).body(Map.of()).post("/api/v1/tenants/" + alice.slug() + "/keys").then().statusCode(400)
                .body("violations.field", org.hamcrest.Matchers.hasItem("name"));
        String expires = Instant.now().plusSeconds(3600).toString();
        Api.as(alice.token()).body(Map.of("name", "soon", "expires_at", expires))
                .post("/api/v1/tenants/" + alice.slug() + "/keys").then().statusCode(201)
                .body("expires_at", notNullValue());
    }

    @Test
    void platformAdminManagesAnyTenantsKeysAndNoTokenIs401() {
        Api.TenantUser alice = Api.tenantWithAdmin();
        Api.as(Tokens.admin()).body(Map.of("name", "ops")).post("/api/v1/tenants/" + alice.slug() + "/keys").then()
                .statusCode(201);
        given().get("/api/v1/tenants/" + alice.slug() + "/keys").then().statusCode(401);
    }

    @Test
    void keyFormatHelpers() {
        String key = ApiKeys.generate();
        assertTrue(ApiKeys.looksLikeKey(key));
        assertFalse(ApiKeys.looksLikeKey(key + "x"));
        assertFalse(ApiKeys.looksLikeKey("aiaas_" + "-".repeat(40)));
        assertFalse(ApiKeys.looksLikeKey(null));
        assertFalse(ApiKeys.generate().equals(ApiKeys.generate()));
        assertEquals(32, ApiKeys.hash(key).length);
    }
}
