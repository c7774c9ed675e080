package io.aiaas.platform.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.platform.billing.events.BillingEvents;
import io.aiaas.platform.billing.events.Consumption;
import io.aiaas.platform.billing.events.Thresholds;
import io.aiaas.platform.plan.service.PlanSpec;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.WebhookReceiver;
import io.aiaas.platform.webhook.service.WebhookDispatcher;
import io.aiaas.platform.webhook.service.WebhookOutbox;
import io.aiaas.platform.webhook.service.WebhookSignatures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher against a real receiver on loopback and the test profile's settings (poll 100 ms, first retry after
 * 300 ms +-25%, 3 attempts at most): signed deliveries, retries with backoff, FAILED at the limit, and no delivery sent
 * twice by concurrent cycles.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class WebhookDispatcherTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TestDb db;

    @Inject
    Fixtures fixtures;

    @Inject
    WebhookDispatcher dispatcher;

    @Inject
    WebhookConfig config;

    record Hooked(Fixtures.Tenant tenant, String secret) {
    }

    Hooked tenantHookedTo(WebhookReceiver receiver) {
        Fixtures.Tenant tenant = fixtures.tenant();
        String secret = WebhookSignatures.newSecret();
        db.update("UPDATE tenants SET webhook_url = ?, webhook_secret = ? WHERE id = ?", receiver.url(), secret,
                tenant.id());
        return new Hooked(tenant, secret);
    }

    UUID enqueueTest(Fixtures.Tenant tenant) throws Exception {
        UUID event = UUID.randomUUID();
        try (Connection c = db.connection()) {
            return WebhookOutbox.enqueue(c, tenant.id(), event, WebhookOutbox.TEST_EVENT, WebhookOutbox.payload(
                    event, WebhookOutbox.TEST_EVENT, Instant.now(), tenant.slug(), WebhookOutbox.data()));
        }
    }

    Map<String, Object> awaitState(UUID delivery, String state) {
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20)).until(() -> state.equals(
                db.value("SELECT state FROM webhook_deliveries WHERE id = ?", delivery)));
        return db.queryOne("SELECT * FROM webhook_deliveries WHERE id = ?", delivery);
    }

    @Test
    void aCrossedQuotaReachesTheReceiverSignedWithTheTenantsSecret() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            Hooked hooked = tenantHookedTo(receiver);
            PlanSpec plan = new PlanSpec("p", "USD", 0L, 0L, null,
                    List.of(new PlanSpec.Quota("requests", "resnet", 100L, "hard")), null,
                    List.of(new PlanSpec.ModelPrice(null, null, null, null)));
            List<BillingEvents.Recorded> recorded;
            try (Connection c = db.connection()) {
                c.setAutoCommit(false);
                recorded = BillingEvents.record(c, hooked.tenant().id(), LocalDate.of(2031, 5, 1),
                        Thresholds.crossed(plan, Map.of("resnet", new Consumption(79, 0, 0, 0)),
                                Map.of("resnet", new Consumption(85, 0, 0, 0))));
                c.commit();
                c.setAutoCommit(true);
            }
            assertEquals(1, recorded.size());
            Map<String, Object> row = awaitState(recorded.get(0).deliveryId(), "DELIVERED");
            assertEquals(1, row.get("attempts"));
            assertEquals(200, row.get("last_status"));
            assertNotNull(row.get("delivered_at"));

            assertEquals(1, receiver.received().size());
            WebhookReceiver.Received got = receiver.received().get(0);
            assertTrue(WebhookReceiver.verify(hooked.secret(), got.header("x-aiaas-signature"), got.body(), 300),
                    "signature " + got.header("x-aiaas-signature") + " does not verify");
            assertEquals("application/json", got.header("content-type"));
            assertEquals("quota.threshold_reached", got.header("x-aiaas-event-type"));
            assertEquals(recorded.get(0).id().toString(), got.header("x-aiaas-event-id"));
            assertEquals(recorded.get(0).deliveryId().toString(), got.header("x-aiaas-delivery-id"));
            JsonNode payload = JSON.readTree(got.body());
            assertEquals(recorded.get(0).id().toString(), payload.get("id").asText());
            assertEquals(hooked.tenant().slug(), payload.get("tenant").asText());
            assertEquals("2031-05", payload.at("/data/period").asText());
            assertEquals("resnet", payload.at("/data/scope").asText());
            assertEquals(80, payload.at("/data/threshold").asInt());
            assertEquals(85, payload.at("/data/used").asLong());
        }
    }

    @Test
    void aReceiverThatFailsTwiceGetsTheDeliveryOnTheThirdAttemptAfterGrowingWaits() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(500, 500, 200)) {
            UUID delivery = enqueueTest(tenantHookedTo(receiver).tenant());
            Map<String, Object> row = awaitState(delivery, "DELIVERED");
            assertEquals(3, row.get("attempts"));
            assertEquals(200, row.get("last_status"));
            List<WebhookReceiver.Received> got = receiver.received();
            assertEquals(3, got.size());
            assertEquals(1, got.stream().map(r -> r.header("x-aiaas-delivery-id")).distinct().count());
            long initial = config.initialBackoff().toMillis();
            long firstWait = TimeUnit.NANOSECONDS.toMillis(got.get(1).atNanos() - got.get(0).atNanos());
            long secondWait = TimeUnit.NANOSECONDS.toMillis(got.get(2).atNanos() - got.get(1).atNanos());
            assertTrue(firstWait >= initial * 3 / 4, "first retry after " + firstWait + " ms");
            assertTrue(secondWait >= 2 * initial * 3 / 4, "second retry after " + secondWait + " ms");
        }
    }

    @Test
    void aDeliveryIsFailedAfterMaxAttemptsAndNotSentAgain() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(503)) {
            UUID delivery = enqueueTest(tenantHookedTo(receiver).tenant());
            Map<String, Object> row = awaitState(delivery, "FAILED");
            assertEquals(config.maxAttempts(), row.get("attempts"));
            assertEquals(503, row.get("last_status"));
            assertEquals("HTTP 503", row.get("last_error"));
            Thread.sleep(config.maxBackoff().toMillis() / 2);
            assertEquals(config.maxAttempts(), receiver.received().size());
        }
    }

    @Test
    void aDeliveryWhoseWebhookWasRemovedFailsWithoutBeingSent() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(200)) {
            Hooked hooked = tenantHookedTo(receiver);
            db.update("UPDATE tenants SET webhook_url = NULL, webhook_secret = NULL WHERE id = ?", hooked.tenant().id());
            Map<String, Object> row = awaitState(enqueueTest(hooked.tenant()), "FAILED");
            assertEquals(1, row.get("attempts"));
            assertEquals("no webhook configured", row.get("last_error"));
            assertEquals(0, receiver.received().size());
        }
    }

    @Test
    void concurrentDispatchCyclesNeverSendTheSameDeliveryTwice() throws Exception {
        int count = 40;
        try (WebhookReceiver receiver = new WebhookReceiver(200).delay(30)) {
            Hooked hooked = tenantHookedTo(receiver);
            List<UUID> deliveries = new ArrayList<>();
            // queued not yet due, in one transaction, so that nothing sends them before the cycles below start
            try (Connection c = db.connection()) {
                c.setAutoCommit(false);
                for (int i = 0; i < count; i++) {
                    UUID event = UUID.randomUUID();
                    deliveries.add(WebhookOutbox.enqueue(c, hooked.tenant().id(), event, WebhookOutbox.TEST_EVENT,
                            WebhookOutbox.payload(event, WebhookOutbox.TEST_EVENT, Instant.now(),
                                    hooked.tenant().slug(), WebhookOutbox.data())));
                }
                try (var later = c.prepareStatement("UPDATE webhook_deliveries SET next_attempt_at = now()"
                        + " + interval '1 hour' WHERE tenant_id = ?")) {
                    later.setObject(1, hooked.tenant().id());
                    later.executeUpdate();
                }
                c.commit();
                c.setAutoCommit(true);
            }
            int cycles = 4;
            ExecutorService pool = Executors.newFixedThreadPool(cycles);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> sent = new ArrayList<>();
                for (int i = 0; i < cycles; i++) {
                    sent.add(pool.submit(() -> {
                        start.await();
                        int n = 0;
                        for (int round = 0; round < 5; round++) {
                            n += dispatcher.dispatchDue();
                        }
                        return n;
                    }));
                }
                db.update("UPDATE webhook_deliveries SET next_attempt_at = now() WHERE tenant_id = ?",
                        hooked.tenant().id());
                start.countDown();
                for (Future<Integer> f : sent) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            for (UUID delivery : deliveries) {
                awaitState(delivery, "DELIVERED");
            }
            Map<String, Long> perDelivery = receiver.received().stream()
                    .collect(Collectors.groupingBy(r -> r.header("x-aiaas-delivery-id"), Collectors.counting()));
            assertEquals(count, perDelivery.size());
            assertEquals(Map.of(), perDelivery.entrySet().stream().filter(e -> e.getValue() > 1)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "sent more than once");
            assertEquals(count, db.count("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ? AND attempts = 1"
                    + " AND state = 'DELIVERED'", hooked.tenant().id()));
        }
    }
}
