package io.aiaas.platform.webhook.service;

import java.time.Instant;

/** A tenant's webhook as {@code GET} shows it: never with its secret. */
public record WebhookView(String url, Instant createdAt) {
}
