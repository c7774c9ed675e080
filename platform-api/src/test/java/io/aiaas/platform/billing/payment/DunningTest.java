package io.aiaas.platform.billing.payment;

import static io.aiaas.platform.billing.payment.InvoicePaymentTest.JSON;
import static io.aiaas.platform.billing.payment.InvoicePaymentTest.awaitEvent;
import static io.aiaas.platform.billing.payment.InvoicePaymentTest.part;
import static io.aiaas.platform.billing.payment.InvoicePaymentTest.pay;
import static io.aiaas.platform.billing.payment.InvoicePaymentTest.reference;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.platform.billing.invoice.service.InvoiceService;
import io.aiaas.platform.billing.payment.service.Dunning;
import io.aiaas.platform.billing.payment.service.PaymentService;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.BilledUsage;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.aiaas.platform.testsupport.WebhookReceiver;
import io.aiaas.platform.webhook.service.WebhookSignatures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Suspending tenants that do not pay ({@code aiaas.billing.suspend-after-overdue-days} = 10 here, payment terms 30):
 * an invoice unpaid 40 days after it was finalized suspends its tenant once, whichever replica sweeps, and its keys
 * are refused; settling it (a payment, or a credit note) resumes the tenant; an operator's resume is not overruled
 * by the same invoice, and an operator's suspension is not lifted by a payment.
 */
@QuarkusTest
@TestProfile(DunningTest.SuspendAfterTenDays.class)
@QuarkusTestResource(OidcWiremockTestResource.class)
class DunningTest {

    /** The platform suspends tenants 10 days after an invoice falls due. */
    public static class SuspendAfterTenDays implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("aiaas.billing.suspend-after-overdue-days", "10");
        }
    }

    @Inject
    BilledUsage usage;
    @Inject
    TestDb db;
    @Inject
    InvoiceService invoices;
    @Inject
    PaymentService payments;
    @Inject
    Dunning dunning;

    String finalized(UUID tenant) {
        return invoices.close(tenant, InvoicePaymentTest.PERIOD, "admin@aiaas.test", false).invoices().get(0).id()
                .toString();
    }

    void finalizedDaysAgo(String invoice, int days) {
        db.update("UPDATE invoices SET finalized_at = now() - make_interval(days => ?) WHERE id = ?", days,
                UUID.fromString(invoice));
    }

    /** What the overdue job does on every replica: tell, then suspend. */
    int sweep() {
        payments.announceOverdue();
        return dunning.sweep();
    }

    String status(Api.TenantUser user) {
        return Api.as(Tokens.admin()).get("/admin/v1/tenants/" + user.slug()).then().statusCode(200).extract()
                .path("status");
    }

    /** A key of the tenant asks for a model that does not exist: 404 while active, 403 once suspended. */
    static int keyCall(String key) {
        return given().header("Authorization", "Bearer " + key).get("/v2/models/no-such-model").statusCode();
    }

    @Test
    void anInvoiceUnpaidPastItsGraceSuspendsItsTenantOnceAndSettlingItResumesIt() throws Exception {
        Api.TenantUser kim = Api.tenantWithAdmin();
        UUID tenant = InvoicePaymentTest.billed(usage, db, kim.slug());
        String key = Api.as(kim.token()).body(Map.of("name", "k")).post("/api/v1/tenants/" + kim.slug() + "/keys")
                .then().statusCode(201).extract().path("key");
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            db.update("UPDATE tenants SET webhook_url = ?, webhook_secret = ? WHERE id = ?", receiver.url(),
                    WebhookSignatures.newSecret(), tenant);
            String invoice = finalized(tenant);
            finalizedDaysAgo(invoice, 39);
            sweep();
            // the invoice and its overdue notice say when it will suspend the tenant: 10 days after it fell due
            Map<String, Object> payment = Api.as(kim.token()).get("/api/v1/tenants/" + kim.slug() + "/invoices/"
                    + invoice).then().statusCode(200).extract().jsonPath().getMap("payment");
            assertEquals("overdue", payment.get("status"));
            assertEquals(Instant.parse((String) payment.get("due_at")).plus(Duration.ofDays(10)).toString(),
                    payment.get("suspends_at"));
            JsonNode overdue = JSON.readTree(awaitEvent(receiver, "invoice.overdue").body()).get("data");
            assertEquals(payment.get("suspends_at"), overdue.get("suspends_at").asText());
            assertEquals("active", status(kim), "overdue 9 days: within the grace");
            assertEquals(404, keyCall(key));

            finalizedDaysAgo(invoice, 41);
            // two replicas' sweeps at once suspend it once
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Integer> suspended = new ArrayList<>();
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> runs = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    runs.add(pool.submit(() -> {
                        start.await();
                        return sweep();
                    }));
                }
                start.countDown();
                for (Future<Integer> run : runs) {
                    suspended.add(run.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, suspended.stream().mapToInt(Integer::intValue).sum(), "suspended by one sweep");
            assertEquals(0, sweep(), "and never again for this invoice");
            Api.as(Tokens.admin()).get("/admin/v1/tenants/" + kim.slug()).then().statusCode(200)
                    .body("status", equalTo("suspended")).body("suspended_reason", equalTo("non_payment"));
            assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'tenant.suspended'"
                    + " AND tenant_id = ? AND actor = 'system'", tenant));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> keyCall(key) == 403);
            given().header("Authorization", "Bearer " + key).get("/v2/models/no-such-model").then().statusCode(403)
                    .body("error", equalTo("tenant " + kim.slug() + " is suspended for an invoice unpaid past its"
                            + " due date; its keys work again once it is paid"));
            // its people learn why from who they are
            String mine = "tenants.find { it.slug == '" + kim.slug() + "' }";
            Api.as(kim.token()).get("/api/v1/me").then().statusCode(200)
                    .body(mine + ".status", equalTo("suspended"))
                    .body(mine + ".suspended_reason", equalTo("non_payment"));
            JsonNode told = JSON.readTree(awaitEvent(receiver, "tenant.suspended").body()).get("data");
            assertEquals("non_payment", told.get("reason").asText());
            assertEquals(invoice, told.get("invoice_id").asText());

            // a part paid does not lift it; the rest does, at once
            pay(invoice, part("a part", 100)).then().statusCode(200);
            assertEquals("suspended", status(kim));
            String rest = pay(invoice, reference("the rest")).then().statusCode(200).extract().jsonPath()
                    .getString("payment.entries.find { it.reference == 'the rest' }.id");
            Api.as(Tokens.admin()).get("/admin/v1/tenants/" + kim.slug()).then().statusCode(200)
                    .body("status", equalTo("active")).body("suspended_reason", nullValue());
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> keyCall(key) == 404);
            Api.as(kim.token()).get("/api/v1/me").then().statusCode(200)
                    .body(mine + ".status", equalTo("active")).body(mine + ".suspended_reason", nullValue());
            JsonNode resumed = JSON.readTree(awaitEvent(receiver, "tenant.resumed").body()).get("data");
            assertEquals("settled", resumed.get("reason").asText());
            assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'tenant.resumed'"
                    + " AND tenant_id = ? AND actor = 'system'", tenant));

            // the transfer bounced: with its payment removed the invoice is unpaid past its grace again
            assertEquals(0, sweep(), "settled: nothing to suspend");
            Api.as(Tokens.admin()).delete("/admin/v1/invoices/" + invoice + "/payments/" + rest).then()
                    .statusCode(200).body("payment.status", equalTo("overdue"));
            assertEquals(1, sweep());
            assertEquals("suspended", status(kim));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> keyCall(key) == 403);
            assertEquals(2, db.count("SELECT count(*) FROM audit_log WHERE action = 'tenant.suspended'"
                    + " AND tenant_id = ? AND actor = 'system'", tenant));
        }
    }

    @Test
    void aPaymentWaitingToResumeTheTenantSeesAChangeCommittedMeanwhileAndKeepsIt() {
        Api.TenantUser mo = Api.tenantWithAdmin();
        UUID tenant = InvoicePaymentTest.billed(usage, db, mo.slug());
        String invoice = finalized(tenant);
        finalizedDaysAgo(invoice, 45);
        assertEquals(1, sweep());
        int due = Api.as(Tokens.admin()).get("/admin/v1/invoices/" + invoice).then().statusCode(200).extract()
                .path("payment.amount_due_minor");
        // the excess becomes credit, whose grant reads the tenant before the resume locks it; the tenant closes
        // (and its budget is set) while the payment waits for the row
        int paid = db.whileHolding(() -> pay(invoice, Map.of("reference", "wire", "amount_minor", due + 100,
                "excess_as_credit", true)).then().extract().statusCode(), "UPDATE tenants SET status = 'CLOSED',"
                + " closed_at = now(), monthly_budget_micros = 5000000 WHERE id = ?", tenant);
        assertEquals(200, paid);
        Map<String, Object> row = db.queryOne("SELECT status, closed_at, monthly_budget_micros FROM tenants"
                + " WHERE id = ?", tenant);
        assertEquals("CLOSED", row.get("status"), "the payment resumed a tenant that had closed: " + row);
        assertEquals(5_000_000L, row.get("monthly_budget_micros"));
        assertEquals(0, db.count("SELECT count(*) FROM audit_log WHERE action = 'tenant.resumed'"
                + " AND tenant_id = ?", tenant));
    }

    @Test
    void aPaymentWaitingToResumeTheTenantSeesASweepThatSuspendedItForAnotherInvoiceMeanwhile() {
        Api.TenantUser ann = Api.tenantWithAdmin();
        UUID tenant = InvoicePaymentTest.billed(usage, db, ann.slug());
        UUID plan = (UUID) db.value("SELECT plan_id FROM tenant_plans WHERE tenant_id = ?", tenant);
        usage.call(tenant).model("iris").at(Instant.parse("2025-05-02T08:00:00Z")).plan(plan)
                .cost("USD", 1_500_000, 0, 0).items(0).computeUs(0).insert();
        String april = finalized(tenant);
        String may = invoices.close(tenant, InvoicePaymentTest.PERIOD.plusMonths(1), "admin@aiaas.test", false)
                .invoices().get(0).id().toString();
        finalizedDaysAgo(april, 45);
        finalizedDaysAgo(may, 45);
        assertEquals(1, sweep(), "one suspension for both invoices");
        // April suspended the tenant; May is past its grace too, as if the sweep had not reached it yet
        db.update("UPDATE invoice_overdue_notices SET suspended_at = NULL WHERE invoice_id = ?",
                UUID.fromString(may));
        // April is paid while a sweep holds the tenant's row, having just marked May as suspending it
        int paid = db.whileHolding(() -> pay(april, reference("april")).then().extract().statusCode(), """
                WITH marked AS (UPDATE invoice_overdue_notices SET suspended_at = now() WHERE invoice_id = ?)
                UPDATE tenants SET updated_at = now() WHERE id = ?""", UUID.fromString(may), tenant);
        assertEquals(200, paid);
        assertEquals("suspended", status(ann), "May is unpaid past its grace and suspended the tenant");
        assertEquals(0, db.count("SELECT count(*) FROM audit_log WHERE action = 'tenant.resumed'"
                + " AND tenant_id = ?", tenant));
        // paying May resumes it
        pay(may, reference("may")).then().statusCode(200);
        assertEquals("active", status(ann));
    }

    @Test
    void aCreditNoteThatSettlesTheInvoiceResumesTheTenantToo() {
        Api.TenantUser lee = Api.tenantWithAdmin();
        UUID tenant = InvoicePaymentTest.billed(usage, db, lee.slug());
        String invoice = finalized(tenant);
        finalizedDaysAgo(invoice, 45);
        assertEquals(1, sweep());
        assertEquals("suspended", status(lee));
        Api.as(Tokens.admin()).body(Map.of("amount_micros", 5_003_000, "reason", "waived"))
                .post("/admin/v1/invoices/" + invoice + "/credit-notes").then().statusCode(201);
        assertEquals("active", status(lee));
    }

    @Test
    void anOperatorsResumeIsNotOverruledAndAnOperatorsSuspensionIsNotLiftedByAPayment() throws Exception {
        Api.TenantUser max = Api.tenantWithAdmin();
        UUID tenant = InvoicePaymentTest.billed(usage, db, max.slug());
        String invoice = finalized(tenant);
        finalizedDaysAgo(invoice, 45);
        assertEquals(1, sweep());
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            db.update("UPDATE tenants SET webhook_url = ?, webhook_secret = ? WHERE id = ?", receiver.url(),
                    WebhookSignatures.newSecret(), tenant);
            // the operator gives them time: the same invoice does not suspend them again
            Api.as(Tokens.admin()).body(Map.of("status", "active")).patch("/admin/v1/tenants/" + max.slug()).then()
                    .statusCode(200).body("suspended_reason", nullValue());
            assertEquals(0, sweep());
            assertEquals("active", status(max));
            // and the tenant hears it from its webhook, as it hears an operator's suspension
            assertEquals("operator", JSON.readTree(awaitEvent(receiver, "tenant.resumed").body()).get("data")
                    .get("reason").asText());

            // an operator's own suspension stays when the invoice is paid
            Api.as(Tokens.admin()).body(Map.of("status", "suspended")).patch("/admin/v1/tenants/" + max.slug())
                    .then().statusCode(200).body("suspended_reason", nullValue());
            assertEquals("operator", JSON.readTree(awaitEvent(receiver, "tenant.suspended").body()).get("data")
                    .get("reason").asText());
            pay(invoice, reference("paid at last")).then().statusCode(200);
            assertEquals("suspended", status(max));
            assertEquals(0, db.count("SELECT count(*) FROM audit_log WHERE action = 'tenant.resumed' AND tenant_id = ?"
                    + " AND actor = 'system'", tenant), "no resume by the payment");
        }

        // a paid invoice suspends nobody, however old
        Api.TenantUser ned = Api.tenantWithAdmin();
        UUID paidTenant = InvoicePaymentTest.billed(usage, db, ned.slug());
        String paid = finalized(paidTenant);
        pay(paid, reference("on time")).then().statusCode(200);
        finalizedDaysAgo(paid, 60);
        assertEquals(0, sweep());
        assertEquals("active", status(ned));
    }
    @Test
    void anOperatorsSuspensionTellsTheTenantWhyOnItsPagesItsKeysAndItsWebhook() throws Exception {
        Api.TenantUser ola = Api.tenantWithAdmin();
        UUID tenant = (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", ola.slug());
        String key = Api.as(ola.token()).body(Map.of("name", "k")).post("/api/v1/tenants/" + ola.slug() + "/keys")
                .then().statusCode(201).extract().path("key");
        String tenantUrl = "/admin/v1/tenants/" + ola.slug();
        String mine = "tenants.find { it.slug == '" + ola.slug() + "' }";
        // a note needs a suspension, and is at most 500 characters; nothing changes when refused
        Api.as(Tokens.admin()).body(Map.of("suspension_note", "why")).patch(tenantUrl).then().statusCode(400)
                .body("code", equalTo("suspension_note_without_suspension"));
        Api.as(Tokens.admin()).body(Map.of("status", "suspended", "suspension_note", "x".repeat(501)))
                .patch(tenantUrl).then().statusCode(400).body("code", equalTo("validation_failed"));
        assertEquals("active", status(ola));
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            db.update("UPDATE tenants SET webhook_url = ?, webhook_secret = ? WHERE id = ?", receiver.url(),
                    WebhookSignatures.newSecret(), tenant);
            String why = "Traffic from your keys looks like abuse; write to trust@example.com";
            Api.as(Tokens.admin()).body(Map.of("status", "suspended", "suspension_note", why)).patch(tenantUrl)
                    .then().statusCode(200).body("suspension_note", equalTo(why)).body("suspended_reason", nullValue());
            Api.as(ola.token()).get("/api/v1/me").then().statusCode(200).body(mine + ".suspension_note", equalTo(why));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> keyCall(key) == 403);
            given().header("Authorization", "Bearer " + key).get("/v2/models/no-such-model").then().statusCode(403)
                    .body("error", equalTo("tenant " + ola.slug() + " is suspended by the platform's operator: " + why));
            JsonNode told = JSON.readTree(awaitEvent(receiver, "tenant.suspended").body()).get("data");
            assertEquals("operator", told.get("reason").asText());
            assertEquals(why, told.get("note").asText());

            // the note changes while it stays suspended; resuming clears it
            Api.as(Tokens.admin()).body(Map.of("suspension_note", "Still looking into it")).patch(tenantUrl).then()
                    .statusCode(200).body("suspension_note", equalTo("Still looking into it"));
            assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'tenant.suspension_note_changed'"
                    + " AND tenant_id = ?", tenant));
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> given().header("Authorization", "Bearer "
                    + key).get("/v2/models/no-such-model").then().extract().asString().contains("Still looking"));
            Api.as(Tokens.admin()).body(Map.of("status", "active")).patch(tenantUrl).then().statusCode(200)
                    .body("suspension_note", nullValue());
            assertEquals(null, db.value("SELECT suspension_note FROM tenants WHERE id = ?", tenant));
            Api.as(ola.token()).get("/api/v1/me").then().statusCode(200).body(mine + ".status", equalTo("active"))
                    .body(mine + ".suspension_note", nullValue());
        }
    }
    @Test
    void aNoteOnTheSweepsSuspensionLeavesItTheSweepsSoPayingStillResumesAndClearsIt() {
        Api.TenantUser pia = Api.tenantWithAdmin();
        UUID tenant = InvoicePaymentTest.billed(usage, db, pia.slug());
        String key = Api.as(pia.token()).body(Map.of("name", "k")).post("/api/v1/tenants/" + pia.slug() + "/keys")
                .then().statusCode(201).extract().path("key");
        String invoice = finalized(tenant);
        finalizedDaysAgo(invoice, 45);
        assertEquals(1, sweep());
        String tenantUrl = "/admin/v1/tenants/" + pia.slug();
        Api.as(Tokens.admin()).body(Map.of("suspension_note", "Call billing on +1 555 0100")).patch(tenantUrl).then()
                .statusCode(200).body("status", equalTo("suspended")).body("suspended_reason", equalTo("non_payment"))
                .body("suspension_note", equalTo("Call billing on +1 555 0100"));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> given().header("Authorization", "Bearer " + key)
                .get("/v2/models/no-such-model").then().extract().asString()
                .contains("once it is paid (the platform's operator adds: Call billing on +1 555 0100)"));
        pay(invoice, reference("paid")).then().statusCode(200);
        Api.as(Tokens.admin()).get(tenantUrl).then().statusCode(200).body("status", equalTo("active"))
                .body("suspension_note", nullValue());
        assertEquals(null, db.value("SELECT suspension_note FROM tenants WHERE id = ?", tenant));
    }
}
