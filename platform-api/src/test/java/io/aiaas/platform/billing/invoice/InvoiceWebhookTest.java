package io.aiaas.platform.billing.invoice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.platform.billing.invoice.service.InvoiceService;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.BilledUsage;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.aiaas.platform.testsupport.WebhookReceiver;
import io.aiaas.platform.webhook.service.WebhookSignatures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Tenants receive their invoices: when an invoice or credit note is finalized, the tenant's webhook gets an
 * {@code invoice.finalized} event (signed like every event), queued in the transaction that finalized it; drafts and
 * tenants without a webhook get none.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class InvoiceWebhookTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final LocalDate PERIOD = LocalDate.of(2025, 3, 1);

    @Inject
    BilledUsage usage;

    @Inject
    TestDb db;

    @Inject
    InvoiceService invoices;

    /** A tenant on a 5.00 USD plan with three calls at 0.0015 in March 2025; its id. */
    UUID billedTenant(String slug) {
        UUID tenant = (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", slug);
        String name = "Hooked-" + UUID.randomUUID().toString().substring(0, 8);
        UUID plan = usage.plan(name, "USD", InvoiceResourceTest.BASIC.formatted(name));
        usage.assign(tenant, plan, Instant.parse("2024-01-01T00:00:00Z"));
        for (int i = 0; i < 3; i++) {
            usage.call(tenant).model("iris").at(Instant.parse("2025-03-0" + (i + 1) + "T08:00:00Z")).plan(plan)
                    .cost("USD", 1_500_000, 0, 0).items(0).computeUs(0).insert();
        }
        return tenant;
    }

    String hook(UUID tenant, WebhookReceiver receiver) {
        String secret = WebhookSignatures.newSecret();
        db.update("UPDATE tenants SET webhook_url = ?, webhook_secret = ? WHERE id = ?", receiver.url(), secret,
                tenant);
        return secret;
    }

    List<WebhookReceiver.Received> awaitEvents(WebhookReceiver receiver, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> receiver.received().size() >= count);
        return receiver.received();
    }

    @Test
    void aFinalizedInvoiceAndItsCreditNoteReachTheTenantsWebhookSigned() throws Exception {
        Api.TenantUser alice = Api.tenantWithAdmin();
        UUID tenant = billedTenant(alice.slug());
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            String secret = hook(tenant, receiver);
            InvoiceService.Closed closed = invoices.close(tenant, PERIOD, "admin@aiaas.test", false);
            assertEquals(InvoiceService.Outcome.CREATED, closed.outcome());
            String invoiceId = closed.invoices().get(0).id().toString();

            WebhookReceiver.Received got = awaitEvents(receiver, 1).get(0);
            assertTrue(WebhookReceiver.verify(secret, got.header("x-aiaas-signature"), got.body(), 300));
            assertEquals("invoice.finalized", got.header("x-aiaas-event-type"));
            JsonNode event = JSON.readTree(got.body());
            assertEquals(alice.slug(), event.get("tenant").asText());
            JsonNode data = event.get("data");
            assertEquals(invoiceId, data.get("invoice_id").asText());
            assertEquals("INV-2025-03-" + alice.slug() + "-1", data.get("number").asText());
            assertEquals("invoice", data.get("kind").asText());
            assertEquals("2025-03", data.get("period").asText());
            assertEquals("5.00", data.get("total").asText());
            assertEquals(500, data.get("total_minor").asLong());
            assertEquals(5_004_500_000L, data.get("total_nanos").asLong());
            assertEquals(0, data.get("tax_nanos").asLong(), "no tax rate for its country: no tax");
            String url = data.get("url").asText();
            assertEquals("/api/v1/tenants/" + alice.slug() + "/invoices/" + invoiceId, url);
            // the link works for the tenant's people, and says what the event says
            Api.as(alice.token()).get(url).then().statusCode(200)
                    .body("number", org.hamcrest.Matchers.equalTo(data.get("number").asText()))
                    .body("total", org.hamcrest.Matchers.equalTo("5.00"));
            // and the document itself, for a receiver that files it
            assertEquals(url + ".pdf", data.get("pdf_url").asText());
            Api.as(alice.token()).get(data.get("pdf_url").asText()).then().statusCode(200)
                    .contentType("application/pdf");

            Api.as(Tokens.admin()).body(Map.of("amount_micros", 1_000_000, "reason", "outage"))
                    .post("/admin/v1/invoices/" + invoiceId + "/credit-notes").then().statusCode(201);
            JsonNode note = JSON.readTree(awaitEvents(receiver, 2).get(1).body()).get("data");
            assertEquals("credit_note", note.get("kind").asText());
            assertEquals(data.get("number").asText(), note.get("corrects").asText());
            assertEquals("-1.00", note.get("total").asText());
        }
    }

    @Test
    void aDraftIsAnnouncedWhenFinalizedNotBeforeAndATenantWithoutAWebhookGetsNothing() throws Exception {
        Api.TenantUser bob = Api.tenantWithAdmin();
        UUID tenant = billedTenant(bob.slug());
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            hook(tenant, receiver);
            String draftId = invoices.close(tenant, PERIOD, "admin@aiaas.test", true).invoices().get(0).id()
                    .toString();
            assertEquals(0, db.count("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ?", tenant),
                    "a draft is not final: nothing is announced");
            Api.as(Tokens.admin()).post("/admin/v1/invoices/" + draftId + "/finalize").then().statusCode(200);
            JsonNode data = JSON.readTree(awaitEvents(receiver, 1).get(0).body()).get("data");
            assertEquals(draftId, data.get("invoice_id").asText());
            // finalizing again changes nothing and announces nothing
            Api.as(Tokens.admin()).post("/admin/v1/invoices/" + draftId + "/finalize").then().statusCode(200);
            assertEquals(1, db.count("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ?", tenant));
        }

        Api.TenantUser carol = Api.tenantWithAdmin();
        UUID unhooked = billedTenant(carol.slug());
        assertEquals(InvoiceService.Outcome.CREATED,
                invoices.close(unhooked, PERIOD, "admin@aiaas.test", false).outcome());
        assertEquals(0, db.count("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ?", unhooked));
    }
}
