package io.aiaas.console.api.tenant;

import java.time.Instant;

/**
 * Body of {@code PUT .../keys/{id}/expiry}: when the key stops working, in the future; null (sent as null, the field is
 * required) lets it never expire.
 */
public record KeyExpiry(Instant expiresAt) {
}
