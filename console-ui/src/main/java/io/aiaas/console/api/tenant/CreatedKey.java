package io.aiaas.console.api.tenant;

import java.time.Instant;
import java.util.UUID;

/** The answer to issuing or rotating a key: the only one that carries the secret {@code key}. */
public record CreatedKey(UUID id, String name, String key, String prefix, String lastFour, Instant createdAt,
        Instant expiresAt) {
}
