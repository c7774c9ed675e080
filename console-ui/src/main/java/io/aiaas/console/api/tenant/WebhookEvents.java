package io.aiaas.console.api.tenant;

import java.util.List;

/**
 * Body of {@code PUT .../webhook/events}: the event types the tenant's webhook receives, replaced (1 to 15 of the
 * types a tenant may choose); null (sent as null, the field is required) for every event type, those added later too.
 */
public record WebhookEvents(List<String> events) {
}
