package io.aiaas.console.api.tenant;

import java.time.Instant;
import java.util.List;

/**
 * The tenant's webhook as {@code GET .../webhook} answers it: where events go, since when and which event types it
 * receives; never the secret.
 *
 * @param events the event types chosen, in platform-api's order; null (or left out by a platform-api of before) for
 *        every event type, the default ({@code webhook.test} is always sent)
 */
public record Webhook(String url, Instant createdAt, List<String> events) {

    /** Whether every event type is sent: none were chosen. */
    public boolean everyEvent() {
        return events == null;
    }
}
