package io.aiaas.platform.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.agroal.api.AgroalDataSource;
import io.aiaas.platform.apikey.service.ApiKeyRevoked;
import io.aiaas.platform.apikey.service.ApiKeys;
import io.aiaas.platform.gateway.GatewayConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Turns {@code Authorization: Bearer aiaas_...} into the calling key and tenant. Lookups are cached for
 * {@code aiaas.gateway.key-cache-ttl} only, so a revocation, an expiry or a suspension reaches every replica within
 * that time without any messaging between replicas.
 */
@ApplicationScoped
public class ApiKeyAuthenticator {

    private static final Logger LOG = Logger.getLogger(ApiKeyAuthenticator.class);
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final String LOOKUP = """
            SELECT k.id, k.tenant_id, k.key_hash, k.expires_at, k.revoked_at, t.slug, t.status
            FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
            WHERE k.key_hash = ?""";
    // The time condition keeps it at most once a minute across replicas as well.
    private static final String TOUCH = """
            UPDATE api_keys SET last_used_at = now()
            WHERE id = ANY (?) AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')""";

    /** The authenticated caller of the inference API. */
    public record KeyPrincipal(UUID keyId, UUID tenantId, String tenantSlug, String tenantStatus) {
    }

    /** Thrown when a request carries no usable key (401) or the key's tenant may not call (403). */
    public static final class KeyRejectedException extends RuntimeException {
        private final int status;

        KeyRejectedException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private record KeyRow(UUID keyId, UUID tenantId, byte[] keyHash, Instant expiresAt, Instant revokedAt,
            String slug, String tenantStatus) {
    }

    private final AgroalDataSource dataSource;
    private final Cache<String, Optional<KeyRow>> keys;
    private final Cache<UUID, Boolean> recentlyTouched;
    private final Set<UUID> touchesDue = ConcurrentHashMap.newKeySet();

    ApiKeyAuthenticator(AgroalDataSource dataSource, GatewayConfig config) {
        this.dataSource = dataSource;
        // Unknown hashes are cached too, so a flood of wrong keys costs one query per hash and TTL.
        this.keys = Caffeine.newBuilder().expireAfterWrite(config.keyCacheTtl()).maximumSize(100_000).build();
        this.recentlyTouched = Caffeine.newBuilder().expireAfterWrite(TOUCH_EVERY).maximumSize(100_000).build();
    }

    /**
     * @param authorization the {@code Authorization} header, may be null
     * @throws KeyRejectedException 401 for a missing, malformed, unknown, revoked or expired key; 403 for a
     *     suspended tenant
     */
    public KeyPrincipal authenticate(String authorization) {
        String key = bearerKey(authorization);
        byte[] hash = ApiKeys.hash(key);
        KeyRow row = keys.get(HexFormat.of().formatHex(hash), h -> load(hash)).orElse(null);
        // The map lookup above is keyed by the hash, which leaks nothing; the final equality check is constant-time.
        if (row == null || !MessageDigest.isEqual(hash, row.keyHash())) {
            throw new KeyRejectedException(401, "unknown API key");
        }
        if (row.revokedAt() != null) {
            throw new KeyRejectedException(401, "API key has been revoked");
        }
        if (row.expiresAt() != null && !row.expiresAt().isAfter(Instant.now())) {
            throw new KeyRejectedException(401, "API key has expired");
        }
        if (!"ACTIVE".equals(row.tenantStatus())) {
            throw new KeyRejectedException(403, "tenant " + row.slug() + " is suspended");
        }
        if (recentlyTouched.asMap().putIfAbsent(row.keyId(), Boolean.TRUE) == null) {
            touchesDue.add(row.keyId());
        }
        return new KeyPrincipal(row.keyId(), row.tenantId(), row.slug(), row.tenantStatus());
    }

    /** A revocation on this replica takes effect at once here; other replicas follow within the cache TTL. */
    void onRevoked(@Observes ApiKeyRevoked revoked) {
        if (revoked.keyHash() != null) {
            keys.invalidate(HexFormat.of().formatHex(revoked.keyHash()));
        }
    }

    private static String bearerKey(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new KeyRejectedException(401, "missing API key: send Authorization: Bearer aiaas_...");
        }
        String value = authorization.strip();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new KeyRejectedException(401, "malformed Authorization header: expected Bearer aiaas_...");
        }
        String key = value.substring(7).strip();
        if (!ApiKeys.looksLikeKey(key)) {
            throw new KeyRejectedException(401, "malformed API key: expected aiaas_ followed by the secret");
        }
        return key;
    }

    private Optional<KeyRow> load(byte[] hash) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(LOOKUP)) {
            statement.setBytes(1, hash);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new KeyRow(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getBytes(3),
                        instant(rs.getObject(4, OffsetDateTime.class)),
                        instant(rs.getObject(5, OffsetDateTime.class)),
                        rs.getString(6),
                        rs.getString(7)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("API key lookup failed: " + e.getMessage(), e);
        }
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    /** Writes {@code last_used_at} in one statement for all keys used since the last run, off the request path. */
    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void writeLastUsed() {
        if (touchesDue.isEmpty()) {
            return;
        }
        List<UUID> ids = new ArrayList<>(touchesDue);
        touchesDue.removeAll(ids);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(TOUCH)) {
            statement.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            statement.executeUpdate();
        } catch (SQLException e) {
            LOG.warnf("could not record last use of %d API keys: %s", ids.size(), e.getMessage());
        }
    }
}
