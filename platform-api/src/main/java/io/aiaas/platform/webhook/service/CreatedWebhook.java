package io.aiaas.platform.webhook.service;

import java.time.Instant;
import java.util.List;

/**
 * The answer to configuring a webhook: the only response type that carries the signing {@code secret}; every
 * configuration replaces the secret, and keeps the event types chosen ({@code events}, null: every type).
 */
public record CreatedWebhook(String url, String secret, Instant createdAt, List<String> events) {
}
