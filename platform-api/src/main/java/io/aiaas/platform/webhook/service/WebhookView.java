package io.aiaas.platform.webhook.service;

import java.time.Instant;
import java.util.List;

/** A tenant's webhook as {@code GET} shows it: never with its secret; {@code events} null for every type. */
public record WebhookView(String url, Instant createdAt, List<String> events) {
}
