package io.aiaas.console.api.tenant;

import java.time.Instant;

/** Body of {@code POST .../keys}: a name and an optional expiry (null = never). */
public record NewKey(String name, Instant expiresAt) {
}
