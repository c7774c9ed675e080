package io.aiaas.platform.apikey.service;

import java.util.UUID;

/**
 * CDI event fired inside the revoking transaction; observers use {@code during = AFTER_SUCCESS}, so caches drop the
 * key on this replica as the revocation commits.
 * Other replicas learn it through PostgreSQL {@code NOTIFY} on channel {@link #CHANNEL} (payload: the key id).
 */
public record ApiKeyRevoked(UUID keyId, UUID tenantId, byte[] keyHash) {
    public static final String CHANNEL = "aiaas_api_key_revoked";
}
