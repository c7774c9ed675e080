package io.aiaas.console.api.tenant;

import java.time.Instant;
import java.util.List;

/**
 * The answer to {@code PUT .../webhook} and to {@code POST .../webhook/secret}: the only ones that carry the signing
 * {@code secret} (each sets a new one). A new URL keeps the event types chosen before ({@code events}, null for every
 * one) and ends any overlap; a rotation says until when the previous secret also signs deliveries
 * ({@code previousSecretExpiresAt}, null when it stopped at once).
 */
public record CreatedWebhook(String url, String secret, Instant createdAt, List<String> events,
        Instant previousSecretExpiresAt) {

    /** The webhook without its secret, as the rest of the page shows it. */
    public Webhook webhook() {
        return new Webhook(url, createdAt, events, previousSecretExpiresAt);
    }
}
