package io.aiaas.platform.webhook.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.TestDb;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Webhook deliveries are kept {@code aiaas.webhooks.retention} after they were queued: the finished ones older than
 * that go, in batches, whichever tenant they belong to; pending ones and newer ones stay, and a repeat of a deleted
 * delivery stays, unlinked.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class WebhookRetentionTest {

    @Inject
    TestDb db;

    @Inject
    WebhookRetention retention;

    @Test
    void finishedDeliveriesOlderThanTheCutoffGoAndEverythingElseStays() {
        UUID alice = tenant();
        UUID bob = tenant();
        UUID oldDelivered = delivery(alice, "DELIVERED", 100, null);
        UUID oldFailed = delivery(alice, "FAILED", 95, null);
        UUID oldPending = delivery(alice, "PENDING", 120, null);
        UUID repeat = delivery(alice, "DELIVERED", 10, oldFailed);
        UUID recent = delivery(alice, "FAILED", 89, null);
        UUID bobsOld = delivery(bob, "DELIVERED", 91, null);

        int deleted = retention.deleteQueuedBefore(Instant.now().minus(Duration.ofDays(90)), WebhookRetention.BATCH);

        Set<UUID> left = ids(alice, bob);
        assertTrue(deleted >= 3, "at least the three old finished deliveries, got " + deleted);
        assertEquals(Set.of(oldPending, repeat, recent), left, "gone: " + oldDelivered + ", " + bobsOld);
        assertNull(db.value("SELECT redelivery_of FROM webhook_deliveries WHERE id = ?", repeat));
        retention.deleteQueuedBefore(Instant.now().minus(Duration.ofDays(90)), WebhookRetention.BATCH);
        assertEquals(left, ids(alice, bob), "a second run finds nothing more of theirs");
    }

    @Test
    void manyAreDeletedBatchByBatch() {
        UUID tenant = tenant();
        db.update("""
                INSERT INTO webhook_deliveries (id, tenant_id, event_id, event_type, payload, state, created_at)
                SELECT gen_random_uuid(), ?, gen_random_uuid(), 'invoice.paid', CAST('{}' AS json), 'DELIVERED',
                       now() - interval '200 days' - n * interval '1 second'
                FROM generate_series(1, 2345) n""", tenant);
        UUID kept = delivery(tenant, "DELIVERED", 150, null);

        int deleted = retention.deleteQueuedBefore(Instant.now().minus(Duration.ofDays(180)), 1000);

        assertTrue(deleted >= 2345, "all 2,345 in three batches, got " + deleted);
        assertEquals(Set.of(kept), ids(tenant));
    }

    @Test
    void lessThanADayIsRefusedAtStartAndZeroKeepsForEver() {
        assertEquals(Duration.ZERO, WebhookRetention.checked(Duration.ZERO));
        assertEquals(Duration.ofDays(1), WebhookRetention.checked(Duration.ofDays(1)));
        IllegalArgumentException seconds = assertThrows(IllegalArgumentException.class,
                () -> WebhookRetention.checked(Duration.ofSeconds(90)));
        assertTrue(seconds.getMessage().contains("90d"), seconds.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WebhookRetention.checked(Duration.ofDays(-1)));
    }

    private UUID tenant() {
        return (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", Api.createTenant());
    }

    /** A delivery in {@code state}, queued {@code daysAgo}; answers its id. */
    private UUID delivery(UUID tenant, String state, int daysAgo, UUID redeliveryOf) {
        UUID id = UUID.randomUUID();
        db.update("""
                INSERT INTO webhook_deliveries (id, tenant_id, event_id, event_type, payload, state, created_at,
                                                redelivery_of)
                VALUES (?, ?, ?, 'invoice.paid', CAST('{}' AS json), ?, now() - ? * interval '1 day', ?)""",
                id, tenant, UUID.randomUUID(), state, daysAgo, redeliveryOf);
        return id;
    }

    private Set<UUID> ids(UUID... tenants) {
        Set<UUID> ids = new HashSet<>();
        for (UUID tenant : tenants) {
            for (Map<String, Object> row : db.query("SELECT id FROM webhook_deliveries WHERE tenant_id = ?", tenant)) {
                ids.add((UUID) row.get("id"));
            }
        }
        return ids;
    }
}
