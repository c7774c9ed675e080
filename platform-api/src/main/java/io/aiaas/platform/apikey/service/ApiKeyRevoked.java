package io.aiaas.platform.apikey.service;

import java.util.UUID;

/**
 * CDI event fired after a revocation commits, so in-process caches of authenticated keys can drop the key at once.
 * Other replicas learn it through PostgreSQL {@code NOTIFY} on channel {@link #CHANNEL} (payload: the key id).
 */
public record ApiKeyRevoked(UUID keyId, UUID tenantId, byte[] keyHash) {
    public static final String CHANNEL = "aiaas_api_key_revoked";
}
