package io.aiaas.platform.webhook.service;

import java.time.Instant;
import java.util.List;

/**
 * A tenant's webhook as {@code GET} shows it: never with a secret; {@code events} null for every type;
 * {@code previousSecretExpiresAt} set while a rotated-out secret still signs deliveries beside the current one.
 */
public record WebhookView(String url, Instant createdAt, List<String> events, Instant previousSecretExpiresAt) {
}
