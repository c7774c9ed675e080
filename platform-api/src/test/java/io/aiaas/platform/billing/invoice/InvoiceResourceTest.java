package io.aiaas.platform.billing.invoice;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.BilledUsage;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class InvoiceResourceTest {

    static final String BASIC = """
            {"name": "%s", "currency": "USD", "monthly_fee_micros": 5000000, "included_credit_micros": 0,
             "prices": [{"per_1k_requests": {"tiers": [{"unit_micros": 1500000}]}}]}""";

    @Inject
    BilledUsage usage;

    @Inject
    TestDb db;

    UUID tenantId(String slug) {
        return (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", slug);
    }

    UUID basicPlan() {
        String name = "Basic-" + UUID.randomUUID().toString().substring(0, 8);
        return usage.plan(name, "USD", BASIC.formatted(name));
    }

    @Test
    void aClosedPeriodIsListedShownAsJsonAndCsvAndDrillsDownToItsRows() {
        Api.TenantUser alice = Api.tenantWithMember();
        UUID tenant = tenantId(alice.slug());
        UUID plan = basicPlan();
        usage.assign(tenant, plan, Instant.parse("2024-01-01T00:00:00Z"));
        LocalDate period = LocalDate.of(2025, 5, 1);
        List<UUID> rows = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            rows.add(usage.call(tenant).model("iris").at(Instant.parse("2025-05-0" + (i + 1) + "T08:00:00Z"))
                    .plan(plan).cost("USD", 1_500_000, 0, 0).items(0).computeUs(0).insert());
        }
        usage.call(tenant).model("iris").status(503).at(Instant.parse("2025-05-04T08:00:00Z")).insert();
        // PostgreSQL orders uuids by their unsigned bytes, as their lower-case text sorts (Java's compareTo is signed)
        rows.sort(Comparator.comparing(UUID::toString));
        String number = "INV-2025-05-" + alice.slug() + "-1";

        Api.as(Tokens.admin()).post("/admin/v1/billing/close?period=2025-05").then().statusCode(200)
                .body("period", equalTo("2025-05")).body("created", hasItem(number));
        // idempotent: a second close creates nothing for this tenant
        Api.as(Tokens.admin()).post("/admin/v1/billing/close?period=2025-05").then().statusCode(200)
                .body("created", hasSize(0)).body("already_closed", greaterThanOrEqualTo(1));
        assertEquals(1, db.count("SELECT count(*) FROM invoices WHERE tenant_id = ?", tenant));

        String base = "/api/v1/tenants/" + alice.slug() + "/invoices";
        String id = Api.as(alice.token()).get(base).then().statusCode(200).body("", hasSize(1))
                .body("[0].number", equalTo(number)).body("[0].state", equalTo("FINALIZED"))
                .body("[0].lines", nullValue()).extract().path("[0].id");
        Api.as(alice.token()).get(base + "/" + id).then().statusCode(200)
                .body("period", equalTo("2025-05")).body("currency", equalTo("USD"))
                .body("total_nanos", equalTo(5_004_500_000L)).body("total_minor", equalTo(500))
                .body("total", equalTo("5.00"))
                .body("lines.kind", contains("fee", "usage"))
                .body("lines[1].model", equalTo("iris")).body("lines[1].component", equalTo("requests"))
                .body("lines[1].quantity", equalTo(3)).body("lines[1].amount_nanos", equalTo(4_500_000))
                .body("lines[1].amount", equalTo("0.0045"));

        Response csv = Api.as(alice.token()).get(base + "/" + id + ".csv");
        csv.then().statusCode(200).contentType(startsWith("text/csv"))
                .header("Content-Disposition", equalTo("attachment; filename=\"" + number + ".csv\""));
        assertEquals("invoice,line_no,kind,model,component,quantity,amount_nanos,amount,currency,description\r\n"
                + number + ",1,fee,,,1,5000000000,5.00,USD,\"Monthly fee, plan " + planName(plan) + "\"\r\n"
                + number + ",2,usage,iris,requests,3,4500000,0.0045,USD,\"iris, requests\"\r\n"
                + number + ",,total,,,,5004500000,5.00,USD,\"Total, rounded to minor units\"\r\n", csv.asString());

        // drill-down: the three billable rows by request id, two per page
        String usageUrl = base + "/" + id + "/lines/2/usage";
        Response first = Api.as(alice.token()).queryParam("limit", 2).get(usageUrl);
        first.then().statusCode(200).body("rows", hasSize(2)).body("model", equalTo("iris"))
                .body("rows.request_id", contains(rows.get(0).toString(), rows.get(1).toString()))
                .body("rows[0].cost_nanos", equalTo(1_500_000)).body("next", equalTo(rows.get(1).toString()));
        Api.as(alice.token()).queryParam("limit", 2).queryParam("after", first.path("next").toString()).get(usageUrl)
                .then().statusCode(200).body("rows.request_id", contains(rows.get(2).toString()))
                .body("next", nullValue());
        Api.as(alice.token()).get(base + "/" + id + "/lines/1/usage").then().statusCode(400)
                .body("code", equalTo("not_a_usage_line"));
        Api.as(alice.token()).get(base + "/" + id + "/lines/9/usage").then().statusCode(404)
                .body("code", equalTo("invoice_line_not_found"));
        Api.as(alice.token()).queryParam("limit", 1001).get(usageUrl).then().statusCode(400)
                .body("code", equalTo("invalid_parameter"));
        Api.as(alice.token()).queryParam("after", "nope").get(usageUrl).then().statusCode(400)
                .body("code", equalTo("invalid_parameter"));

        // another tenant's member sees neither the invoice nor its rows
        Api.TenantUser bob = Api.tenantWithMember();
        String bobBase = "/api/v1/tenants/" + bob.slug() + "/invoices/" + id;
        Api.as(bob.token()).get(bobBase).then().statusCode(404).body("code", equalTo("invoice_not_found"));
        Api.as(bob.token()).get(bobBase + ".csv").then().statusCode(404).body("code", equalTo("invoice_not_found"));
        Api.as(bob.token()).get(bobBase + "/lines/2/usage").then().statusCode(404);
        Api.as(bob.token()).get(base).then().statusCode(404).body("code", equalTo("tenant_not_found"));

        // platform admins list by tenant and period
        Api.as(Tokens.admin()).queryParam("tenant", alice.slug()).queryParam("period", "2025-05")
                .get("/admin/v1/invoices").then().statusCode(200).body("number", contains(number));
        Api.as(Tokens.admin()).queryParam("tenant", alice.slug()).queryParam("period", "2025-06")
                .get("/admin/v1/invoices").then().statusCode(200).body("", hasSize(0));

        // a credit note references the invoice and shows in the tenant's list
        String noteId = Api.as(Tokens.admin()).body(Map.of("amount_micros", 1_000_000, "reason", "outage"))
                .post("/admin/v1/invoices/" + id + "/credit-notes").then().statusCode(201)
                .body("kind", equalTo("CREDIT_NOTE")).body("corrects_id", equalTo(id))
                .body("number", equalTo("CN-2025-05-" + alice.slug() + "-1-1")).body("total", equalTo("-1.00"))
                .extract().path("id");
        Api.as(alice.token()).get(base).then().statusCode(200).body("id", hasItem(noteId)).body("", hasSize(2));
        Api.as(Tokens.admin()).post("/admin/v1/invoices/" + id + "/void").then().statusCode(409)
                .body("code", equalTo("invoice_finalized"));
    }

    @Test
    void anInvoiceIsAlsoAPdfWithTheSameFiguresForItsTenantOnly() throws Exception {
        Api.TenantUser alice = Api.tenantWithMember();
        UUID tenant = tenantId(alice.slug());
        UUID plan = basicPlan();
        usage.assign(tenant, plan, Instant.parse("2024-01-01T00:00:00Z"));
        for (int i = 0; i < 2; i++) {
            usage.call(tenant).model("iris").at(Instant.parse("2025-03-0" + (i + 1) + "T08:00:00Z"))
                    .plan(plan).cost("USD", 1_500_000, 0, 0).items(0).computeUs(0).insert();
        }
        Api.as(Tokens.admin()).post("/admin/v1/billing/close?period=2025-03").then().statusCode(200);
        String base = "/api/v1/tenants/" + alice.slug() + "/invoices";
        String id = Api.as(alice.token()).get(base).then().statusCode(200).extract().path("[0].id");
        io.restassured.path.json.JsonPath json = Api.as(alice.token()).get(base + "/" + id).then().statusCode(200)
                .extract().jsonPath();
        String number = json.getString("number");

        Response pdf = Api.as(alice.token()).get(base + "/" + id + ".pdf");
        pdf.then().statusCode(200).contentType("application/pdf")
                .header("Content-Disposition", equalTo("attachment; filename=\"" + number + ".pdf\""));
        String text;
        try (org.apache.pdfbox.pdmodel.PDDocument document = org.apache.pdfbox.Loader.loadPDF(pdf.asByteArray())) {
            text = new org.apache.pdfbox.text.PDFTextStripper().getText(document).replaceAll("\\s+", " ");
        }
        for (String expected : List.of("Invoice " + number, "Bill to", alice.slug(), "Period 2025-03",
                "Monthly fee, plan " + planName(plan), json.getString("lines[0].amount"), "iris, requests",
                json.getString("lines[1].amount"), "Total " + json.getString("total") + " USD",
                "Status: " + json.getString("payment.status"), number + ", page 1 of 1")) {
            assertTrue(text.contains(expected), "'" + expected + "' in: " + text);
        }

        Api.TenantUser bob = Api.tenantWithMember();
        Api.as(bob.token()).get("/api/v1/tenants/" + bob.slug() + "/invoices/" + id + ".pdf").then().statusCode(404)
                .body("code", equalTo("invoice_not_found"));
        Api.as(bob.token()).get(base + "/" + id + ".pdf").then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
        Api.as(alice.token()).get(base + "/" + UUID.randomUUID() + ".pdf").then().statusCode(404)
                .body("code", equalTo("invoice_not_found"));
    }

    String planName(UUID plan) {
        return (String) db.value("SELECT name FROM plans WHERE id = ?", plan);
    }

    @Test
    void closingNeedsAPlatformAdminAndAnEndedPeriod() {
        Api.TenantUser admin = Api.tenantWithAdmin();
        Api.as(admin.token()).post("/admin/v1/billing/close?period=2025-05").then().statusCode(403);
        String next = LocalDate.now(ZoneOffset.UTC).plusMonths(1).toString().substring(0, 7);
        Api.as(Tokens.admin()).post("/admin/v1/billing/close?period=" + next).then().statusCode(409)
                .body("code", equalTo("period_open"));
        Api.as(Tokens.admin()).post("/admin/v1/billing/close?period=2025-13").then().statusCode(400)
                .body("code", equalTo("invalid_parameter"));
        Api.as(Tokens.admin()).post("/admin/v1/billing/close").then().statusCode(400)
                .body("code", equalTo("invalid_parameter"));
        Api.as(Tokens.admin()).get("/admin/v1/invoices?tenant=no-such-tenant").then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
    }

    @Test
    void theUpcomingInvoiceIsComputedLiveAndNeverStored() {
        Api.TenantUser alice = Api.tenantWithMember();
        UUID tenant = tenantId(alice.slug());
        UUID plan = basicPlan();
        usage.assign(tenant, plan, Instant.parse("2024-01-01T00:00:00Z"));
        usage.call(tenant).model("iris").plan(plan).cost("USD", 1_500_000, 0, 0).items(0).computeUs(0).insert();

        Api.as(alice.token()).get("/api/v1/tenants/" + alice.slug() + "/invoices/upcoming").then().statusCode(200)
                .body("state", equalTo("PREVIEW")).body("id", nullValue()).body("number", nullValue())
                .body("lines.kind", contains("fee", "usage")).body("lines[1].quantity", equalTo(1))
                .body("total_nanos", equalTo(5_001_500_000L));
        assertEquals(0, db.count("SELECT count(*) FROM invoices WHERE tenant_id = ?", tenant));
    }
}
