package io.aiaas.platform.billing.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.TestDb;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Billing events on the usage writer's connection: one event per tenant, period, limit and threshold whatever the
 * number of writers, each with one audit entry and (when the tenant has a webhook) one queued delivery.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class BillingEventsTest {

    static final LocalDate MARCH = LocalDate.of(2031, 3, 1);
    static final Crossed QUOTA_80 = new Crossed("quota", "requests", "*", 80, "soft", 10, 8);
    static final Crossed BUDGET_100 = new Crossed("budget", "cost", "*", 100, "hard", 1_000_000_000, 1_000_000_007);
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TestDb db;

    @Inject
    Fixtures fixtures;

    /** A tenant whose webhook points at a port nothing listens on: deliveries are queued, never received. */
    Fixtures.Tenant tenantWithWebhook() {
        Fixtures.Tenant tenant = fixtures.tenant();
        db.update("UPDATE tenants SET webhook_url = 'http://127.0.0.1:9/none', webhook_secret = 'whsec_t' WHERE id = ?",
                tenant.id());
        return tenant;
    }

    List<BillingEvents.Recorded> recordCommitted(UUID tenant, LocalDate period, List<Crossed> crossed)
            throws SQLException {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            List<BillingEvents.Recorded> recorded = BillingEvents.record(c, tenant, period, crossed);
            c.commit();
            c.setAutoCommit(true);
            return recorded;
        }
    }

    long events(UUID tenant) {
        return db.count("SELECT count(*) FROM billing_events WHERE tenant_id = ?", tenant);
    }

    long audits(UUID tenant) {
        return db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action = 'billing.threshold_reached'"
                + " AND actor = 'system' AND actor_kind = 'SYSTEM'", tenant);
    }

    long deliveries(UUID tenant) {
        return db.count("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ?", tenant);
    }

    @Test
    void eachCrossingIsOneEventWithOneAuditEntryAndOneQueuedDeliveryCarryingThePayload() throws Exception {
        Fixtures.Tenant tenant = tenantWithWebhook();
        List<BillingEvents.Recorded> recorded = recordCommitted(tenant.id(), MARCH, List.of(QUOTA_80, BUDGET_100));
        assertEquals(2, recorded.size());
        assertEquals(2, events(tenant.id()));
        assertEquals(2, audits(tenant.id()));
        assertEquals(2, deliveries(tenant.id()));

        BillingEvents.Recorded budget = recorded.get(1);
        var row = db.queryOne("SELECT event_id, event_type, payload::text AS payload, state FROM webhook_deliveries"
                + " WHERE id = ?", budget.deliveryId());
        assertEquals(budget.id(), row.get("event_id"));
        assertEquals("budget.threshold_reached", row.get("event_type"));
        JsonNode payload = JSON.readTree((String) row.get("payload"));
        assertEquals(budget.id().toString(), payload.get("id").asText());
        assertEquals("budget.threshold_reached", payload.get("type").asText());
        assertEquals(tenant.slug(), payload.get("tenant").asText());
        assertEquals(budget.created().toString(), payload.get("created").asText());
        JsonNode data = payload.get("data");
        assertEquals("2031-03", data.get("period").asText());
        assertEquals("cost", data.get("metric").asText());
        assertEquals("*", data.get("scope").asText());
        assertEquals(100, data.get("threshold").asInt());
        assertEquals(1_000_000_000L, data.get("limit").asLong());
        assertEquals(1_000_000_007L, data.get("used").asLong());
        assertEquals("nanos", data.get("unit").asText());
        assertEquals("hard", data.get("enforcement").asText());

        var audit = db.queryOne("SELECT target_type, target_id, details->>'metric' AS metric,"
                + " details->>'threshold' AS threshold FROM audit_log WHERE tenant_id = ? AND target_id = ?",
                tenant.id(), recorded.get(0).id().toString());
        assertEquals("billing_event", audit.get("target_type"));
        assertEquals("requests", audit.get("metric"));
        assertEquals("80", audit.get("threshold"));
        var event = db.queryOne("SELECT billing_period, kind, limit_value, used_value FROM billing_events WHERE id = ?",
                recorded.get(0).id());
        assertEquals(java.sql.Date.valueOf(MARCH), event.get("billing_period"));
        assertEquals(10L, event.get("limit_value"));
        assertEquals(8L, event.get("used_value"));
    }

    @Test
    void recordingTheSameCrossingsAgainAddsNothingButANewPeriodStartsFresh() throws Exception {
        Fixtures.Tenant tenant = tenantWithWebhook();
        assertEquals(2, recordCommitted(tenant.id(), MARCH, List.of(QUOTA_80, BUDGET_100)).size());
        // a later batch that reports the same thresholds (another writer computed them from a stale "before")
        assertEquals(List.of(), recordCommitted(tenant.id(), MARCH, List.of(BUDGET_100, QUOTA_80)));
        assertEquals(2, events(tenant.id()));
        assertEquals(2, audits(tenant.id()));
        assertEquals(2, deliveries(tenant.id()));
        // only the new one of a mixed list is recorded
        Crossed quota100 = new Crossed("quota", "requests", "*", 100, "soft", 10, 10);
        List<BillingEvents.Recorded> mixed = recordCommitted(tenant.id(), MARCH, List.of(QUOTA_80, quota100));
        assertEquals(List.of(quota100), mixed.stream().map(BillingEvents.Recorded::crossed).toList());
        assertEquals(1, recordCommitted(tenant.id(), MARCH.plusMonths(1), List.of(QUOTA_80)).size());
        assertEquals(4, events(tenant.id()));
        assertEquals(4, deliveries(tenant.id()));
    }

    @Test
    void concurrentWritersOnSeparateConnectionsRecordOneEvent() throws Exception {
        Fixtures.Tenant tenant = tenantWithWebhook();
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                results.add(pool.submit(() -> {
                    try (Connection c = db.connection()) {
                        c.setAutoCommit(false);
                        start.await();
                        int n = BillingEvents.record(c, tenant.id(), MARCH, List.of(QUOTA_80)).size();
                        Thread.sleep(20); // hold the transaction open so the others queue on the unique key
                        c.commit();
                        c.setAutoCommit(true);
                        return n;
                    }
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> result : results) {
                total += result.get(30, TimeUnit.SECONDS);
            }
            assertEquals(1, total, "exactly one writer records the event");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, events(tenant.id()));
        assertEquals(1, audits(tenant.id()));
        assertEquals(1, deliveries(tenant.id()));
    }

    @Test
    void aWriterThatWaitedForOneThatRolledBackRecordsTheEventItself() throws Exception {
        Fixtures.Tenant tenant = tenantWithWebhook();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection first = db.connection()) {
            first.setAutoCommit(false);
            assertEquals(1, BillingEvents.record(first, tenant.id(), MARCH, List.of(QUOTA_80)).size());
            Future<Integer> second = pool.submit(() -> {
                try (Connection c = db.connection()) {
                    c.setAutoCommit(false);
                    int n = BillingEvents.record(c, tenant.id(), MARCH, List.of(QUOTA_80)).size();
                    c.commit();
                    c.setAutoCommit(true);
                    return n;
                }
            });
            // the second writer waits on the first one's uncommitted row
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> db.count("""
                    SELECT count(*) FROM pg_stat_activity
                    WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO billing_events%'""") > 0);
            first.rollback(); // the usage batch failed: its event must not be lost
            first.setAutoCommit(true);
            assertEquals(1, second.get(30, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, events(tenant.id()));
        assertEquals(1, audits(tenant.id()));
        assertEquals(1, deliveries(tenant.id()));
    }

    @Test
    void withoutAWebhookTheEventIsAuditedAndNothingIsQueued() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant();
        List<BillingEvents.Recorded> recorded = recordCommitted(tenant.id(), MARCH, List.of(QUOTA_80));
        assertEquals(1, recorded.size());
        assertNull(recorded.get(0).deliveryId());
        assertEquals(1, events(tenant.id()));
        assertEquals(1, audits(tenant.id()));
        assertEquals(0, deliveries(tenant.id()));
    }

    @Test
    void nothingCrossedTouchesNoDatabaseAtAll() throws Exception {
        Connection closed = db.connection();
        closed.close();
        // any statement on a closed connection throws: the common case costs nothing
        assertEquals(List.of(), BillingEvents.record(closed, UUID.randomUUID(), MARCH, List.of()));
        assertEquals(List.of(), BillingEvents.record(closed, UUID.randomUUID(), MARCH, null));
    }

    @Test
    void anEventRolledBackWithItsBatchLeavesNoTrace() throws Exception {
        Fixtures.Tenant tenant = tenantWithWebhook();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            BillingEvents.Recorded recorded = BillingEvents.record(c, tenant.id(), MARCH, List.of(QUOTA_80)).get(0);
            assertNotNull(recorded.deliveryId());
            c.rollback();
            c.setAutoCommit(true);
        }
        assertEquals(0, events(tenant.id()));
        assertEquals(0, audits(tenant.id()));
        assertEquals(0, deliveries(tenant.id()));
        assertTrue(recordCommitted(tenant.id(), MARCH, List.of(QUOTA_80)).size() == 1);
    }
}
