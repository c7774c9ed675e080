package io.aiaas.console.api.tenant;

import java.util.List;

/**
 * Body of {@code PUT .../webhook/events}: the event types the tenant's webhook receives, replaced (at least one of the
 * types {@code GET /api/v1/webhook-event-types} lists); null (sent as null, the field is required) for every event
 * type, those added later too.
 */
public record WebhookEvents(List<String> events) {
}
