package io.aiaas.console.api.tenant;

import java.time.Instant;
import java.util.List;

/**
 * The tenant's webhook as {@code GET .../webhook} answers it: where events go, since when, which event types it
 * receives and whether a secret rotation's overlap is running; never the secret.
 *
 * @param events the event types chosen, in platform-api's order; null (or left out by a platform-api of before) for
 *        every event type, the default ({@code webhook.test} is always sent)
 * @param previousSecretExpiresAt until when deliveries are also signed with the secret replaced by the last rotation;
 *        null (or left out by a platform-api of before) when no overlap is running
 */
public record Webhook(String url, Instant createdAt, List<String> events, Instant previousSecretExpiresAt) {

    /** Whether every event type is sent: none were chosen. */
    public boolean everyEvent() {
        return events == null;
    }
}
