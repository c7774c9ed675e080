package io.aiaas.console.api.tenant;

import java.time.Instant;
import java.util.UUID;

/** An API key as platform-api lists it: never the secret; status is active, expired or revoked. */
public record ApiKey(UUID id, String name, String prefix, String lastFour, String status, String createdBy,
        Instant createdAt, Instant expiresAt, Instant revokedAt, Instant lastUsedAt) {

    public boolean active() {
        return "active".equals(status);
    }

    /** How people recognise a key without its secret, e.g. {@code aiaas_AbCd…wxyz}. */
    public String masked() {
        return (prefix == null ? "" : prefix) + "…" + (lastFour == null ? "" : lastFour);
    }
}
