package io.aiaas.platform.audit;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class AuditResourceTest {

    @Inject
    TestDb db;

    UUID tenantId(String slug) {
        return (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", slug);
    }

    void entry(UUID tenant, String action, Instant at) {
        db.update("INSERT INTO audit_log (at, actor, actor_kind, tenant_id, action, target_type, target_id, details)"
                + " VALUES (?, 'system', 'SYSTEM', ?, ?, 'invoice', 'x', CAST('{\"n\": 1}' AS jsonb))",
                java.time.OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC), tenant, action);
    }

    @Test
    void tenantAdminsReadOnlyTheirOwnEntriesFilteredAndPaged() {
        Api.TenantUser admin = Api.tenantWithAdmin();
        Api.TenantUser other = Api.tenantWithAdmin();
        UUID tenant = tenantId(admin.slug());
        Api.as(admin.token()).body(Map.of("name", "ci")).post("/api/v1/tenants/" + admin.slug() + "/keys").then()
                .statusCode(201);
        Api.as(other.token()).body(Map.of("name", "theirs")).post("/api/v1/tenants/" + other.slug() + "/keys").then()
                .statusCode(201);
        entry(tenant, "billing.invoice.finalized", Instant.parse("2025-06-01T01:00:00Z"));
        entry(tenant, "billing.credit_note.created", Instant.parse("2025-06-02T01:00:00Z"));
        entry(tenant, "billingx.other", Instant.parse("2025-06-03T01:00:00Z"));
        String url = "/api/v1/tenants/" + admin.slug() + "/audit";

        Api.as(admin.token()).get(url).then().statusCode(200)
                .body("entries.tenant", everyItem(equalTo(admin.slug())))
                .body("entries.action", hasItem("api_key.created"))
                .body("entries.action", hasItem("member.added"))
                .body("entries.details.name", hasItem("ci")).body("entries.details.name", not(hasItem("theirs")))
                .body("next_before", nullValue());
        Api.as(admin.token()).queryParam("action", "billing.*").get(url).then().statusCode(200)
                .body("entries.action", contains("billing.credit_note.created", "billing.invoice.finalized"));
        Api.as(admin.token()).queryParam("action", "api_key.created").get(url).then().statusCode(200)
                .body("entries", hasSize(1)).body("entries[0].target_type", equalTo("api_key"))
                .body("entries[0].actor", equalTo(admin.email())).body("entries[0].actor_kind", equalTo("USER"));
        Api.as(admin.token()).queryParam("action", "billing.*").queryParam("since", "2025-06-02T00:00:00Z")
                .queryParam("until", "2025-06-03T00:00:00Z").get(url).then().statusCode(200)
                .body("entries.action", contains("billing.credit_note.created"));

        // pages of one, newest first, by id
        Response first = Api.as(admin.token()).queryParam("action", "billing.*").queryParam("limit", 1).get(url);
        first.then().statusCode(200).body("entries", hasSize(1))
                .body("entries[0].action", equalTo("billing.credit_note.created"));
        long next = ((Number) first.path("next_before")).longValue();
        Api.as(admin.token()).queryParam("action", "billing.*").queryParam("limit", 1).queryParam("before", next)
                .get(url).then().statusCode(200).body("entries.action", contains("billing.invoice.finalized"))
                .body("next_before", nullValue());
    }

    @Test
    void membersAreRefusedAndOutsidersSeeNoTenant() {
        Api.TenantUser admin = Api.tenantWithAdmin();
        Api.TenantUser member = Api.userOf(admin.slug(), "member");
        Api.TenantUser outsider = Api.tenantWithAdmin();
        String url = "/api/v1/tenants/" + admin.slug() + "/audit";
        Api.as(member.token()).get(url).then().statusCode(403).body("code", equalTo("forbidden"));
        Api.as(outsider.token()).get(url).then().statusCode(404).body("code", equalTo("tenant_not_found"));
        Api.as(admin.token()).get("/admin/v1/audit").then().statusCode(403);
    }

    @Test
    void badFiltersAre400() {
        Api.TenantUser admin = Api.tenantWithAdmin();
        String url = "/api/v1/tenants/" + admin.slug() + "/audit";
        for (Map<String, String> bad : List.of(Map.of("limit", "501"), Map.of("limit", "0"), Map.of("limit", "x"),
                Map.of("before", "x"), Map.of("since", "yesterday"), Map.of("action", "billing*"),
                Map.of("action", "*"), Map.of("action", "a'; drop"),
                Map.of("since", "2025-02-01T00:00:00Z", "until", "2025-01-01T00:00:00Z"))) {
            Api.as(admin.token()).queryParams(bad).get(url).then().statusCode(400)
                    .body("code", equalTo("invalid_parameter"));
        }
    }

    @Test
    void platformAdminsReadEverythingOrOneTenant() {
        Api.TenantUser a = Api.tenantWithAdmin();
        Api.TenantUser b = Api.tenantWithAdmin();
        entry(tenantId(a.slug()), "billing.invoice.finalized", Instant.now());
        entry(tenantId(b.slug()), "billing.invoice.finalized", Instant.now());
        Api.as(Tokens.admin()).queryParam("tenant", a.slug()).get("/admin/v1/audit").then().statusCode(200)
                .body("entries.tenant", everyItem(equalTo(a.slug())))
                .body("entries.action", hasItem("billing.invoice.finalized"));
        Api.as(Tokens.admin()).queryParam("action", "billing.*").queryParam("limit", 500).get("/admin/v1/audit")
                .then().statusCode(200).body("entries.tenant", hasItem(a.slug()))
                .body("entries.tenant", hasItem(b.slug())).body("entries.action", everyItem(startsWith("billing.")));
        Api.as(Tokens.admin()).queryParam("tenant", "no-such-tenant").get("/admin/v1/audit").then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
    }
}
