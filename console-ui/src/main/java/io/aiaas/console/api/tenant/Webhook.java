package io.aiaas.console.api.tenant;

import java.time.Instant;

/** The tenant's webhook as {@code GET .../webhook} answers it: where events go and since when; never the secret. */
public record Webhook(String url, Instant createdAt) {
}
