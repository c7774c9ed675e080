package io.aiaas.platform.audit;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * GET /api/v1/tenants/{slug}/audit.csv and /admin/v1/audit.csv: every entry the filters keep, newest first, in one
 * file however many pages it takes to read them; the tenant's own only; text a spreadsheet would run is defused; bad
 * filters answer a problem before any CSV.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class AuditExportTest {

    @Inject
    TestDb db;

    @Test
    void aTenantAdminExportsEveryOwnEntryNewestFirstAcrossPages() {
        Api.TenantUser admin = Api.tenantWithAdmin();
        Api.TenantUser other = Api.tenantWithAdmin();
        UUID tenant = tenantId(admin.slug());
        Api.as(admin.token()).body(Map.of("name", "ci, nightly")).post("/api/v1/tenants/" + admin.slug() + "/keys")
                .then().statusCode(201);
        Api.as(other.token()).body(Map.of("name", "theirs")).post("/api/v1/tenants/" + other.slug() + "/keys")
                .then().statusCode(201);
        // more than two pages of the export's reads
        db.update("""
                INSERT INTO audit_log (at, actor, actor_kind, tenant_id, action, target_type, target_id, details)
                SELECT now() - n * interval '1 second', 'system', 'SYSTEM', ?, 'billing.invoice.finalized', 'invoice',
                       'inv-' || n, CAST('{"n": 1}' AS jsonb)
                FROM generate_series(1, 2345) n""", tenant);
        db.update("INSERT INTO audit_log (at, actor, actor_kind, tenant_id, action, target_type, target_id, details)"
                + " VALUES (now(), '=cmd|'' /C calc''!A0', 'USER', ?, 'member.added', 'member', 'm',"
                + " CAST('{}' AS jsonb))", tenant);

        Response csv = Api.as(admin.token()).get("/api/v1/tenants/" + admin.slug() + "/audit.csv");
        csv.then().statusCode(200).contentType("text/csv; charset=utf-8").header("Content-Disposition",
                equalTo("attachment; filename=\"audit-" + admin.slug() + "-" + LocalDate.now(ZoneOffset.UTC)
                        + ".csv\""));
        List<List<String>> records = parse(csv.asString());
        assertEquals(List.of("id", "at", "actor", "actor_kind", "tenant", "action", "target_type", "target_id",
                "details"), records.get(0));
        List<List<String>> rows = records.subList(1, records.size());
        long expected = db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ?", tenant);
        assertTrue(expected > 2345, "the seeded entries and the API's own: " + expected);
        assertEquals(expected, rows.size(), "every entry, none twice");
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(Long.parseLong(rows.get(i - 1).get(0)) > Long.parseLong(rows.get(i).get(0)), "newest first");
        }
        assertTrue(rows.stream().allMatch(r -> r.size() == 9 && r.get(4).equals(admin.slug())), "its own only");
        assertTrue(rows.stream().anyMatch(r -> r.get(5).equals("api_key.created")
                && r.get(8).contains("\"name\": \"ci, nightly\"")), "details as JSON, a comma kept in its field");
        assertTrue(rows.stream().anyMatch(r -> r.get(2).equals("'=cmd|' /C calc'!A0")),
                "a would-be formula is defused");
        assertTrue(rows.stream().noneMatch(r -> r.get(8).contains("theirs")));

        // the filters of the paged list
        List<List<String>> narrowed = parse(Api.as(admin.token()).queryParam("action", "api_key.*")
                .get("/api/v1/tenants/" + admin.slug() + "/audit.csv").then().statusCode(200).extract().asString());
        assertEquals(2, narrowed.size(), "header and the one key: " + narrowed);
        assertEquals("api_key.created", narrowed.get(1).get(5));
    }

    @Test
    void badFiltersAndOtherPeopleGetAProblemNotAFile() {
        Api.TenantUser admin = Api.tenantWithAdmin();
        String url = "/api/v1/tenants/" + admin.slug() + "/audit.csv";
        Api.as(admin.token()).queryParam("since", "yesterday").get(url).then().statusCode(400)
                .contentType("application/problem+json").body("code", equalTo("invalid_parameter"));
        Api.as(admin.token()).queryParam("action", "DROP TABLE").get(url).then().statusCode(400)
                .body("code", equalTo("invalid_parameter"));
        Api.as(Api.userOf(admin.slug(), "member").token()).get(url).then().statusCode(403)
                .body("code", equalTo("forbidden"));
        Api.as(Api.tenantWithAdmin().token()).get(url).then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
        Api.as(admin.token()).get("/admin/v1/audit.csv").then().statusCode(403);
    }

    @Test
    void aPlatformAdminExportsOneTenantOrAll() {
        Api.TenantUser alice = Api.tenantWithAdmin();
        Api.TenantUser bob = Api.tenantWithAdmin();
        List<List<String>> one = parse(Api.as(Tokens.admin()).queryParam("tenant", alice.slug())
                .queryParam("action", "member.*").get("/admin/v1/audit.csv").then().statusCode(200)
                .header("Content-Disposition", equalTo("attachment; filename=\"audit-" + alice.slug() + "-"
                        + LocalDate.now(ZoneOffset.UTC) + ".csv\"")).extract().asString());
        assertTrue(one.size() >= 2 && one.subList(1, one.size()).stream()
                .allMatch(r -> r.get(4).equals(alice.slug())), one.toString());
        String all = Api.as(Tokens.admin()).queryParam("action", "member.added").get("/admin/v1/audit.csv").then()
                .statusCode(200).header("Content-Disposition", equalTo("attachment; filename=\"audit-all-"
                        + LocalDate.now(ZoneOffset.UTC) + ".csv\"")).extract().asString();
        assertTrue(all.contains("," + alice.slug() + ",member.added,") && all.contains("," + bob.slug()
                + ",member.added,"), "both tenants");
        Api.as(Tokens.admin()).queryParam("tenant", "no-such-tenant").get("/admin/v1/audit.csv").then()
                .statusCode(404).body("code", equalTo("tenant_not_found"));
    }

    private UUID tenantId(String slug) {
        return (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", slug);
    }

    /** RFC 4180 records: fields separated by commas, quoted ones may hold commas, quotes ("") and line breaks. */
    static List<List<String>> parse(String csv) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < csv.length(); i++) {
            char c = csv.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        assertTrue(record.isEmpty() && field.isEmpty(), "the file ends with CRLF");
        return records;
    }
}
