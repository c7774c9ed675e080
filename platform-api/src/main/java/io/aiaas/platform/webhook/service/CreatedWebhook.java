package io.aiaas.platform.webhook.service;

import java.time.Instant;

/**
 * The answer to configuring a webhook: the only response type that carries the signing {@code secret}; every
 * configuration replaces the secret.
 */
public record CreatedWebhook(String url, String secret, Instant createdAt) {
}
