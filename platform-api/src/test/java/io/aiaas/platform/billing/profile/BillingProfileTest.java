package io.aiaas.platform.billing.profile;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
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
 * Billing profiles: a tenant's admins say who its invoices are addressed to, members read it, others see nothing;
 * every invoice and credit note keeps the profile and the platform's issuer details as they were when it was
 * created, so changing the profile never alters an issued invoice.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class BillingProfileTest {

    static final LocalDate PERIOD = LocalDate.of(2025, 2, 1);

    @Inject
    BilledUsage usage;
    @Inject
    TestDb db;
    @Inject
    InvoiceService invoices;

    static Map<String, Object> profile(String legalName) {
        Map<String, Object> body = new HashMap<>();
        body.put("legal_name", "  " + legalName + " ");
        body.put("address_line1", "Hauptstraße 1");
        body.put("address_line2", "   ");
        body.put("city", "Berlin");
        body.put("postal_code", "10115");
        body.put("country", "DE");
        body.put("tax_id", "DE123456789");
        body.put("email", "billing@example.test");
        return body;
    }

    @Test
    void adminsSetItMembersReadItAndOthersSeeNothing() {
        Api.TenantUser admin = Api.tenantWithAdmin();
        String url = "/api/v1/tenants/" + admin.slug() + "/billing-profile";
        Api.as(admin.token()).get(url).then().statusCode(200).body("legal_name", nullValue())
                .body("updated_at", nullValue());

        Api.as(admin.token()).body(profile("Acme GmbH")).put(url).then().statusCode(200)
                .body("legal_name", equalTo("Acme GmbH"))
                .body("address_line1", equalTo("Hauptstraße 1"))
                .body("address_line2", nullValue())
                .body("country", equalTo("DE"))
                .body("updated_by", equalTo(admin.email()));
        Api.TenantUser member = Api.userOf(admin.slug(), "member");
        Api.as(member.token()).get(url).then().statusCode(200).body("legal_name", equalTo("Acme GmbH"))
                .body("tax_id", equalTo("DE123456789"));
        Api.as(member.token()).body(profile("Not Acme")).put(url).then().statusCode(403);
        Api.TenantUser outsider = Api.tenantWithAdmin();
        Api.as(outsider.token()).get(url).then().statusCode(404);
        Api.as(outsider.token()).body(profile("Hijack")).put(url).then().statusCode(404);
        Api.as(Tokens.admin()).get(url).then().statusCode(200).body("legal_name", equalTo("Acme GmbH"));
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'tenant.billing_profile.updated'"
                + " AND target_id = ?", admin.slug()));

        Map<String, Object> bad = profile("Acme GmbH");
        bad.put("country", "XX");
        Api.as(admin.token()).body(bad).put(url).then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("detail", containsString("country"));
        bad.put("country", "de");
        Api.as(admin.token()).body(bad).put(url).then().statusCode(400).body("detail", containsString("country"));
        Map<String, Object> noName = profile("x");
        noName.remove("legal_name");
        Api.as(admin.token()).body(noName).put(url).then().statusCode(400)
                .body("detail", containsString("legal_name"));
        Map<String, Object> badMail = profile("Acme GmbH");
        badMail.put("email", "not an address");
        Api.as(admin.token()).body(badMail).put(url).then().statusCode(400).body("detail", containsString("email"));
        Api.as(member.token()).get(url).then().statusCode(200).body("legal_name", equalTo("Acme GmbH"));
    }

    @Test
    void anInvoiceKeepsTheProfileAndIssuerItWasCreatedWith() {
        Api.TenantUser admin = Api.tenantWithAdmin();
        UUID tenant = (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", admin.slug());
        String name = "Profiled-" + UUID.randomUUID().toString().substring(0, 8);
        UUID plan = usage.plan(name, "USD", """
                {"name": "%s", "currency": "USD", "monthly_fee_micros": 5000000, "included_credit_micros": 0,
                 "prices": []}""".formatted(name));
        usage.assign(tenant, plan, Instant.parse("2024-01-01T00:00:00Z"));
        String url = "/api/v1/tenants/" + admin.slug() + "/billing-profile";

        // no profile yet: January's invoice is addressed to no one in particular
        InvoiceView january = invoices.close(tenant, LocalDate.of(2025, 1, 1)).invoices().get(0);
        assertEquals(null, january.billTo());
        assertEquals("aiaas Test Platform Ltd", january.issuer().legalName());

        Api.as(admin.token()).body(profile("Acme GmbH")).put(url).then().statusCode(200);
        String february = invoices.close(tenant, PERIOD).invoices().get(0).id().toString();
        Api.as(admin.token()).body(profile("Acme Holding AG")).put(url).then().statusCode(200);

        String invoiceUrl = "/api/v1/tenants/" + admin.slug() + "/invoices/" + february;
        Api.as(admin.token()).get(invoiceUrl).then().statusCode(200)
                .body("bill_to.legal_name", equalTo("Acme GmbH"))
                .body("bill_to.address_line1", equalTo("Hauptstraße 1"))
                .body("bill_to.country", equalTo("DE"))
                .body("bill_to.tax_id", equalTo("DE123456789"))
                .body("issuer.legal_name", equalTo("aiaas Test Platform Ltd"))
                .body("issuer.country", equalTo("GB"))
                .body("issuer.tax_id", equalTo("GB000000000"));
        Api.as(admin.token()).get("/api/v1/tenants/" + admin.slug() + "/invoices/" + january.id()).then()
                .statusCode(200).body("bill_to", nullValue());
        // a credit note issued after the change carries the profile as it is now
        String note = Api.as(Tokens.admin()).body(Map.of("amount_micros", 1_000_000, "reason", "goodwill"))
                .post("/admin/v1/invoices/" + february + "/credit-notes").then().statusCode(201).extract()
                .path("id");
        Api.as(admin.token()).get("/api/v1/tenants/" + admin.slug() + "/invoices/" + note).then().statusCode(200)
                .body("bill_to.legal_name", equalTo("Acme Holding AG"));
        // the upcoming invoice shows the profile as it is now
        Api.as(admin.token()).get("/api/v1/tenants/" + admin.slug() + "/invoices/upcoming").then().statusCode(200)
                .body("bill_to.legal_name", equalTo("Acme Holding AG"))
                .body("issuer.legal_name", equalTo("aiaas Test Platform Ltd"));
    }
}
