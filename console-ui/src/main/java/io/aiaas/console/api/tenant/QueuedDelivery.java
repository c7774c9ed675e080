package io.aiaas.console.api.tenant;

import java.util.UUID;

/** The answer to {@code POST .../webhook/test}: the delivery that was queued and its event. */
public record QueuedDelivery(UUID deliveryId, UUID eventId, String eventType) {
}
