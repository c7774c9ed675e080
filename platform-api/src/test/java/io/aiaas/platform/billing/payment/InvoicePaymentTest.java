package io.aiaas.platform.billing.payment;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.platform.billing.invoice.service.InvoiceService;
import io.aiaas.platform.billing.invoice.service.InvoiceView;
import io.aiaas.platform.billing.payment.service.PaymentService;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.BilledUsage;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.aiaas.platform.testsupport.WebhookReceiver;
import io.aiaas.platform.webhook.service.WebhookSignatures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
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
 * Payments: a finalized invoice is open until a platform admin records its payment (then paid, the tenant's webhook
 * told), partially paid while part of it is left, overdue once its terms pass with something left; credit notes take
 * what they credit off what is due, and one issued after payment leaves a refund due until the refund is recorded; an
 * entry recorded by mistake can be removed; only a finalized invoice with something due can be paid, never beyond
 * what is left, even by two admins at the same instant; tenants see their own invoices' payment state and nobody
 * else's.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class InvoicePaymentTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final LocalDate PERIOD = LocalDate.of(2025, 4, 1);
    /** 5.00 a month and 1.50 a request. */
    static final String PLAN = """
            {"name": "%s", "currency": "USD", "monthly_fee_micros": 5000000, "included_credit_micros": 0,
             "prices": [{"per_1k_requests": {"tiers": [{"unit_micros": 1500000}]}}]}""";

    @Inject
    BilledUsage usage;
    @Inject
    TestDb db;
    @Inject
    InvoiceService invoices;
    @Inject
    PaymentService payments;

    /** A tenant on the plan with two calls in April 2025 (5.00 + 2 x 0.0015 = 5.003, invoiced 5.00). */
    UUID billed(String slug) {
        return billed(usage, db, slug);
    }

    static UUID billed(BilledUsage usage, TestDb db, String slug) {
        UUID tenant = (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", slug);
        String name = "Paid-" + UUID.randomUUID().toString().substring(0, 8);
        UUID plan = usage.plan(name, "USD", PLAN.formatted(name));
        usage.assign(tenant, plan, Instant.parse("2024-01-01T00:00:00Z"));
        for (int i = 0; i < 2; i++) {
            usage.call(tenant).model("iris").at(Instant.parse("2025-04-0" + (i + 1) + "T08:00:00Z")).plan(plan)
                    .cost("USD", 1_500_000, 0, 0).items(0).computeUs(0).insert();
        }
        return tenant;
    }

    InvoiceView finalized(UUID tenant) {
        return invoices.close(tenant, PERIOD, "admin@aiaas.test", false).invoices().get(0);
    }

    static Response pay(String id, Object body) {
        return Api.as(Tokens.admin()).body(body).post("/admin/v1/invoices/" + id + "/payments");
    }

    static Response refund(String id, Object body) {
        return Api.as(Tokens.admin()).body(body).post("/admin/v1/invoices/" + id + "/refunds");
    }

    static Map<String, Object> part(String reference, long amountMinor) {
        return Map.of("reference", reference, "amount_minor", amountMinor);
    }

    static Map<String, Object> reference(String reference) {
        return Map.of("reference", reference);
    }

    @Test
    void anInvoiceIsOpenUntilPaidThenPaidForTheTenantAndItsWebhookAndAMistakenPaymentCanBeRemoved()
            throws Exception {
        Api.TenantUser alice = Api.tenantWithAdmin();
        UUID tenant = billed(alice.slug());
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            String secret = WebhookSignatures.newSecret();
            db.update("UPDATE tenants SET webhook_url = ?, webhook_secret = ? WHERE id = ?", receiver.url(), secret,
                    tenant);
            InvoiceView invoice = finalized(tenant);
            String id = invoice.id().toString();
            String url = "/api/v1/tenants/" + alice.slug() + "/invoices/" + id;
            Instant due = invoice.finalizedAt().plus(Duration.ofDays(30));
            Api.as(alice.token()).get(url).then().statusCode(200)
                    .body("payment.status", equalTo("open"))
                    .body("payment.amount_due_minor", equalTo(500))
                    .body("payment.amount_due", equalTo("5.00"))
                    .body("payment.due_at", equalTo(due.toString()))
                    .body("payment.paid_at", nullValue());

            String paidAt = invoice.finalizedAt().truncatedTo(ChronoUnit.DAYS).toString();
            // the first version's path records the same (kept for its clients)
            Api.as(Tokens.admin()).body(Map.of("reference", "  wire 2025-0412 ", "paid_at", paidAt))
                    .post("/admin/v1/invoices/" + id + "/payment").then().statusCode(200)
                    .body("payment.status", equalTo("paid"))
                    .body("payment.amount_due_minor", equalTo(0))
                    .body("payment.paid_minor", equalTo(500))
                    .body("payment.paid", equalTo("5.00"))
                    .body("payment.paid_at", equalTo(paidAt))
                    .body("payment.reference", equalTo("wire 2025-0412"))
                    .body("payment.entries", org.hamcrest.Matchers.hasSize(1))
                    .body("payment.entries[0].kind", equalTo("payment"))
                    .body("payment.entries[0].amount_minor", equalTo(500))
                    .body("payment.entries[0].at", equalTo(paidAt));
            Api.as(alice.token()).get(url).then().statusCode(200).body("payment.status", equalTo("paid"));
            Api.as(alice.token()).get("/api/v1/tenants/" + alice.slug() + "/invoices").then().statusCode(200)
                    .body("find { it.id == '" + id + "' }.payment.status", equalTo("paid"));
            assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action ="
                    + " 'billing.invoice.payment_recorded' AND target_id = ?", id));

            // the tenant's webhook is told, signed like every event (after invoice.finalized)
            WebhookReceiver.Received got = awaitEvent(receiver, "invoice.paid");
            assertTrue(WebhookReceiver.verify(secret, got.header("x-aiaas-signature"), got.body(), 300));
            JsonNode data = JSON.readTree(got.body()).get("data");
            assertEquals(id, data.get("invoice_id").asText());
            assertEquals("5.00", data.get("paid").asText());
            assertEquals(500, data.get("paid_minor").asLong());
            assertEquals(500, data.get("amount_minor").asLong());
            assertEquals(0, data.get("amount_due_minor").asLong());
            assertEquals(paidAt, data.get("paid_at").asText());
            assertEquals("wire 2025-0412", data.get("reference").asText());
            assertEquals(url, data.get("url").asText());

            pay(id, reference("again")).then().statusCode(409).body("code", equalTo("invoice_paid"));

            // the first version's DELETE removes the latest payment
            Api.as(Tokens.admin()).delete("/admin/v1/invoices/" + id + "/payment").then().statusCode(200)
                    .body("payment.status", equalTo("open")).body("payment.amount_due_minor", equalTo(500))
                    .body("payment.reference", nullValue()).body("payment.entries", nullValue());
            Api.as(Tokens.admin()).delete("/admin/v1/invoices/" + id + "/payment").then().statusCode(404)
                    .body("code", equalTo("payment_not_found"));
            assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'billing.invoice.payment_removed'"
                    + " AND target_id = ?", id));
            assertEquals(0, db.count("SELECT count(*) FROM invoice_payments WHERE invoice_id = ?", invoice.id()));
        }
    }

    @Test
    void anInvoicePaidInPartsIsPartiallyPaidUntilNothingIsLeftAndNoPaymentExceedsWhatIsLeft() throws Exception {
        Api.TenantUser hank = Api.tenantWithAdmin();
        UUID tenant = billed(hank.slug());
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            db.update("UPDATE tenants SET webhook_url = ?, webhook_secret = ? WHERE id = ?", receiver.url(),
                    WebhookSignatures.newSecret(), tenant);
            String id = finalized(tenant).id().toString();
            String url = "/api/v1/tenants/" + hank.slug() + "/invoices/" + id;

            pay(id, part("first transfer", 120)).then().statusCode(200)
                    .body("payment.status", equalTo("partially_paid"))
                    .body("payment.amount_due_minor", equalTo(380))
                    .body("payment.paid_minor", equalTo(120))
                    .body("payment.reference", equalTo("first transfer"));
            JsonNode received = JSON.readTree(awaitEvent(receiver, "invoice.payment_received").body()).get("data");
            assertEquals(120, received.get("amount_minor").asLong());
            assertEquals("1.20", received.get("amount").asText());
            assertEquals(380, received.get("amount_due_minor").asLong());
            assertEquals(120, received.get("paid_minor").asLong());

            pay(id, part("too much", 381)).then().statusCode(409).body("code", equalTo("payment_exceeds_balance"))
                    .body("detail", equalTo("Only 3.80 USD is left to pay on invoice " + number(id)
                            + "; a payment of 3.81 USD would exceed it (send \"excess_as_credit\": true to keep the"
                            + " rest as the tenant's credit)"));
            pay(id, part("nothing", 0)).then().statusCode(400).body("code", equalTo("validation_failed"))
                    .body("detail", org.hamcrest.Matchers.containsString("amount_minor"));
            pay(id, part("negative", -5)).then().statusCode(400).body("code", equalTo("validation_failed"));
            pay(id, Map.of("reference", "text", "amount_minor", "ten")).then().statusCode(400);
            pay(id, part("second transfer", 80)).then().statusCode(200)
                    .body("payment.status", equalTo("partially_paid")).body("payment.amount_due_minor", equalTo(300));
            // what is left by default
            pay(id, reference("the rest")).then().statusCode(200)
                    .body("payment.status", equalTo("paid")).body("payment.amount_due_minor", equalTo(0))
                    .body("payment.paid_minor", equalTo(500))
                    .body("payment.entries.amount_minor", equalTo(List.of(120, 80, 300)))
                    .body("payment.entries.reference", equalTo(List.of("first transfer", "second transfer",
                            "the rest")));
            JsonNode paid = JSON.readTree(awaitEvent(receiver, "invoice.paid").body()).get("data");
            assertEquals(300, paid.get("amount_minor").asLong());
            assertEquals(500, paid.get("paid_minor").asLong());
            assertEquals(0, paid.get("amount_due_minor").asLong());
            assertEquals(3, db.count("SELECT count(*) FROM audit_log WHERE action = 'billing.invoice.payment_recorded'"
                    + " AND target_id = ?", id));

            // the tenant sees the ledger; the second transfer bounced: removing it leaves 0.80 to pay
            List<Map<String, Object>> entries = Api.as(hank.token()).get(url).then().statusCode(200)
                    .extract().jsonPath().getList("payment.entries");
            assertEquals(3, entries.size());
            assertTrue(entries.stream().noneMatch(e -> e.containsKey("recorded_by")), "no operator names");
            String bounced = (String) entries.get(1).get("id");
            Api.as(Tokens.admin()).delete("/admin/v1/invoices/" + id + "/payments/" + bounced).then().statusCode(200)
                    .body("payment.status", equalTo("partially_paid")).body("payment.amount_due_minor", equalTo(80))
                    .body("payment.reference", equalTo("the rest"));
            Api.as(Tokens.admin()).delete("/admin/v1/invoices/" + id + "/payments/" + bounced).then().statusCode(404)
                    .body("code", equalTo("payment_not_found"));
            Api.as(Tokens.admin()).delete("/admin/v1/invoices/" + id + "/payments/not-an-id").then().statusCode(404)
                    .body("code", equalTo("payment_not_found"));
            Api.as(hank.token()).delete("/admin/v1/invoices/" + id + "/payments/" + entries.get(0).get("id"))
                    .then().statusCode(403);
            // an entry of another invoice is not this one's
            String other = finalized(billed(Api.tenantWithAdmin().slug())).id().toString();
            Api.as(Tokens.admin()).delete("/admin/v1/invoices/" + other + "/payments/" + entries.get(0).get("id"))
                    .then().statusCode(404).body("code", equalTo("payment_not_found"));
            assertEquals(2, db.count("SELECT count(*) FROM invoice_payments WHERE invoice_id = ?", UUID.fromString(id)));
        }
    }

    @Test
    void aCreditNoteAfterPaymentLeavesARefundDueUntilItIsRefundedAndNoRefundExceedsIt() throws Exception {
        Api.TenantUser ivy = Api.tenantWithAdmin();
        UUID tenant = billed(ivy.slug());
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            db.update("UPDATE tenants SET webhook_url = ?, webhook_secret = ? WHERE id = ?", receiver.url(),
                    WebhookSignatures.newSecret(), tenant);
            String id = finalized(tenant).id().toString();
            String url = "/api/v1/tenants/" + ivy.slug() + "/invoices/" + id;
            refund(id, reference("nothing paid yet")).then().statusCode(409).body("code", equalTo("nothing_to_refund"));
            pay(id, reference("paid in full")).then().statusCode(200).body("payment.status", equalTo("paid"));
            refund(id, reference("nothing overpaid")).then().statusCode(409)
                    .body("code", equalTo("nothing_to_refund"));

            // 1.50 credited after the 5.00 was paid: the platform owes 1.50 back
            Api.as(Tokens.admin()).body(Map.of("amount_micros", 1_500_000, "reason", "outage after payment"))
                    .post("/admin/v1/invoices/" + id + "/credit-notes").then().statusCode(201);
            Api.as(ivy.token()).get(url).then().statusCode(200)
                    .body("payment.status", equalTo("refund_due"))
                    .body("payment.amount_due_minor", equalTo(0))
                    .body("payment.refund_due_minor", equalTo(150)).body("payment.refund_due", equalTo("1.50"))
                    .body("payment.paid_minor", equalTo(500));
            pay(id, part("more", 1)).then().statusCode(409).body("code", equalTo("invoice_paid"))
                    .body("detail", org.hamcrest.Matchers.containsString("1.50 USD is owed back"));
            refund(id, part("too much", 151)).then().statusCode(409).body("code", equalTo("refund_exceeds_balance"));
            refund(id, Map.of("reference", "x", "refunded_at", "2025-04-30T00:00:00Z")).then().statusCode(400)
                    .body("code", equalTo("invalid_refunded_at"));
            refund(id, part("first part back", 50)).then().statusCode(200)
                    .body("payment.status", equalTo("refund_due")).body("payment.refund_due_minor", equalTo(100))
                    .body("payment.refunded_minor", equalTo(50));
            JsonNode refunded = JSON.readTree(awaitEvent(receiver, "invoice.refunded").body()).get("data");
            assertEquals(50, refunded.get("amount_minor").asLong());
            assertEquals(100, refunded.get("refund_due_minor").asLong());
            assertEquals("first part back", refunded.get("reference").asText());
            // the rest by default: the invoice is settled, its ledger says how
            refund(id, reference("the rest back")).then().statusCode(200)
                    .body("payment.status", equalTo("paid")).body("payment.amount_due_minor", equalTo(0))
                    .body("payment.refund_due_minor", nullValue()).body("payment.refunded_minor", equalTo(150))
                    .body("payment.entries.kind", equalTo(List.of("payment", "refund", "refund")));
            assertEquals(2, db.count("SELECT count(*) FROM audit_log WHERE action = 'billing.invoice.refund_recorded'"
                    + " AND target_id = ?", id));
            Api.as(ivy.token()).body(reference("self-service")).post("/admin/v1/invoices/" + id + "/refunds")
                    .then().statusCode(403);
            // another tenant's people see none of it
            Api.TenantUser jack = Api.tenantWithAdmin();
            Api.as(jack.token()).get("/api/v1/tenants/" + ivy.slug() + "/invoices/" + id).then().statusCode(404);
            assertTrue(ids(Api.as(jack.token()).get("/api/v1/tenants/" + jack.slug() + "/invoices?payment=paid"))
                    .isEmpty());
        }
    }

    String number(String invoiceId) {
        return (String) db.value("SELECT number FROM invoices WHERE id = ?", UUID.fromString(invoiceId));
    }

    @Test
    void unpaidAfterItsTermsAnInvoiceIsOverdue() {
        Api.TenantUser bob = Api.tenantWithAdmin();
        String id = finalized(billed(bob.slug())).id().toString();
        String url = "/api/v1/tenants/" + bob.slug() + "/invoices/" + id;
        db.update("UPDATE invoices SET finalized_at = now() - interval '29 days' WHERE id = ?", UUID.fromString(id));
        Api.as(bob.token()).get(url).then().statusCode(200).body("payment.status", equalTo("open"));
        db.update("UPDATE invoices SET finalized_at = now() - interval '31 days' WHERE id = ?", UUID.fromString(id));
        Api.as(bob.token()).get(url).then().statusCode(200).body("payment.status", equalTo("overdue"))
                .body("payment.amount_due_minor", equalTo(500))
                .body("payment.suspends_at", nullValue()); // this platform never suspends tenants that do not pay
        Api.as(Tokens.admin()).get("/admin/v1/invoices?tenant=" + bob.slug()).then().statusCode(200)
                .body("find { it.id == '" + id + "' }.payment.status", equalTo("overdue"));
        pay(id, reference("late wire")).then().statusCode(200).body("payment.status", equalTo("paid"));
    }

    @Test
    void creditNotesComeOffWhatIsDueAndAFullyCreditedInvoiceHasNothingDue() {
        Api.TenantUser carol = Api.tenantWithAdmin();
        UUID tenant = billed(carol.slug());
        String id = finalized(tenant).id().toString();
        Api.as(Tokens.admin()).body(Map.of("amount_micros", 1_250_000, "reason", "outage"))
                .post("/admin/v1/invoices/" + id + "/credit-notes").then().statusCode(201);
        Api.as(Tokens.admin()).get("/admin/v1/invoices/" + id).then().statusCode(200)
                .body("payment.status", equalTo("open"))
                .body("payment.amount_due_minor", equalTo(375)).body("payment.amount_due", equalTo("3.75"));
        pay(id, reference("wire 1")).then().statusCode(200).body("payment.paid_minor", equalTo(375));

        Api.TenantUser dave = Api.tenantWithAdmin();
        String credited = finalized(billed(dave.slug())).id().toString();
        Api.as(Tokens.admin()).body(Map.of("amount_micros", 5_003_000, "reason", "all of it"))
                .post("/admin/v1/invoices/" + credited + "/credit-notes").then().statusCode(201);
        Api.as(dave.token()).get("/api/v1/tenants/" + dave.slug() + "/invoices/" + credited).then().statusCode(200)
                .body("payment.status", equalTo("nothing_due")).body("payment.amount_due_minor", equalTo(0));
        pay(credited, reference("wire 2")).then().statusCode(409).body("code", equalTo("nothing_due"));
        // a credit note is not an invoice to pay, and shows no payment
        String note = (String) db.value("SELECT CAST(id AS text) FROM invoices WHERE corrects_id = ?",
                UUID.fromString(credited));
        Api.as(dave.token()).get("/api/v1/tenants/" + dave.slug() + "/invoices/" + note).then().statusCode(200)
                .body("payment", nullValue());
        pay(note, reference("wire 3")).then().statusCode(409).body("code", equalTo("invoice_not_finalized"));
    }

    @Test
    void onlyAFinalizedInvoiceIsPaidWithAReferenceAndAPlausibleDateByAPlatformAdmin() {
        Api.TenantUser erin = Api.tenantWithAdmin();
        UUID tenant = billed(erin.slug());
        InvoiceView draft = invoices.close(tenant, PERIOD, "admin@aiaas.test", true).invoices().get(0);
        String id = draft.id().toString();
        Api.as(erin.token()).get("/api/v1/tenants/" + erin.slug() + "/invoices/" + id).then().statusCode(200)
                .body("payment", nullValue());
        pay(id, reference("early")).then().statusCode(409).body("code", equalTo("invoice_not_finalized"))
                .body("detail", org.hamcrest.Matchers.containsString("draft"));
        Api.as(Tokens.admin()).post("/admin/v1/invoices/" + id + "/finalize").then().statusCode(200);

        pay(id, Map.of("reference", "x", "paid_at", Instant.now().plus(Duration.ofHours(1)).toString()))
                .then().statusCode(400).body("code", equalTo("invalid_paid_at"));
        pay(id, Map.of("reference", "x", "paid_at", "2025-04-30T00:00:00Z")).then().statusCode(400)
                .body("code", equalTo("invalid_paid_at")).body("detail",
                        org.hamcrest.Matchers.containsString("before the day the invoice was finalized"));
        pay(id, reference("  ")).then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("detail", org.hamcrest.Matchers.containsString("reference"));
        pay(id, reference("r".repeat(201))).then().statusCode(400).body("code", equalTo("validation_failed"));
        pay(id, Map.of()).then().statusCode(400).body("code", equalTo("validation_failed"));
        pay(UUID.randomUUID().toString(), reference("x")).then().statusCode(404)
                .body("code", equalTo("invoice_not_found"));
        pay("not-an-id", reference("x")).then().statusCode(404).body("code", equalTo("invoice_not_found"));
        // a tenant's own admin may not record payments, nor remove them
        Api.as(erin.token()).body(reference("self-service")).post("/admin/v1/invoices/" + id + "/payment").then()
                .statusCode(403);
        Api.as(erin.token()).delete("/admin/v1/invoices/" + id + "/payment").then().statusCode(403);
        assertEquals(0, db.count("SELECT count(*) FROM invoice_payments WHERE invoice_id = ?", draft.id()),
                "nothing refused was recorded");

        // another tenant's people see none of it
        Api.TenantUser frank = Api.tenantWithAdmin();
        Api.as(frank.token()).get("/api/v1/tenants/" + erin.slug() + "/invoices/" + id).then().statusCode(404);
        Api.as(frank.token()).get("/api/v1/tenants/" + frank.slug() + "/invoices/" + id).then().statusCode(404);
    }

    @Test
    void twoAdminsRecordingPaymentsAtOnceNeverSettleMoreThanIsDue() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // even rounds: the same payment in full twice; odd rounds: two parts of 3.00 of the 5.00 due
            for (int round = 0; round < 6; round++) {
                Api.TenantUser user = Api.tenantWithAdmin();
                String id = finalized(billed(user.slug())).id().toString();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> answers = new ArrayList<>();
                boolean parts = round % 2 == 1;
                for (int i = 0; i < 2; i++) {
                    Map<String, Object> body = parts ? part("part " + i, 300) : reference("wire " + i);
                    answers.add(pool.submit(() -> {
                        start.await();
                        return pay(id, body).statusCode();
                    }));
                }
                start.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> answer : answers) {
                    statuses.add(answer.get());
                }
                statuses.sort(null);
                assertEquals(List.of(200, 409), statuses, "round " + round);
                assertEquals(1, db.count("SELECT count(*) FROM invoice_payments WHERE invoice_id = ?",
                        UUID.fromString(id)));
                assertEquals(parts ? 300 : 500, db.count("SELECT sum(amount_minor) FROM invoice_payments"
                        + " WHERE invoice_id = ?", UUID.fromString(id)));
                assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action ="
                        + " 'billing.invoice.payment_recorded' AND target_id = ?", id));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTenantIsToldOnceWhenAnInvoiceTurnsOverdueButNotOfPaidCreditedOrRecentOnes() throws Exception {
        Api.TenantUser late = Api.tenantWithAdmin();
        UUID lateTenant = billed(late.slug());
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            String secret = WebhookSignatures.newSecret();
            db.update("UPDATE tenants SET webhook_url = ?, webhook_secret = ? WHERE id = ?", receiver.url(), secret,
                    lateTenant);
            UUID overdue = finalized(lateTenant).id();
            UUID paid = finalized(billed(Api.tenantWithAdmin().slug())).id();
            UUID recent = finalized(billed(Api.tenantWithAdmin().slug())).id();
            UUID credited = finalized(billed(Api.tenantWithAdmin().slug())).id();
            pay(paid.toString(), reference("on time")).then().statusCode(200);
            Api.as(Tokens.admin()).body(Map.of("amount_micros", 5_003_000, "reason", "all of it"))
                    .post("/admin/v1/invoices/" + credited + "/credit-notes").then().statusCode(201);
            for (UUID id : List.of(overdue, paid, credited)) {
                db.update("UPDATE invoices SET finalized_at = now() - interval '31 days' WHERE id = ?", id);
            }
            db.update("UPDATE invoices SET finalized_at = now() - interval '29 days' WHERE id = ?", recent);

            // two replicas' sweeps at once tell it once
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> runs = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    runs.add(pool.submit(() -> {
                        start.await();
                        return payments.announceOverdue();
                    }));
                }
                start.countDown();
                for (Future<Integer> run : runs) {
                    run.get();
                }
            } finally {
                pool.shutdownNow();
            }
            payments.announceOverdue();
            for (UUID id : List.of(overdue, paid, recent, credited)) {
                assertEquals(id.equals(overdue) ? 1 : 0, db.count("SELECT count(*) FROM invoice_overdue_notices"
                        + " WHERE invoice_id = ?", id), "notices of " + id);
                assertEquals(id.equals(overdue) ? 1 : 0, db.count("SELECT count(*) FROM audit_log WHERE action ="
                        + " 'billing.invoice.overdue' AND target_id = ?", id.toString()), "audit of " + id);
            }

            WebhookReceiver.Received got = awaitEvent(receiver, "invoice.overdue");
            assertTrue(WebhookReceiver.verify(secret, got.header("x-aiaas-signature"), got.body(), 300));
            JsonNode data = JSON.readTree(got.body()).get("data");
            assertEquals(overdue.toString(), data.get("invoice_id").asText());
            assertEquals(500, data.get("amount_due_minor").asLong());
            assertEquals("5.00", data.get("amount_due").asText());
            Api.as(late.token()).get(data.get("url").asText()).then().statusCode(200)
                    .body("payment.status", equalTo("overdue"))
                    .body("payment.due_at", equalTo(data.get("due_at").asText()));
            assertEquals(2, db.count("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ?", lateTenant),
                    "invoice.finalized and one invoice.overdue");
        }
    }

    @Test
    void invoiceListsFilterByPaymentState() {
        Api.TenantUser gina = Api.tenantWithAdmin();
        UUID tenant = billed(gina.slug());
        String open = finalized(tenant).id().toString();
        String overdue = invoices.close(tenant, LocalDate.of(2025, 5, 1)).invoices().get(0).id().toString();
        db.update("UPDATE invoices SET finalized_at = now() - interval '31 days' WHERE id = ?",
                UUID.fromString(overdue));
        String paid = invoices.close(tenant, LocalDate.of(2025, 6, 1)).invoices().get(0).id().toString();
        pay(paid, reference("wire june")).then().statusCode(200);
        String nothingDue = invoices.close(tenant, LocalDate.of(2025, 7, 1)).invoices().get(0).id().toString();
        Api.as(Tokens.admin()).body(Map.of("amount_micros", 5_000_000, "reason", "free month"))
                .post("/admin/v1/invoices/" + nothingDue + "/credit-notes").then().statusCode(201);
        String draft = invoices.close(tenant, LocalDate.of(2025, 8, 1), "admin@aiaas.test", true).invoices().get(0)
                .id().toString();
        String partly = invoices.close(tenant, LocalDate.of(2025, 9, 1)).invoices().get(0).id().toString();
        pay(partly, part("first half", 250)).then().statusCode(200);
        String refundDue = invoices.close(tenant, LocalDate.of(2025, 10, 1)).invoices().get(0).id().toString();
        pay(refundDue, reference("wire october")).then().statusCode(200);
        Api.as(Tokens.admin()).body(Map.of("amount_micros", 1_000_000, "reason", "slow week"))
                .post("/admin/v1/invoices/" + refundDue + "/credit-notes").then().statusCode(201);

        String list = "/api/v1/tenants/" + gina.slug() + "/invoices";
        assertEquals(List.of(open), ids(Api.as(gina.token()).get(list + "?payment=open")));
        assertEquals(List.of(overdue), ids(Api.as(gina.token()).get(list + "?payment=overdue")));
        assertEquals(List.of(paid), ids(Api.as(gina.token()).get(list + "?payment=paid")));
        assertEquals(List.of(nothingDue), ids(Api.as(gina.token()).get(list + "?payment=nothing_due")));
        assertEquals(List.of(partly), ids(Api.as(gina.token()).get(list + "?payment=partially_paid")));
        assertEquals(List.of(refundDue), ids(Api.as(gina.token()).get(list + "?payment=refund_due")));
        assertEquals(List.of(partly, overdue, open), ids(Api.as(gina.token()).get(list + "?payment=unpaid")),
                "newest period first");
        List<String> all = ids(Api.as(gina.token()).get(list + "?payment="));
        assertEquals(9, all.size(), "no filter: seven invoices and two credit notes " + all);
        // what each list's invoices answer agrees with the filter that found them
        for (String state : PaymentService.FILTERS) {
            List<String> statuses = Api.as(gina.token()).get(list + "?payment=" + state).then().statusCode(200)
                    .extract().jsonPath().getList("payment.status");
            assertTrue(statuses.stream().allMatch(status -> status.equals(state) || state.equals("unpaid")
                    && List.of("open", "partially_paid", "overdue").contains(status)), state + ": " + statuses);
        }
        assertTrue(all.contains(draft));
        assertEquals(List.of(partly, overdue, open), ids(Api.as(Tokens.admin())
                .get("/admin/v1/invoices?tenant=" + gina.slug() + "&payment=unpaid")));
        assertTrue(ids(Api.as(Tokens.admin()).get("/admin/v1/invoices?payment=overdue")).contains(overdue),
                "across tenants");
        Api.as(Tokens.admin()).get("/admin/v1/invoices?payment=late").then().statusCode(400)
                .body("code", equalTo("invalid_parameter"))
                .body("detail", equalTo("payment must be one of unpaid, open, partially_paid, overdue, paid,"
                        + " nothing_due, refund_due"));
        Api.as(gina.token()).get(list + "?payment=PAID").then().statusCode(400);
    }


    @Test
    void receivablesAddUpWhatIsInvoicedCreditedPaidRefundedOutstandingOverdueAndOwedBack() {
        // a period no other test closes: its receivables are these five invoices alone
        LocalDate period = LocalDate.of(2024, 3, 1);
        String[] ids = new String[5];
        for (int i = 0; i < ids.length; i++) {
            Api.TenantUser user = Api.tenantWithAdmin();
            UUID tenant = (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", user.slug());
            String name = "Owed-" + UUID.randomUUID().toString().substring(0, 8);
            usage.assign(tenant, usage.plan(name, "USD", PLAN.formatted(name)), Instant.parse("2024-01-01T00:00:00Z"));
            ids[i] = invoices.close(tenant, period).invoices().get(0).id().toString(); // 5.00 each
        }
        pay(ids[0], reference("paid in full")).then().statusCode(200);
        db.update("UPDATE invoices SET finalized_at = now() - interval '40 days' WHERE id = ?",
                UUID.fromString(ids[1]));
        pay(ids[1], part("a first part, late", 200)).then().statusCode(200);
        Api.as(Tokens.admin()).body(Map.of("amount_micros", 1_250_000, "reason", "partial credit"))
                .post("/admin/v1/invoices/" + ids[2] + "/credit-notes").then().statusCode(201);
        Api.as(Tokens.admin()).body(Map.of("amount_micros", 5_000_000, "reason", "all of it"))
                .post("/admin/v1/invoices/" + ids[3] + "/credit-notes").then().statusCode(201);
        pay(ids[4], reference("paid, then credited")).then().statusCode(200);
        Api.as(Tokens.admin()).body(Map.of("amount_micros", 1_000_000, "reason", "after payment"))
                .post("/admin/v1/invoices/" + ids[4] + "/credit-notes").then().statusCode(201);
        refund(ids[4], part("part of it back", 40)).then().statusCode(200);

        Map<String, Object> currency = Api.as(Tokens.admin()).get("/admin/v1/billing/receivables?period=2024-03")
                .then().statusCode(200)
                .body("period", equalTo("2024-03"))
                .body("currencies", org.hamcrest.Matchers.hasSize(1))
                .body("currencies[0].currency", equalTo("USD"))
                .body("currencies[0].invoices", equalTo(5))
                .body("currencies[0].invoiced_minor", equalTo(2500)).body("currencies[0].invoiced", equalTo("25.00"))
                .body("currencies[0].credited_minor", equalTo(-725)).body("currencies[0].credited", equalTo("-7.25"))
                .body("currencies[0].paid_minor", equalTo(1200))
                .body("currencies[0].refunded_minor", equalTo(40)).body("currencies[0].refunded", equalTo("0.40"))
                // the 3.00 left of the late one and the 3.75 left of the partly credited one; nothing of the fully
                // credited one
                .body("currencies[0].outstanding_invoices", equalTo(2))
                .body("currencies[0].outstanding_minor", equalTo(675))
                .body("currencies[0].outstanding", equalTo("6.75"))
                .body("currencies[0].overdue_invoices", equalTo(1))
                .body("currencies[0].overdue_minor", equalTo(300))
                .body("currencies[0].refund_due_invoices", equalTo(1))
                .body("currencies[0].refund_due_minor", equalTo(60))
                .body("currencies[0].refund_due", equalTo("0.60"))
                .extract().jsonPath().getMap("currencies[0]");
        assertEquals(number(currency, "outstanding_minor") - number(currency, "refund_due_minor"),
                number(currency, "invoiced_minor") + number(currency, "credited_minor")
                        - number(currency, "paid_minor") + number(currency, "refunded_minor"),
                "invoiced + credited - paid + refunded = outstanding - refund due");
        Api.as(Tokens.admin()).get("/admin/v1/billing/receivables?period=2024-13").then().statusCode(400)
                .body("code", equalTo("invalid_parameter"));
        Api.as(Tokens.admin()).get("/admin/v1/billing/receivables").then().statusCode(200)
                .body("period", nullValue()).body("currencies.currency", org.hamcrest.Matchers.hasItem("USD"));
        Api.TenantUser tenantAdmin = Api.tenantWithAdmin();
        Api.as(tenantAdmin.token()).get("/admin/v1/billing/receivables").then().statusCode(403);
    }

    static long number(Map<String, Object> map, String key) {
        return ((Number) map.get(key)).longValue();
    }

    /** The event of that type the receiver got; deliveries queued close together may arrive in either order. */
    static WebhookReceiver.Received awaitEvent(WebhookReceiver receiver, String type) {
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> receiver.received().stream()
                .anyMatch(r -> type.equals(r.header("x-aiaas-event-type"))));
        return receiver.received().stream().filter(r -> type.equals(r.header("x-aiaas-event-type"))).findFirst()
                .orElseThrow();
    }

    static List<String> ids(Response response) {
        response.then().statusCode(200);
        return response.jsonPath().getList("id");
    }
    @Test
    void moneyReceivedBeyondWhatIsLeftBecomesTheTenantsCreditWhenTheAdminSaysSo() {
        Api.TenantUser uma = Api.tenantWithAdmin();
        String id = finalized(billed(uma.slug())).id().toString();
        // 5.00 asked, 8.00 received (a customer who paid twice and a bit): without the flag nothing is recorded
        pay(id, part("wire 8.00", 800)).then().statusCode(409).body("code", equalTo("payment_exceeds_balance"));
        Map<String, Object> body = Map.of("reference", "wire 8.00", "amount_minor", 800, "excess_as_credit", true);
        pay(id, body).then().statusCode(200).body("payment.status", equalTo("paid"))
                .body("payment.paid_minor", equalTo(500)).body("payment.amount_due_minor", equalTo(0));
        List<Map<String, Object>> grants = Api.as(Tokens.admin()).get("/admin/v1/credits?tenant=" + uma.slug())
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertEquals(1, grants.size(), grants.toString());
        assertEquals("USD", grants.get(0).get("currency"));
        assertEquals(3_000_000_000L, ((Number) grants.get(0).get("amount_nanos")).longValue(), grants.toString());
        assertEquals("Paid beyond invoice " + number(id) + " (wire 8.00)", grants.get(0).get("reason"));
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'billing.invoice.payment_recorded'"
                + " AND target_id = ? AND details->>'excess_credited_minor' = '300'", id));

        // a paid invoice takes no more, flag or not; a closed tenant holds no credit, so nothing of it is recorded
        pay(id, body).then().statusCode(409).body("code", equalTo("invoice_paid"));
        Api.TenantUser vic = Api.tenantWithAdmin();
        String other = finalized(billed(vic.slug())).id().toString();
        Api.as(vic.token()).body(Map.of("confirm", vic.slug())).post("/api/v1/tenants/" + vic.slug() + "/close")
                .then().statusCode(200);
        pay(other, Map.of("reference", "too much", "amount_minor", 900, "excess_as_credit", true)).then()
                .statusCode(409).body("code", equalTo("tenant_closed"));
        Api.as(Tokens.admin()).get("/admin/v1/invoices/" + other).then().statusCode(200)
                .body("payment.status", equalTo("open")).body("payment.amount_due_minor", equalTo(500));
    }
}
