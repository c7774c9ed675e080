package io.aiaas.platform.webhook.service;

import java.time.Instant;
import java.util.UUID;

/**
 * One webhook delivery as the tenant sees it: what was sent, its state, how its last attempt went, and the delivery it
 * repeats when a tenant admin sent the event again ({@code redeliveryOf}, else null).
 */
public record DeliveryView(UUID id, UUID eventId, String eventType, String state, int attempts, Integer lastStatus,
        String lastError, Instant createdAt, Instant nextAttemptAt, Instant deliveredAt, UUID redeliveryOf) {
}
