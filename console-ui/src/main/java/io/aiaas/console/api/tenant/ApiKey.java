package io.aiaas.console.api.tenant;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An API key as platform-api lists it: never the secret; status is active, expired or revoked; models null for a key
 * that may call every model of its tenant.
 */
public record ApiKey(UUID id, String name, String prefix, String lastFour, String status, String createdBy,
        Instant createdAt, Instant expiresAt, Instant revokedAt, Instant lastUsedAt, List<String> models) {

    /** Whether the key's list names this model (false for a key that may call every model). */
    public boolean lists(String model) {
        return models != null && models.contains(model);
    }

    public boolean active() {
        return "active".equals(status);
    }

    /** How people recognise a key without its secret, e.g. {@code aiaas_AbCd…wxyz}. */
    public String masked() {
        return (prefix == null ? "" : prefix) + "…" + (lastFour == null ? "" : lastFour);
    }
}
