package io.aiaas.platform.apikey.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.aiaas.platform.apikey.ApiKeyConfig;
import io.aiaas.platform.common.database.ChangeNotifications;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.net.Network;
import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.tenant.service.TenantChanged;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Turns {@code Authorization: Bearer aiaas_...} into the calling key and its tenant. Lookups are cached; a revoked
 * key, a key whose expiry a rotation brought forward, or a suspended tenant is dropped from the cache of every replica as soon as PostgreSQL delivers the NOTIFY sent
 * with the change, and the cache TTL ({@code aiaas.api-keys.cache-ttl}) bounds the delay should a notification be
 * lost.
 */
@ApplicationScoped
public class ApiKeyAuthenticator {

    private static final Logger LOG = Logger.getLogger(ApiKeyAuthenticator.class);
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final String LOOKUP = """
            SELECT k.id, k.tenant_id, k.key_hash, k.expires_at, k.revoked_at, t.slug, t.status, k.models,
                k.monthly_budget_micros, k.requests_per_minute, t.suspended_reason, t.suspension_note,
                k.allowed_networks, t.monthly_budget_micros, k.disabled_at IS NOT NULL
            FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
            WHERE k.key_hash = ?""";
    // The time condition keeps it at most once a minute across replicas as well.
    private static final String TOUCH = """
            UPDATE api_keys k SET last_used_at = now(), last_used_from = nullif(t.client, '')
            FROM unnest(?::uuid[], ?::text[]) AS t(id, client)
            WHERE k.id = t.id AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute')""";

    /**
     * The authenticated caller of the inference API; {@code tenantStatus} its tenant's (ACTIVE, SUSPENDED or CLOSED:
     * only an active tenant calls models); {@code models}
     * the models the key may call, null for every model its tenant may call; {@code budgetMicros} the key's monthly
     * cap in micro-units of the plan's currency, null for none; {@code requestsPerMinute} its own limit per clock
     * minute, null for none; {@code suspendedReason} {@code non_payment} when the tenant is suspended for an invoice
     * unpaid past its grace; {@code suspensionNote} what the operator who suspended it said, or null;
     * {@code networks} the client networks the key may be used from, null for anywhere; {@code tenantBudgetMicros}
     * the tenant's own monthly cap (micro-units of the plan's currency), null for none; {@code disabled} whether a
     * tenant admin disabled the key (its calls are refused, and recorded, until it is enabled).
     */
    public record KeyPrincipal(UUID keyId, UUID tenantId, String tenantSlug, String tenantStatus, Set<String> models,
            Long budgetMicros, Integer requestsPerMinute, String suspendedReason, String suspensionNote,
            List<Network> networks, Long tenantBudgetMicros, boolean disabled) {

        /** Whether the key reaches this model (which its tenant may call: that is the catalogue's rule, not this). */
        public boolean reaches(String model) {
            return models == null || models.contains(model);
        }

        /**
         * Whether the key may be used from {@code client}, an address literal (null, or not an address: never allowed
         * for a key with networks); read only for a key that has networks.
         */
        public boolean allows(String client) {
            return networks == null || Network.anyContains(networks, client);
        }
    }

    private record KeyRow(UUID keyId, UUID tenantId, byte[] keyHash, Instant expiresAt, Instant revokedAt,
            String slug, String tenantStatus, Set<String> models, Long budgetMicros, Integer requestsPerMinute,
            String suspendedReason, String suspensionNote, List<Network> networks, Long tenantBudgetMicros,
            boolean disabled) {
    }

    private final Jdbc jdbc;
    private final ChangeNotifications notifications;
    private final Cache<String, Optional<KeyRow>> keys;
    private final Cache<UUID, Boolean> recentlyTouched;
    /** Keys used since the last write, with the client address of the call that found each due ("": unknown). */
    private final Map<UUID, String> touchesDue = new ConcurrentHashMap<>();

    ApiKeyAuthenticator(Jdbc jdbc, ChangeNotifications notifications, ApiKeyConfig config) {
        this.jdbc = jdbc;
        this.notifications = notifications;
        // Unknown hashes are cached too, so a flood of wrong keys costs one query per hash and TTL.
        this.keys = Caffeine.newBuilder().expireAfterWrite(config.cacheTtl()).maximumSize(100_000).build();
        this.recentlyTouched = Caffeine.newBuilder().expireAfterWrite(TOUCH_EVERY).maximumSize(100_000).build();
    }

    void subscribe(@Observes StartupEvent event) {
        notifications.subscribe(ApiKeyChanged.CHANNEL, (channel, keyId) -> forgetKey(keyId));
        notifications.subscribe(TenantChanged.CHANNEL, (channel, tenantId) -> forgetTenant(tenantId));
    }

    /**
     * @param authorization the {@code Authorization} header, may be null
     * @param client the caller's address as the gateway reads it, recorded as where the key was last used from;
     *     null when unknown
     * @throws ApiException 401 for a missing, malformed, unknown, revoked or expired key
     */
    public KeyPrincipal authenticate(String authorization, String client) {
        String key = bearerKey(authorization);
        byte[] hash = ApiKeys.hash(key);
        KeyRow row = keys.get(HexFormat.of().formatHex(hash), h -> load(hash)).orElse(null);
        // The map lookup above is keyed by the hash, which leaks nothing; the final equality check is constant-time.
        if (row == null || !MessageDigest.isEqual(hash, row.keyHash())) {
            throw rejected("unknown API key");
        }
        if (row.revokedAt() != null) {
            throw rejected("API key has been revoked");
        }
        if (row.expiresAt() != null && !row.expiresAt().isAfter(Instant.now())) {
            throw rejected("API key has expired");
        }
        if (recentlyTouched.asMap().putIfAbsent(row.keyId(), Boolean.TRUE) == null) {
            touchesDue.put(row.keyId(), client == null ? "" : client);
        }
        return new KeyPrincipal(row.keyId(), row.tenantId(), row.slug(), row.tenantStatus(),
                row.models(), row.budgetMicros(), row.requestsPerMinute(), row.suspendedReason(),
                row.suspensionNote(), row.networks(), row.tenantBudgetMicros(), row.disabled());
    }

    /** A revocation or expiry change on this replica takes effect here as it commits, before its NOTIFY comes back. */
    void onChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) ApiKeyChanged changed) {
        keys.invalidate(HexFormat.of().formatHex(changed.keyHash()));
    }

    void onTenantChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) TenantChanged changed) {
        forgetTenant(changed.tenantId().toString());
    }

    /** {@code null}: notifications may have been missed, forget everything. */
    private void forgetKey(String keyId) {
        if (keyId == null) {
            keys.invalidateAll();
            return;
        }
        keys.asMap().values().removeIf(row -> row.isPresent() && row.get().keyId().toString().equals(keyId));
    }

    private void forgetTenant(String tenantId) {
        if (tenantId == null) {
            keys.invalidateAll();
            return;
        }
        keys.asMap().values().removeIf(row -> row.isPresent() && row.get().tenantId().toString().equals(tenantId));
    }

    private static String bearerKey(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw rejected("missing API key: send Authorization: Bearer aiaas_...");
        }
        String value = authorization.strip();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw rejected("malformed Authorization header: expected Bearer aiaas_...");
        }
        String key = value.substring(7).strip();
        if (!ApiKeys.looksLikeKey(key)) {
            throw rejected("malformed API key: expected aiaas_ followed by the secret");
        }
        return key;
    }

    private static ApiException rejected(String detail) {
        return ApiException.unauthorized("invalid_api_key", detail);
    }

    private Optional<KeyRow> load(byte[] hash) {
        return jdbc.queryFirst(LOOKUP, rs -> new KeyRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                rs.getBytes(3), Jdbc.instant(rs, 4), Jdbc.instant(rs, 5), rs.getString(6), rs.getString(7),
                models(rs.getArray(8)), rs.getObject(9, Long.class), rs.getObject(10, Integer.class),
                rs.getString(11), rs.getString(12), networks(rs.getArray(13)), rs.getObject(14, Long.class),
                rs.getBoolean(15)), hash);
    }

    /** The stored networks, parsed once per cache fill; they were canonical when written. */
    private static List<Network> networks(java.sql.Array array) throws SQLException {
        return array == null ? null : Arrays.stream((String[]) array.getArray()).map(Network::parse).toList();
    }

    private static Set<String> models(java.sql.Array array) throws SQLException {
        return array == null ? null : Set.copyOf(Arrays.asList((String[]) array.getArray())); // copyOf: repeats allowed
    }

    /**
     * Writes {@code last_used_at} and {@code last_used_from} in one statement for all keys used since the last run, off
     * the request path.
     */
    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void writeLastUsed() {
        if (touchesDue.isEmpty()) {
            return;
        }
        Map<UUID, String> due = new HashMap<>(touchesDue);
        due.forEach(touchesDue::remove); // an entry put again since stays for the next run
        try {
            jdbc.update(TOUCH, new Jdbc.UuidArray(due.keySet()), due.values().toArray(String[]::new));
        } catch (RuntimeException e) {
            LOG.warnf("could not record last use of %d API keys: %s", due.size(), e.getMessage());
        }
    }
}
