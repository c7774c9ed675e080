package io.aiaas.platform.apikey;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiaas.platform.testsupport.Api;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * PUT /api/v1/tenants/{slug}/keys/{id}/name: a key renamed keeps its secret and settings, the change audited with the
 * old and new names; validated as when issued; only tenant admins do it, and not to a revoked key.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ApiKeyRenameTest extends KeyLifecycleTestBase {

    @Test
    void aRenamedKeyKeepsItsSecretAndTheAuditSaysFromWhatToWhat() {
        JsonPath key = create("ci", null);
        String id = key.getString("id");
        Api.as(alice.token()).body(Map.of("name", "  nightly build  ")).put(keys() + "/" + id + "/name").then()
                .statusCode(200).body("name", equalTo("nightly build")).body("prefix", equalTo(key.getString("prefix")))
                .body("status", equalTo("active"));
        call(key.getString("key")).then().statusCode(200);
        Api.as(alice.token()).body(Map.of("name", "nightly build")).put(keys() + "/" + id + "/name").then()
                .statusCode(200);
        assertEquals(List.of("{\"to\": \"nightly build\", \"from\": \"ci\", \"name\": \"nightly build\"}"),
                db.query("SELECT details::text AS d FROM audit_log WHERE action = 'api_key.renamed' AND target_id = ?",
                        id).stream().map(r -> r.get("d")).toList());
    }

    @Test
    void namesAreValidatedAsWhenIssuedAndOnlyAdminsRenameALiveKey() {
        String id = create("k", null).getString("id");
        for (Object bad : new Object[] {"", "   ", "x".repeat(101), 5}) {
            Map<String, Object> body = new HashMap<>();
            body.put("name", bad);
            Api.as(alice.token()).body(body).put(keys() + "/" + id + "/name").then().statusCode(400);
        }
        Api.as(alice.token()).body(Map.of()).put(keys() + "/" + id + "/name").then().statusCode(400);
        Api.as(Api.userOf(alice.slug(), "member").token()).body(Map.of("name", "m")).put(keys() + "/" + id + "/name")
                .then().statusCode(403).body("code", equalTo("forbidden"));
        Api.TenantUser outsider = Api.tenantWithAdmin();
        Api.as(outsider.token()).body(Map.of("name", "o"))
                .put("/api/v1/tenants/" + outsider.slug() + "/keys/" + id + "/name").then().statusCode(404)
                .body("code", equalTo("api_key_not_found"));
        Api.as(alice.token()).delete(keys() + "/" + id).then().statusCode(204);
        Api.as(alice.token()).body(Map.of("name", "late")).put(keys() + "/" + id + "/name").then().statusCode(409)
                .body("code", equalTo("key_not_active"));
        assertEquals("k", db.value("SELECT name FROM api_keys WHERE id = ?", UUID.fromString(id)));
    }
}
