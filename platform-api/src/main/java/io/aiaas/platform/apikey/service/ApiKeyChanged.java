package io.aiaas.platform.apikey.service;

import java.util.UUID;

/**
 * CDI event fired inside a transaction that cuts a key's validity short (a revocation, or a rotation bringing its
 * expiry forward); observers use {@code during = AFTER_SUCCESS}, so caches drop the key on this replica as the change
 * commits. Other replicas learn it through PostgreSQL {@code NOTIFY} on channel {@link #CHANNEL} (payload: the key
 * id).
 */
public record ApiKeyChanged(UUID keyId, UUID tenantId, byte[] keyHash) {
    public static final String CHANNEL = "aiaas_api_key_changed";
}
