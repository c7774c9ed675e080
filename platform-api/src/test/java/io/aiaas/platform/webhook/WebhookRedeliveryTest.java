package io.aiaas.platform.webhook;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.Api.TenantUser;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.WebhookReceiver;
import io.aiaas.platform.webhook.service.WebhookOutbox;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Sending an event again: a new delivery of the same event (same id and body) to the webhook as configured now, linked
 * to the delivery it repeats, which keeps its history; one pending delivery per event at most, also under a race;
 * other tenants' deliveries are not found.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class WebhookRedeliveryTest {

    @Inject
    TestDb db;

    private static String path(TenantUser user) {
        return "/api/v1/tenants/" + user.slug() + "/webhook";
    }

    private static Response redeliver(TenantUser user, Object deliveryId) {
        return Api.as(user.token()).post(path(user) + "/deliveries/" + deliveryId + "/redeliver");
    }

    private void awaitState(Object deliveryId, String state) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> state.equals(
                db.value("SELECT state FROM webhook_deliveries WHERE id = ?::uuid", deliveryId.toString())));
    }

    private static String hook(TenantUser user, String url) {
        return Api.as(user.token()).body(Map.of("url", url)).put(path(user)).then().statusCode(200).extract()
                .path("secret");
    }

    @Test
    void aFailedEventIsSentAgainWithItsIdAndBodyAndTheFailedDeliveryKeepsItsHistory() {
        try (WebhookReceiver receiver = new WebhookReceiver(500, 500, 500, 200)) {
            TenantUser alice = Api.tenantWithAdmin();
            String secret = hook(alice, receiver.url());
            String failed = Api.as(alice.token()).post(path(alice) + "/test").then().statusCode(202).extract()
                    .path("delivery_id");
            awaitState(failed, "FAILED");
            assertEquals(3, receiver.received().size());

            Response queued = redeliver(alice, failed);
            queued.then().statusCode(202).body("event_type", equalTo("webhook.test"))
                    .body("redelivery_of", equalTo(failed));
            String again = queued.jsonPath().getString("delivery_id");
            assertNotEquals(failed, again);
            awaitState(again, "DELIVERED");
            WebhookReceiver.Received first = receiver.received().get(0);
            WebhookReceiver.Received last = receiver.received().get(3);
            assertEquals(first.body(), last.body(), "the same event, byte for byte");
            assertEquals(first.header("x-aiaas-event-id"), last.header("x-aiaas-event-id"));
            assertEquals(queued.jsonPath().getString("event_id"), last.header("x-aiaas-event-id"));
            assertEquals(again, last.header("x-aiaas-delivery-id"));
            assertTrue(WebhookReceiver.verify(secret, last.header("x-aiaas-signature"), last.body(), 300));

            Api.as(alice.token()).get(path(alice) + "/deliveries").then().statusCode(200)
                    .body("size()", equalTo(2))
                    .body("find { it.id == '" + again + "' }.redelivery_of", equalTo(failed))
                    .body("find { it.id == '" + again + "' }.state", equalTo("DELIVERED"))
                    .body("find { it.id == '" + failed + "' }.state", equalTo("FAILED"))
                    .body("find { it.id == '" + failed + "' }.attempts", equalTo(3))
                    .body("find { it.id == '" + failed + "' }.redelivery_of", nullValue());
            assertEquals(1L, db.count("SELECT count(*) FROM audit_log WHERE action = 'webhook.redelivery_queued'"
                    + " AND target_id = ? AND details->>'redelivery_of' = ?", again, failed));

            // a delivered event may be sent again too (the receiver lost it), to the URL of now
            try (WebhookReceiver moved = new WebhookReceiver(200)) {
                hook(alice, moved.url());
                String third = redeliver(alice, again).then().statusCode(202).extract().path("delivery_id");
                awaitState(third, "DELIVERED");
                assertEquals(first.body(), moved.received().get(0).body());
            }
        }
    }

    @Test
    void anEventIsPendingOnceAtMostEvenWhenEightAdminsClickAtOnce() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            TenantUser alice = Api.tenantWithAdmin();
            hook(alice, receiver.url());
            String delivered = Api.as(alice.token()).post(path(alice) + "/test").then().statusCode(202).extract()
                    .path("delivery_id");
            awaitState(delivered, "DELIVERED");
            receiver.delay(1_500); // what is queued now stays pending (in flight) for a while
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Callable<Integer>> clicks = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    clicks.add(() -> redeliver(alice, delivered).statusCode());
                }
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> f : pool.invokeAll(clicks)) {
                    statuses.add(f.get());
                }
                assertEquals(1, statuses.stream().filter(s -> s == 202).count(), statuses.toString());
                assertEquals(7, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
            } finally {
                pool.shutdownNow();
            }
            redeliver(alice, delivered).then().statusCode(409).body("code", equalTo("delivery_pending"));
            assertEquals(2L, db.count("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = (SELECT id FROM"
                    + " tenants WHERE slug = ?)", alice.slug()));
            // once delivered it may be sent again
            String pending = (String) db.value("SELECT id::text FROM webhook_deliveries WHERE redelivery_of = ?::uuid",
                    delivered);
            awaitState(pending, "DELIVERED");
            redeliver(alice, delivered).then().statusCode(202);
        }
    }

    @Test
    void anEventNotChosenAnyMoreIsStillSentWhenAskedFor() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            TenantUser alice = Api.tenantWithAdmin();
            hook(alice, receiver.url());
            UUID tenant = (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", alice.slug());
            UUID event = UUID.randomUUID();
            UUID delivery;
            try (Connection c = db.connection()) {
                delivery = WebhookOutbox.enqueue(c, tenant, event, WebhookOutbox.INVOICE_PAID,
                        WebhookOutbox.payload(event, WebhookOutbox.INVOICE_PAID, Instant.now(), alice.slug(),
                                WebhookOutbox.data()));
            }
            awaitState(delivery, "DELIVERED");
            Api.as(alice.token()).body(Map.of("events", List.of("invoice.finalized"))).put(path(alice) + "/events")
                    .then().statusCode(200);
            String again = redeliver(alice, delivery).then().statusCode(202).body("event_type",
                    equalTo("invoice.paid")).body("event_id", equalTo(event.toString())).extract().path("delivery_id");
            awaitState(again, "DELIVERED");
            assertEquals(2, receiver.received().size());
        }
    }

    @Test
    void otherTenantsDeliveriesMembersMissingWebhooksAndBadIdsAreRefused() {
        TenantUser alice = Api.tenantWithAdmin();
        hook(alice, "https://hooks.example.test/h");
        String delivery = Api.as(alice.token()).post(path(alice) + "/test").then().statusCode(202).extract()
                .path("delivery_id");
        db.update("UPDATE webhook_deliveries SET state = 'FAILED' WHERE id = ?::uuid", delivery);

        TenantUser bob = Api.tenantWithAdmin();
        hook(bob, "https://hooks.example.test/b");
        redeliver(bob, delivery).then().statusCode(404).body("code", equalTo("delivery_not_found"));
        Api.as(bob.token()).post(path(alice) + "/deliveries/" + delivery + "/redeliver").then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
        Api.as(Api.userOf(alice.slug(), "member").token()).post(path(alice) + "/deliveries/" + delivery
                + "/redeliver").then().statusCode(403);
        redeliver(alice, "not-a-delivery").then().statusCode(404).body("code", equalTo("delivery_not_found"));
        redeliver(alice, UUID.randomUUID()).then().statusCode(404).body("code", equalTo("delivery_not_found"));
        Api.as(alice.token()).delete(path(alice)).then().statusCode(204);
        redeliver(alice, delivery).then().statusCode(409).body("code", equalTo("webhook_not_configured"));
        assertEquals(0L, db.count("SELECT count(*) FROM webhook_deliveries WHERE redelivery_of = ?::uuid", delivery));
        assertEquals(0L, db.count("SELECT count(*) FROM audit_log WHERE action = 'webhook.redelivery_queued'"
                + " AND details->>'redelivery_of' = ?", delivery));
    }
}
