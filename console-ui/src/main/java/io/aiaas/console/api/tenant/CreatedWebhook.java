package io.aiaas.console.api.tenant;

import java.time.Instant;
import java.util.List;

/**
 * The answer to {@code PUT .../webhook}: the only one that carries the signing {@code secret} (each PUT sets a new
 * one). A new URL keeps the event types chosen before ({@code events}, null for every one).
 */
public record CreatedWebhook(String url, String secret, Instant createdAt, List<String> events) {

    /** The webhook without its secret, as the rest of the page shows it. */
    public Webhook webhook() {
        return new Webhook(url, createdAt, events);
    }
}
