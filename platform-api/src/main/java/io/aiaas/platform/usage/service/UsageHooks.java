package io.aiaas.platform.usage.service;

import io.aiaas.platform.plan.service.PlanSpec;
import io.aiaas.platform.usage.persistence.UsageBatchWriter;
import io.aiaas.platform.usage.persistence.UsageBatchWriter.Counters;
import io.aiaas.platform.usage.persistence.UsageBatchWriter.Scope;
import io.aiaas.platform.billing.events.BillingEvents;
import io.aiaas.platform.billing.events.Consumption;
import io.aiaas.platform.billing.events.Crossed;
import io.aiaas.platform.billing.events.Thresholds;
import io.aiaas.platform.idempotency.service.Completion;
import io.aiaas.platform.idempotency.service.IdempotencyKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What other features do in the usage writer's transaction: store the answers of calls that carried an
 * Idempotency-Key, and record the quota and budget thresholds a batch crossed.
 */
@ApplicationScoped
public class UsageHooks implements UsageBatchWriter.Hooks {

    private final long maxIdempotentBytes;

    UsageHooks(IdempotencyKeys idempotencyKeys) {
        this.maxIdempotentBytes = idempotencyKeys.maxResponseBytes();
    }

    @Override
    public void afterBatch(Connection connection, List<UsageRecord> rows, Map<Scope, Counters> before,
            Map<Scope, Counters> after) throws SQLException {
        storeIdempotentAnswers(connection, rows);
        recordThresholds(connection, rows, before, after);
    }

    private record TenantPeriod(UUID tenantId, LocalDate period) {
    }

    /**
     * The 80 % and 100 % thresholds of quotas and budget this batch crossed, per tenant and period, against the plan
     * that priced the batch's latest row of that tenant, of the tenant's own monthly cap as that row knew it, and of
     * the monthly caps of the keys that made its calls; each is recorded once per period whatever the replica.
     */
    private static void recordThresholds(Connection connection, List<UsageRecord> rows, Map<Scope, Counters> before,
            Map<Scope, Counters> after) throws SQLException {
        Map<TenantPeriod, PlanSpec> plans = new LinkedHashMap<>();
        Map<TenantPeriod, Map<String, Long>> keyCaps = new HashMap<>();
        Map<TenantPeriod, Long> tenantCaps = new HashMap<>();
        for (UsageRecord row : rows) {
            if (row.billable() && row.billing() != null) {
                TenantPeriod key = new TenantPeriod(row.tenantId(), row.billingPeriod());
                plans.put(key, row.billing().plan());
                if (row.billing().tenantBudgetMicros() != null) {
                    tenantCaps.put(key, row.billing().tenantBudgetMicros());
                } else {
                    tenantCaps.remove(key);
                }
                if (row.billing().keyScope() != null) {
                    keyCaps.computeIfAbsent(key, k -> new HashMap<>()).put(row.billing().keyScope(),
                            row.billing().keyBudgetMicros());
                }
            }
        }
        for (Map.Entry<TenantPeriod, PlanSpec> entry : plans.entrySet()) {
            PlanSpec plan = entry.getValue();
            TenantPeriod key = entry.getKey();
            Map<String, Long> caps = keyCaps.get(key);
            Long tenantCap = tenantCaps.get(key);
            if (plan.quotasOrEmpty().isEmpty() && plan.budget() == null && caps == null && tenantCap == null) {
                continue;
            }
            Map<String, Consumption> then = consumption(before, key);
            Map<String, Consumption> now = consumption(after, key);
            List<Crossed> crossed = Thresholds.crossed(plan, then, now);
            List<Crossed> ofTenant = tenantCap == null ? List.of() : Thresholds.crossedTenantCap(tenantCap, then, now);
            List<Crossed> ofKeys = caps == null ? List.of() : Thresholds.crossedKeyCaps(caps, then, now);
            if (!ofTenant.isEmpty() || !ofKeys.isEmpty()) {
                crossed = new ArrayList<>(crossed);
                crossed.addAll(ofTenant);
                crossed.addAll(ofKeys);
            }
            BillingEvents.record(connection, key.tenantId(), key.period(), crossed);
        }
    }

    private static Map<String, Consumption> consumption(Map<Scope, Counters> counters, TenantPeriod key) {
        Map<String, Consumption> byScope = new HashMap<>();
        counters.forEach((scope, c) -> {
            if (scope.tenantId().equals(key.tenantId()) && scope.period().equals(key.period())) {
                byScope.put(scope.scope(), new Consumption(c.requests(), c.items(), c.computeUs(), c.costNanos()));
            }
        });
        return byScope;
    }

    /** The answer of each call with an Idempotency-Key commits with its usage row (or releases the key). */
    private void storeIdempotentAnswers(Connection connection, List<UsageRecord> rows) throws SQLException {
        List<Completion> completions = new ArrayList<>();
        for (UsageRecord row : rows) {
            UsageRecord.Idempotent answer = row.idempotent();
            if (answer != null) {
                completions.add(new Completion(row.tenantId(), answer.key(), row.requestId(), answer.status(),
                        answer.contentType(), answer.headers(), answer.body()));
            }
        }
        if (!completions.isEmpty()) {
            IdempotencyKeys.complete(connection, completions, maxIdempotentBytes);
        }
    }
}
