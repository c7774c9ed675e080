package io.aiaas.console.api.tenant;

import java.util.UUID;

/**
 * The answer to {@code POST .../webhook/test} and to {@code POST .../webhook/deliveries/{id}/redeliver}: the delivery
 * that was queued and its event; redelivery_of the delivery it repeats (null for a test event).
 */
public record QueuedDelivery(UUID deliveryId, UUID eventId, String eventType, UUID redeliveryOf) {
}
