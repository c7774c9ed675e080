package io.aiaas.platform.webhook.service;

import java.time.Instant;
import java.util.List;

/**
 * The answer to configuring a webhook or rotating its secret: the only response type that carries the signing
 * {@code secret}. Configuring keeps the event types chosen ({@code events}, null: every type) and ends an overlap;
 * rotating keeps the URL and may keep the previous secret signing until {@code previousSecretExpiresAt}.
 */
public record CreatedWebhook(String url, String secret, Instant createdAt, List<String> events,
        Instant previousSecretExpiresAt) {
}
