package io.aiaas.platform.webhook.service;

import java.util.UUID;

/**
 * The answer to {@code POST .../webhook/test} and to a redelivery: the delivery that was queued and its event;
 * {@code redeliveryOf} the delivery it repeats (null for a test event).
 */
public record QueuedDelivery(UUID deliveryId, UUID eventId, String eventType, UUID redeliveryOf) {
}
