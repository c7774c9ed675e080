package io.aiaas.platform.billing.tax;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiaas.platform.billing.invoice.service.InvoiceService;
import io.aiaas.platform.billing.invoice.service.InvoiceView;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.BilledUsage;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Taxes: rates an admin adds (never changed, a later one supersedes), a tenant's treatment, and the tax each invoice
 * carries from its billing country and region at its period's end, on what is due after credit, in its total, its
 * lines and CSV, kept with it, and split out of a credit note. Countries used here (NO, CA) are used by no other test.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class InvoiceTaxTest {

    static final String RATES = "/admin/v1/tax-rates";

    @Inject
    BilledUsage usage;
    @Inject
    TestDb db;
    @Inject
    InvoiceService invoices;

    /** A tenant on a plan of 10.00 USD a month since 2024, billed to a country and region. */
    private Api.TenantUser tenantIn(String country, String region) {
        Api.TenantUser admin = Api.tenantWithAdmin();
        UUID tenant = tenantId(admin);
        String name = "Taxed-" + UUID.randomUUID().toString().substring(0, 8);
        UUID plan = usage.plan(name, "USD", """
                {"name": "%s", "currency": "USD", "monthly_fee_micros": 10000000, "included_credit_micros": 0,
                 "prices": []}""".formatted(name));
        usage.assign(tenant, plan, Instant.parse("2024-01-01T00:00:00Z"));
        Map<String, Object> profile = new HashMap<>();
        profile.put("legal_name", "Customer of " + country);
        profile.put("address_line1", "Street 1");
        profile.put("city", "City");
        profile.put("country", country);
        if (region != null) {
            profile.put("region", region);
        }
        Api.as(admin.token()).body(profile).put("/api/v1/tenants/" + admin.slug() + "/billing-profile").then()
                .statusCode(200);
        return admin;
    }

    private UUID tenantId(Api.TenantUser admin) {
        return (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", admin.slug());
    }

    private static String addRate(String country, String region, String name, String rate, String from) {
        Map<String, Object> body = new HashMap<>(Map.of("country", country, "name", name, "rate", rate,
                "effective_from", from));
        if (region != null) {
            body.put("region", region);
        }
        return Api.as(Tokens.admin()).body(body).post(RATES).then().statusCode(201).extract().path("id");
    }

    @Test
    void anInvoiceCarriesTheRateOfItsCountryAtItsPeriodsEndAndACreditNoteSplitsItsTaxOut() {
        addRate("NO", null, "VAT", "25", "2020-01-01");
        addRate("NO", null, "VAT", "20", "2025-06-01");
        Api.TenantUser admin = tenantIn("NO", null);
        UUID tenant = tenantId(admin);

        InvoiceView may = invoices.close(tenant, LocalDate.of(2025, 5, 1)).invoices().get(0);
        assertEquals(12_500_000_000L, may.totalNanos());
        assertEquals(1250, may.totalMinor());
        assertEquals(2_500_000_000L, may.taxNanos());
        InvoiceView june = invoices.close(tenant, LocalDate.of(2025, 6, 1)).invoices().get(0);
        assertEquals(2_000_000_000L, june.taxNanos());
        assertEquals(1200, june.totalMinor());

        String url = "/api/v1/tenants/" + admin.slug() + "/invoices/" + may.id();
        Api.as(admin.token()).get(url).then().statusCode(200)
                .body("total", equalTo("12.50")).body("tax_nanos", equalTo(2_500_000_000L))
                .body("tax.treatment", equalTo("standard")).body("tax.name", equalTo("VAT"))
                .body("tax.rate", equalTo("25")).body("tax.jurisdiction", equalTo("NO"))
                .body("tax.amount", equalTo("2.50"))
                .body("lines.kind", equalTo(java.util.List.of("fee", "tax")))
                .body("lines[1].amount", equalTo("2.50")).body("lines[1].description", equalTo("VAT 25 % (NO)"));
        Api.as(admin.token()).get(url + ".csv").then().statusCode(200)
                .body(containsString(",tax,,,0,2500000000,2.50,USD,VAT 25 % (NO)"));
        // a later rate never reaches an invoice made: the rate is kept with it
        addRate("NO", null, "MVA", "30", "2024-06-01");
        Api.as(admin.token()).get(url).then().statusCode(200).body("tax.rate", equalTo("25"))
                .body("tax.name", equalTo("VAT"));

        // 5.00 of it credited: 1.00 of that is the tax (5.00 x 25 / 125)
        Api.as(Tokens.admin()).body(Map.of("amount_micros", 5_000_000, "reason", "outage"))
                .post("/admin/v1/invoices/" + may.id() + "/credit-notes").then().statusCode(201)
                .body("total", equalTo("-5.00")).body("tax_nanos", equalTo(-1_000_000_000))
                .body("tax.amount", equalTo("-1.00"))
                .body("lines.kind", equalTo(java.util.List.of("correction", "tax")))
                .body("lines[0].amount", equalTo("-4.00")).body("lines[1].amount", equalTo("-1.00"));
        Api.as(Tokens.admin()).body(Map.of("amount_micros", 7_510_000, "reason", "too much"))
                .post("/admin/v1/invoices/" + may.id() + "/credit-notes").then().statusCode(409)
                .body("code", equalTo("credit_exceeds_invoice"));
        assertEquals(1, db.count("SELECT count(*) FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id"
                + " WHERE i.tenant_id = ? AND i.kind = 'CREDIT_NOTE' AND l.kind = 'tax'", tenant));

        // the open period: the rate in effect at its end (20 %, from 2025-06-01, the latest) on what is due after the
        // tenant's credit grant: 10.00 - 4.00 = 6.00, its tax 1.20
        Api.as(Tokens.admin()).body(Map.of("tenant", admin.slug(), "amount_micros", 4_000_000, "currency", "USD",
                "reason", "goodwill")).post("/admin/v1/credits").then().statusCode(201);
        Api.as(admin.token()).get("/api/v1/tenants/" + admin.slug() + "/invoices/upcoming").then()
                .statusCode(200).body("tax_nanos", equalTo(1_200_000_000)).body("total", equalTo("7.20"))
                .body("tax.rate", equalTo("20"));
    }

    @Test
    void aRegionsRateWinsOverItsCountrysAndAnExemptOrReverseChargedTenantPaysNone() {
        addRate("CA", null, "GST", "5", "2020-01-01");
        addRate("CA", "QC", "GST+QST", "14.975", "2020-01-01");
        LocalDate march = LocalDate.of(2025, 3, 1);
        Api.TenantUser quebec = tenantIn("CA", "QC");
        Api.TenantUser quebecLower = tenantIn("CA", "qc");
        Api.TenantUser ontario = tenantIn("CA", "ON");
        InvoiceView qc = invoices.close(tenantId(quebec), march).invoices().get(0);
        assertEquals(1_500_000_000L, qc.taxNanos()); // 1.4975 rounded half to even
        assertEquals("CA-QC", qc.tax().jurisdiction());
        assertEquals("14.975", qc.tax().rate());
        // the region as the profile spells it, in any case
        assertEquals(1_500_000_000L, invoices.close(tenantId(quebecLower), march).invoices().get(0).taxNanos());
        InvoiceView on = invoices.close(tenantId(ontario), march).invoices().get(0);
        assertEquals(500_000_000L, on.taxNanos());
        assertEquals("CA", on.tax().jurisdiction());

        // reverse charge: no tax line, the invoice says why; exempt with the operator's note
        Api.TenantUser business = tenantIn("CA", null);
        String tax = "/admin/v1/tenants/" + business.slug() + "/tax";
        Api.as(Tokens.admin()).get(tax).then().statusCode(200).body("treatment", equalTo("standard"))
                .body("note", nullValue());
        Api.as(Tokens.admin()).body(Map.of("treatment", "reverse_charge")).put(tax).then().statusCode(200)
                .body("treatment", equalTo("reverse_charge"));
        InvoiceView reversed = invoices.close(tenantId(business), march).invoices().get(0);
        assertEquals(1000, reversed.totalMinor());
        assertEquals(0, reversed.taxNanos());
        assertEquals("reverse_charge", reversed.tax().treatment());
        assertEquals("Reverse charge: the customer accounts for the tax.", reversed.tax().note());
        assertEquals(null, reversed.tax().amount());
        assertEquals(0, reversed.lines().stream().filter(l -> l.kind().equals("tax")).count());
        Api.as(Tokens.admin()).body(Map.of("treatment", "exempt", "note", "  Exemption certificate 42  ")).put(tax)
                .then().statusCode(200).body("note", equalTo("Exemption certificate 42"));
        InvoiceView exempt = invoices.close(tenantId(business), LocalDate.of(2025, 4, 1)).invoices().get(0);
        assertEquals("Exemption certificate 42", exempt.tax().note());
        assertEquals(1000, exempt.totalMinor());
        // the March invoice keeps its reverse charge
        Api.as(business.token()).get("/api/v1/tenants/" + business.slug() + "/invoices/" + reversed.id()).then()
                .statusCode(200).body("tax.treatment", equalTo("reverse_charge"));

        // refusals, and only platform admins
        Api.as(Tokens.admin()).body(Map.of("treatment", "zero")).put(tax).then().statusCode(400)
                .body("violations[0].field", equalTo("treatment"));
        Api.as(Tokens.admin()).body(Map.of("treatment", "exempt", "note", "x".repeat(501))).put(tax).then()
                .statusCode(400).body("violations[0].field", equalTo("note"));
        Api.as(Tokens.admin()).get("/admin/v1/tenants/no-such-tenant/tax").then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
        Api.as(business.token()).body(Map.of("treatment", "exempt")).put(tax).then().statusCode(403);
        assertEquals(2, db.count("SELECT count(*) FROM audit_log WHERE action = 'billing.tax_treatment_changed'"
                + " AND target_id = ?", business.slug()));
        // a tenant billed to no country, or to one without a rate, carries no tax
        Api.TenantUser nowhere = tenantIn("IS", null);
        InvoiceView untaxed = invoices.close(tenantId(nowhere), march).invoices().get(0);
        assertEquals(null, untaxed.tax());
        assertEquals(1000, untaxed.totalMinor());
    }

    @Test
    void ratesAreAddedNeverChangedAndOnlyAFutureOneIsRemoved() {
        String past = addRate("CA", "BC", "PST", "7", "2021-04-01");
        String future = addRate("CA", "BC", "PST", "8.5", "2099-01-01");
        Api.as(Tokens.admin()).get(RATES).then().statusCode(200)
                .body("rates.findAll { it.region == 'BC' }.rate", equalTo(java.util.List.of("8.5", "7")))
                .body("rates.find { it.id == '" + future + "' }.rate_ppm", equalTo(85_000))
                .body("rates.find { it.id == '" + future + "' }.effective_from", equalTo("2099-01-01"))
                .body("rates.created_by", hasItem(equalTo("admin@aiaas.test")));
        Api.as(Tokens.admin()).body(Map.of("country", "CA", "region", "BC", "name", "PST", "rate", "9",
                "effective_from", "2021-04-01")).post(RATES).then().statusCode(409)
                .body("code", equalTo("tax_rate_exists"));
        Api.as(Tokens.admin()).body(Map.of("country", "CA", "region", "bc", "name", "PST", "rate", "9",
                "effective_from", "2021-04-01")).post(RATES).then().statusCode(409)
                .body("code", equalTo("tax_rate_exists"));
        for (String rate : new String[] {"101", "-1", "8.87501", "abc", "1e3", " "}) {
            Api.as(Tokens.admin()).body(Map.of("country", "CA", "name", "GST", "rate", rate)).post(RATES).then()
                    .statusCode(400).body("code", equalTo(rate.isBlank() ? "validation_failed" : "invalid_tax_rate"));
        }
        Api.as(Tokens.admin()).body(Map.of("country", "ca", "name", "GST", "rate", "5")).post(RATES).then()
                .statusCode(400).body("violations[0].field", equalTo("country"));
        Api.as(Tokens.admin()).body(Map.of("country", "CA", "name", "GST", "rate", "5", "effective_from", "soon"))
                .post(RATES).then().statusCode(400);
        Api.as(Api.tenantWithAdmin().token()).body(Map.of("country", "CA", "name", "GST", "rate", "5"))
                .post(RATES).then().statusCode(403);

        Api.as(Tokens.admin()).delete(RATES + "/" + past).then().statusCode(409)
                .body("code", equalTo("tax_rate_in_effect"));
        Api.as(Tokens.admin()).delete(RATES + "/" + future).then().statusCode(204);
        Api.as(Tokens.admin()).delete(RATES + "/" + future).then().statusCode(404)
                .body("code", equalTo("tax_rate_not_found"));
        Api.as(Tokens.admin()).delete(RATES + "/not-a-uuid").then().statusCode(404);
        assertEquals(0, db.count("SELECT count(*) FROM tax_rates WHERE id = ?", UUID.fromString(future)));
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'billing.tax_rate_removed'"
                + " AND target_id = ?", future));
    }
}
