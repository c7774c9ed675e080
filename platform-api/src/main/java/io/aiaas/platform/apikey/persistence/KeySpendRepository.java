package io.aiaas.platform.apikey.persistence;

import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.limits.service.Limits;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What API keys with a monthly cap spent in a billing period: the {@code period_usage} rows of scope
 * {@code key:<id>} ({@link Limits#keyScope}), which the usage writer advances for the calls of keys with a cap.
 */
@ApplicationScoped
public class KeySpendRepository {

    // The tenant's overall counter is locked first, as every usage writer that advances the key's counter locks it
    // first too: the writer transactions before this one have committed their roll-ups, the later ones wait for it.
    private static final String LOCK_TENANT = """
            INSERT INTO period_usage (tenant_id, billing_period, scope) VALUES (?, ?, '*')
            ON CONFLICT (tenant_id, billing_period, scope) DO UPDATE SET requests = period_usage.requests""";
    private static final String START = """
            INSERT INTO period_usage (tenant_id, billing_period, scope, requests, items, compute_us, cost_nanos)
            SELECT ?, ?, ?, coalesce(sum(billable), 0), coalesce(sum(items), 0), coalesce(sum(compute_us), 0),
                coalesce(sum(cost_nanos), 0)
            FROM usage_rollups WHERE tenant_id = ? AND billing_period = ? AND api_key_id = ?
            ON CONFLICT (tenant_id, billing_period, scope) DO UPDATE SET requests = excluded.requests,
                items = excluded.items, compute_us = excluded.compute_us, cost_nanos = excluded.cost_nanos""";
    private static final String SPENT = """
            SELECT scope, cost_nanos FROM period_usage
            WHERE tenant_id = ? AND billing_period = ? AND scope LIKE 'key:%'""";

    private final Jdbc jdbc;

    KeySpendRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Starts counting a key's spend in the period from what its calls have cost so far (the hourly roll-ups), when a
     * cap is put on a key that had none: while it had none, its counter was not advanced. In the caller's transaction.
     */
    public void startCounting(UUID tenantId, LocalDate period, UUID keyId) {
        jdbc.update(LOCK_TENANT, tenantId, period);
        jdbc.update(START, tenantId, period, Limits.keyScope(keyId), tenantId, period, keyId);
    }

    /** Each capped key's spend in the period, nano-units, by key id. */
    public Map<UUID, Long> spentNanos(UUID tenantId, LocalDate period) {
        Map<UUID, Long> spent = new HashMap<>();
        jdbc.query(SPENT, rs -> spent.put(UUID.fromString(rs.getString(1).substring(Limits.KEY_SCOPE.length())),
                rs.getLong(2)), tenantId, period);
        return spent;
    }
}
