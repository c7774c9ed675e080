package io.aiaas.platform.worker.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.aiaas.internalauth.Jwks;
import io.aiaas.platform.common.persistence.Jdbc;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.interfaces.ECPublicKey;
import java.util.Optional;
import java.util.UUID;

/**
 * Finds a worker's public key by its id (the {@code kid} of the worker's tokens) with the identity it belongs to.
 * Retired keys and revoked identities are not found. Kept in memory for {@code aiaas.internal-auth.worker-key-cache-ttl}
 * (misses too, so a flood of made-up key ids costs one query each per period).
 */
@ApplicationScoped
public class WorkerKeys {

    /** A registered, unretired key of an identity that is not revoked. */
    public record WorkerKey(String keyId, UUID identityId, ECPublicKey publicKey) {
    }

    private static final String FIND = """
            SELECT k.identity_id, k.public_jwk FROM worker_identity_keys k
            JOIN worker_identities i ON i.id = k.identity_id
            WHERE k.kid = ? AND k.retired_at IS NULL AND i.revoked_at IS NULL""";

    private final Jdbc jdbc;
    private final Cache<String, Optional<WorkerKey>> cache;

    WorkerKeys(Jdbc jdbc, InternalAuthConfig config) {
        this.jdbc = jdbc;
        this.cache = Caffeine.newBuilder().expireAfterWrite(config.workerKeyCacheTtl()).maximumSize(10_000).build();
    }

    public Optional<WorkerKey> find(String keyId) {
        return cache.get(keyId, this::load);
    }

    /** Forgets what this replica cached: after a key was retired or an identity revoked here. */
    public void forgetAll() {
        cache.invalidateAll();
    }

    private Optional<WorkerKey> load(String keyId) {
        return jdbc.queryFirst(FIND, rs -> new WorkerKey(keyId, rs.getObject(1, UUID.class),
                Jwks.parseJwk(new JsonObject(rs.getString(2)).getMap())), keyId);
    }
}
