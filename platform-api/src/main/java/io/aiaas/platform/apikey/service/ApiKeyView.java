package io.aiaas.platform.apikey.service;

import java.time.Instant;
import java.util.UUID;

/**
 * An API key as lists show it: never the secret, only prefix and last four. status is active, expired or revoked.
 */
public record ApiKeyView(UUID id, String name, String prefix, String lastFour, String status, String createdBy,
        Instant createdAt, Instant expiresAt, Instant revokedAt, Instant lastUsedAt) {
}
