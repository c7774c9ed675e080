package io.aiaas.platform.tenant;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class TenantResourceTest {

    @Inject
    TestDb db;

    @Test
    void adminCreatesTenantWithLocationAndAuditEntry() {
        String slug = Api.unique("acme");
        Api.as(Tokens.admin()).body(Map.of("slug", slug, "name", "Acme Corp")).post("/admin/v1/tenants").then()
                .statusCode(201)
                .header("Location", endsWith("/admin/v1/tenants/" + slug))
                .body("slug", equalTo(slug)).body("name", equalTo("Acme Corp")).body("status", equalTo("active"))
                .body("created_at", org.hamcrest.Matchers.notNullValue())
                .body("signed_up_by", org.hamcrest.Matchers.nullValue());
        Api.as(Tokens.admin()).get("/admin/v1/tenants/" + slug).then().statusCode(200).body("name", equalTo("Acme Corp"));
        Api.as(Tokens.admin()).get("/admin/v1/tenants").then().statusCode(200).body("slug", hasItem(slug));
        assertEquals(1, db.count("SELECT count(*) FROM audit_log a JOIN tenants t ON t.id = a.tenant_id"
                + " WHERE t.slug = ? AND a.action = 'tenant.created' AND a.actor = 'admin@aiaas.test'", slug));
    }

    @Test
    void theAdminFindsTenantsByStatusAndTextAPageAtATime() {
        // slugs and names of their own, so that other tests' tenants do not match the text
        String tag = Api.unique("zq");
        List<String> slugs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String slug = tag + "-" + i;
            Api.as(Tokens.admin()).body(Map.of("slug", slug, "name", i == 3 ? "Hollow 50%_Off Ltd" : "Shop " + i))
                    .post("/admin/v1/tenants").then().statusCode(201);
            slugs.add(slug);
        }
        Api.as(Tokens.admin()).body(Map.of("status", "suspended")).patch("/admin/v1/tenants/" + slugs.get(1)).then()
                .statusCode(200);
        String list = "/admin/v1/tenants";
        assertEquals(slugs, slugsOf(list + "?q=" + tag.toUpperCase(Locale.ROOT)), "the slug, whatever its case");
        assertEquals(List.of(slugs.get(1)), slugsOf(list + "?q=" + tag + "&status=suspended"));
        assertEquals(List.of(slugs.get(0), slugs.get(2), slugs.get(3), slugs.get(4)),
                slugsOf(list + "?q=" + tag + "&status=active"));
        // the name too, and % and _ are the text, not patterns
        assertEquals(List.of(slugs.get(3)), slugsOf(list + "?q=50%_off"));
        assertEquals(List.of(), slugsOf(list + "?q=" + tag + "%x"));
        assertEquals(List.of(), slugsOf(list + "?q=" + tag.substring(0, tag.length() - 1) + "_"));
        // a page at a time: after the last slug of the previous page
        assertEquals(slugs.subList(0, 2), slugsOf(list + "?q=" + tag + "&limit=2"));
        assertEquals(slugs.subList(2, 4), slugsOf(list + "?q=" + tag + "&limit=2&after=" + slugs.get(1)));
        assertEquals(slugs.subList(4, 5), slugsOf(list + "?q=" + tag + "&limit=2&after=" + slugs.get(3)));
        // no parameter: all of them, as before
        assertTrue(slugsOf(list).containsAll(slugs));

        for (String bad : List.of("status=late", "status=ACTIVE", "limit=0", "limit=1001", "limit=x",
                "q=" + "a".repeat(101))) {
            Api.as(Tokens.admin()).get(list + "?" + bad).then().statusCode(400)
                    .body("code", equalTo("invalid_parameter"));
        }
        Api.as(Api.tenantWithAdmin().token()).get(list + "?q=" + tag).then().statusCode(403);
    }

    static List<String> slugsOf(String url) {
        return Api.as(Tokens.admin()).get(url).then().statusCode(200).extract().jsonPath().getList("slug");
    }

    @Test
    void duplicateSlugIs409TenantExists() {
        String slug = Api.createTenant();
        Api.as(Tokens.admin()).body(Map.of("slug", slug, "name", "Again")).post("/admin/v1/tenants").then()
                .statusCode(409).contentType("application/problem+json").body("code", equalTo("tenant_exists"));
        assertEquals(1, db.count("SELECT count(*) FROM tenants WHERE slug = ?", slug));
    }

    @Test
    void badSlugIs400AndNothingIsCreated() {
        for (String slug : new String[] {"Upper", "-leading", "trailing-", "has space", "x".repeat(64), ""}) {
            Api.as(Tokens.admin()).body(Map.of("slug", slug, "name", "N")).post("/admin/v1/tenants").then()
                    .statusCode(400).body("code", equalTo("validation_failed"))
                    .body("violations.field", hasItem("slug"));
            assertEquals(0, db.count("SELECT count(*) FROM tenants WHERE slug = ?", slug));
        }
    }

    @Test
    void unknownTenantIs404() {
        Api.as(Tokens.admin()).get("/admin/v1/tenants/" + Api.unique("nope")).then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
    }

    @Test
    void patchSuspendsResumesAndRenames() {
        String slug = Api.createTenant();
        Api.as(Tokens.admin()).body(Map.of("status", "suspended")).patch("/admin/v1/tenants/" + slug).then()
                .statusCode(200).body("status", equalTo("suspended"));
        assertEquals("SUSPENDED", db.query("SELECT status FROM tenants WHERE slug = ?", slug).get(0).get("status"));
        Api.as(Tokens.admin()).body(Map.of("status", "active", "name", "Renamed")).patch("/admin/v1/tenants/" + slug)
                .then().statusCode(200).body("status", equalTo("active")).body("name", equalTo("Renamed"));
        assertEquals(3, db.count("SELECT count(*) FROM audit_log a JOIN tenants t ON t.id = a.tenant_id"
                + " WHERE t.slug = ? AND a.action IN ('tenant.suspended', 'tenant.resumed', 'tenant.renamed')", slug));
        Api.as(Tokens.admin()).body(Map.of("status", "deleted")).patch("/admin/v1/tenants/" + slug).then()
                .statusCode(400).body("violations.field", hasItem("status"));
    }

    @Test
    void membersAreAddedListedAndDuplicatesRejected() {
        String slug = Api.createTenant();
        Api.as(Tokens.admin()).body(Map.of("email", "Alice@Acme.test", "role", "admin"))
                .post("/admin/v1/tenants/" + slug + "/members").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.containsString("/admin/v1/tenants/" + slug + "/members/"))
                .body("role", equalTo("admin"));
        Api.as(Tokens.admin()).body(Map.of("subject", "kc-subject-1", "role", "member"))
                .post("/admin/v1/tenants/" + slug + "/members").then().statusCode(201);
        // e-mails are matched case-insensitively, so this is the same person
        Api.as(Tokens.admin()).body(Map.of("email", "alice@acme.TEST", "role", "member"))
                .post("/admin/v1/tenants/" + slug + "/members").then().statusCode(409)
                .body("code", equalTo("member_exists"));
        Api.as(Tokens.admin()).body(Map.of("role", "member")).post("/admin/v1/tenants/" + slug + "/members").then()
                .statusCode(400).body("code", equalTo("validation_failed"));
        Api.as(Tokens.admin()).body(Map.of("email", "x@y.test", "role", "owner"))
                .post("/admin/v1/tenants/" + slug + "/members").then().statusCode(400);
        Api.as(Tokens.admin()).get("/admin/v1/tenants/" + slug + "/members").then().statusCode(200)
                .body("size()", equalTo(2)).body("subject", hasItems("kc-subject-1"));
        assertEquals(2, db.count("SELECT count(*) FROM audit_log a JOIN tenants t ON t.id = a.tenant_id"
                + " WHERE t.slug = ? AND a.action = 'member.added'", slug));
    }

    @Test
    void nonAdminGets403AndNoTokenGets401() {
        Api.as(Tokens.user("someone@example.test")).get("/admin/v1/tenants").then().statusCode(403)
                .contentType("application/problem+json").body("code", equalTo("forbidden"));
        Api.as(Tokens.user("someone@example.test")).body(Map.of("slug", Api.unique("x"), "name", "x"))
                .post("/admin/v1/tenants").then().statusCode(403);
        given().get("/admin/v1/tenants").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer").body("code", equalTo("unauthorized"));
        given().header("Authorization", "Bearer not-a-token").get("/admin/v1/tenants").then().statusCode(401)
                .body("code", equalTo("unauthorized"));
    }
}
