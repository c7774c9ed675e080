package io.aiaas.platform.usage.persistence;

import io.aiaas.platform.billing.pricing.Pricing;
import io.aiaas.platform.billing.pricing.Pricing.Cost;
import io.aiaas.platform.billing.pricing.Pricing.Position;
import io.aiaas.platform.limits.service.Admission;
import io.aiaas.platform.usage.service.UsageRecord;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * The SQL of one usage batch, inside the writer's transaction: price each billable row, copy the rows with their price
 * snapshot and cost into {@code usage_records}, advance the period counters (the model's, the tenant's and, for a key
 * with a monthly cap, the key's), settle the callers' lease reservations,
 * add the rows to the hourly roll-ups, and hand the period counters before and after to {@link Hooks} (threshold
 * events, stored idempotent answers). Everything commits together or not at all.
 *
 * <p>Shared rows are locked as late as possible, so that several writers (threads of one replica, or replicas) run
 * their batches side by side and wait for each other only for the last statements and the commit. A batch whose prices
 * do not depend on how much the period has consumed (every component a single unbounded tier: the usual flat price)
 * copies its rows first and locks nothing until it advances the counters. A batch with a tiered price locks its
 * period counters first, since the position in the tiers is what prices the call, exactly across replicas. Either way
 * every transaction locks period counters, then leases and roll-ups, each set in one sorted order, so two writers never
 * deadlock (lease grants lock the period counter before the lease too).
 */
public final class UsageBatchWriter {

    // COPY is the cheapest way into a table with three indexes (about 25 % less per row than an INSERT of arrays
    // here). It has no ON CONFLICT: a request id stored twice fails the batch with 23505, and the recorder retries
    // the rows one by one (UsageRecorder answers the duplicate with the stored row), so counters never count a row
    // that is not there.
    static final String COPY = """
            COPY usage_records (request_id, tenant_id, api_key_id, model_id, model_version_id, worker_id,
                model_name, model_version, endpoint, status_code, billable, item_count, compute_us, bytes_in, bytes_out,
                device, error_code, started_at, finished_at, plan_id, billing_period, currency, price_request,
                price_item, price_compute, cost_request_nanos, cost_item_nanos, cost_compute_nanos, cost_nanos,
                idempotency_key) FROM STDIN""";
    // Locks (creating the missing ones) the counters a tiered price reads, in one sorted order on every replica; the
    // no-op update is what takes the row lock and returns the current values.
    private static final String LOCK_PERIODS = """
            INSERT INTO period_usage (tenant_id, billing_period, scope)
            SELECT * FROM unnest(?::uuid[], ?::date[], ?::text[]) ORDER BY 1, 2, 3
            ON CONFLICT (tenant_id, billing_period, scope) DO UPDATE SET requests = period_usage.requests
            RETURNING tenant_id, billing_period, scope, requests, items, compute_us, cost_nanos""";
    // Creates, locks (in sorted order) and advances the counters in one statement, answering the values after.
    private static final String ADVANCE = """
            INSERT INTO period_usage AS p (tenant_id, billing_period, scope, requests, items, compute_us, cost_nanos)
            SELECT * FROM unnest(?::uuid[], ?::date[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])
            ORDER BY 1, 2, 3
            ON CONFLICT (tenant_id, billing_period, scope) DO UPDATE SET requests = p.requests + excluded.requests,
                items = p.items + excluded.items, compute_us = p.compute_us + excluded.compute_us,
                cost_nanos = p.cost_nanos + excluded.cost_nanos
            RETURNING tenant_id, billing_period, scope, requests, items, compute_us, cost_nanos""";
    // The calls' reservations leave their replicas' leases, and the rows join the hourly roll-ups: one round trip.
    private static final String SETTLE_AND_ROLL_UP = """
            WITH settled AS (
                UPDATE limit_leases l SET amount = l.amount - s.amount
                FROM unnest(?::text[], ?::uuid[], ?::bigint[]) AS s(counter, holder, amount)
                WHERE l.counter = s.counter AND l.holder = s.holder
                RETURNING 1)
            INSERT INTO usage_rollups (tenant_id, hour, model_name, api_key_id, billing_period, currency, requests,
                billable, errors, refused, items, compute_us, bytes_in, bytes_out, cost_request_nanos, cost_item_nanos,
                cost_compute_nanos, cost_nanos)
            SELECT t, to_timestamp(h), m, k, p, c, r, b, e, f, i, cu, bi, bo, cr, ci, cc, ct
            FROM unnest(?::uuid[], ?::bigint[], ?::text[], ?::uuid[], ?::date[], ?::text[], ?::bigint[], ?::bigint[],
                        ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
                        ?::bigint[], ?::bigint[], ?::bigint[])
                AS d(t, h, m, k, p, c, r, b, e, f, i, cu, bi, bo, cr, ci, cc, ct)
            ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (tenant_id, hour, model_name, api_key_id, billing_period) DO UPDATE SET
                currency = coalesce(excluded.currency, usage_rollups.currency),
                requests = usage_rollups.requests + excluded.requests,
                billable = usage_rollups.billable + excluded.billable,
                errors = usage_rollups.errors + excluded.errors,
                refused = usage_rollups.refused + excluded.refused,
                items = usage_rollups.items + excluded.items,
                compute_us = usage_rollups.compute_us + excluded.compute_us,
                bytes_in = usage_rollups.bytes_in + excluded.bytes_in,
                bytes_out = usage_rollups.bytes_out + excluded.bytes_out,
                cost_request_nanos = usage_rollups.cost_request_nanos + excluded.cost_request_nanos,
                cost_item_nanos = usage_rollups.cost_item_nanos + excluded.cost_item_nanos,
                cost_compute_nanos = usage_rollups.cost_compute_nanos + excluded.cost_compute_nanos,
                cost_nanos = usage_rollups.cost_nanos + excluded.cost_nanos""";
    private static final UUID NO_KEY = new UUID(0, 0);

    /** A tenant's consumption in one period and scope ({@code *} or a model name). */
    public record Scope(UUID tenantId, LocalDate period, String scope) {
    }

    /** Consumption counters of one scope: requests, items, compute microseconds, cost in nano-units. */
    public record Counters(long requests, long items, long computeUs, long costNanos) {
        public static final Counters ZERO = new Counters(0, 0, 0, 0);

        Counters plus(long requests, long items, long computeUs, long costNanos) {
            return new Counters(this.requests + requests, this.items + items, this.computeUs + computeUs,
                    Math.addExact(this.costNanos, costNanos));
        }

        Counters plus(Counters other) {
            return plus(other.requests, other.items, other.computeUs, other.costNanos);
        }

        Counters minus(Counters other) {
            return new Counters(requests - other.requests, items - other.items, computeUs - other.computeUs,
                    Math.subtractExact(costNanos, other.costNanos));
        }
    }

    /** Work other features do in the same transaction, given the batch's rows and the counters it moved. */
    public interface Hooks {
        void afterBatch(Connection connection, List<UsageRecord> rows, Map<Scope, Counters> before,
                Map<Scope, Counters> after) throws SQLException;
    }

    private UsageBatchWriter() {
    }

    /** Writes the rows; answers each row's cost, in the order given. */
    public static Cost[] write(Connection c, List<UsageRecord> rows, Hooks hooks) throws SQLException {
        boolean tiered = rows.stream().anyMatch(row -> row.billable() && row.billing() != null
                && row.billing().price() != null && !Pricing.positionFree(row.billing().price()));
        // The positions a tiered price needs, read under the lock; a flat price is the same at any position. A row's
        // position is what the period had before the batch plus what the batch's earlier rows added.
        Map<Scope, Counters> locked = tiered ? lockPeriods(c, rows) : Map.of();
        Map<Scope, Counters> deltas = new LinkedHashMap<>();
        Cost[] costs = new Cost[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            UsageRecord row = rows.get(i);
            if (!row.billable()) {
                costs[i] = Cost.FREE;
                continue;
            }
            Scope model = new Scope(row.tenantId(), row.billingPeriod(), modelScope(row));
            Scope all = new Scope(row.tenantId(), row.billingPeriod(), "*");
            Counters at = locked.getOrDefault(model, Counters.ZERO).plus(deltas.getOrDefault(model, Counters.ZERO));
            Cost cost = row.billing() == null || row.billing().price() == null ? Cost.FREE
                    : Pricing.price(row.billing().price(), new Position(at.requests(), at.items(), at.computeUs()),
                            row.itemCount(), row.computeUs());
            costs[i] = cost;
            Counters delta = Counters.ZERO.plus(1, row.itemCount(), row.computeUs(), cost.totalNanos());
            deltas.merge(model, delta, Counters::plus);
            if (!model.equals(all)) {
                deltas.merge(all, delta, Counters::plus);
            }
            Scope key = keyScope(row);
            if (key != null) {
                deltas.merge(key, delta, Counters::plus);
            }
        }
        copyRows(c, rows, costs);
        Map<Scope, Counters> after = advance(c, deltas);
        Map<Scope, Counters> before = new LinkedHashMap<>();
        after.forEach((scope, counters) -> before.put(scope, counters.minus(deltas.get(scope))));
        settleAndRollUp(c, rows, costs);
        hooks.afterBatch(c, rows, before, after);
        return costs;
    }

    /** The counter of the call's API key, for a key with a monthly cap; null otherwise. */
    private static Scope keyScope(UsageRecord row) {
        return row.billing() == null || row.billing().keyScope() == null ? null
                : new Scope(row.tenantId(), row.billingPeriod(), row.billing().keyScope());
    }

        private static String modelScope(UsageRecord row) {
        return row.modelName() == null ? "" : row.modelName();
    }

    private static Map<Scope, Counters> lockPeriods(Connection c, List<UsageRecord> rows) throws SQLException {
        List<Scope> scopes = new ArrayList<>();
        for (UsageRecord row : rows) {
            if (row.billable()) {
                Scope model = new Scope(row.tenantId(), row.billingPeriod(), modelScope(row));
                if (!scopes.contains(model)) {
                    scopes.add(model);
                }
                Scope all = new Scope(row.tenantId(), row.billingPeriod(), "*");
                if (!scopes.contains(all)) {
                    scopes.add(all);
                }
                Scope key = keyScope(row);
                if (key != null && !scopes.contains(key)) {
                    scopes.add(key);
                }
            }
        }
        Map<Scope, Counters> counters = new LinkedHashMap<>();
        if (scopes.isEmpty()) {
            return counters;
        }
        try (PreparedStatement s = c.prepareStatement(LOCK_PERIODS)) {
            s.setArray(1, c.createArrayOf("uuid", scopes.stream().map(Scope::tenantId).toArray()));
            s.setArray(2, c.createArrayOf("text", scopes.stream().map(x -> x.period().toString()).toArray()));
            s.setArray(3, c.createArrayOf("text", scopes.stream().map(Scope::scope).toArray()));
            counters.putAll(readCounters(s));
        }
        for (Scope scope : scopes) {
            counters.putIfAbsent(scope, Counters.ZERO);
        }
        return counters;
    }

    private static Map<Scope, Counters> readCounters(PreparedStatement s) throws SQLException {
        Map<Scope, Counters> counters = new LinkedHashMap<>();
        try (var rs = s.executeQuery()) {
            while (rs.next()) {
                counters.put(new Scope(rs.getObject(1, UUID.class), rs.getObject(2, LocalDate.class),
                        rs.getString(3)), new Counters(rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)));
            }
        }
        return counters;
    }

    /** Adds each scope's delta to its counter (creating it); answers the counters after, read under their lock. */
    private static Map<Scope, Counters> advance(Connection c, Map<Scope, Counters> deltas) throws SQLException {
        if (deltas.isEmpty()) {
            return new LinkedHashMap<>();
        }
        int n = deltas.size();
        Object[][] columns = new Object[7][n];
        int j = 0;
        for (Map.Entry<Scope, Counters> entry : deltas.entrySet()) {
            Counters d = entry.getValue();
            Object[] values = {entry.getKey().tenantId(), entry.getKey().period().toString(), entry.getKey().scope(),
                d.requests(), d.items(), d.computeUs(), d.costNanos()};
            for (int k = 0; k < 7; k++) {
                columns[k][j] = values[k];
            }
            j++;
        }
        String[] types = {"uuid", "text", "text", "bigint", "bigint", "bigint", "bigint"};
        try (PreparedStatement s = c.prepareStatement(ADVANCE)) {
            for (int k = 0; k < 7; k++) {
                s.setArray(k + 1, c.createArrayOf(types[k], columns[k]));
            }
            Map<Scope, Counters> after = readCounters(s);
            if (!after.keySet().equals(deltas.keySet())) {
                throw new IllegalStateException("period counters advanced " + after.keySet() + ", expected "
                        + deltas.keySet());
            }
            return after;
        }
    }

    /** The rows, as COPY's text format: tab-separated, {@code \N} for null, backslash escapes in text. */
    private static void copyRows(Connection c, List<UsageRecord> rows, Cost[] costs) throws SQLException {
        StringBuilder out = new StringBuilder(rows.size() * 320);
        for (int i = 0; i < rows.size(); i++) {
            UsageRecord r = rows.get(i);
            Cost cost = costs[i];
            UsageRecord.Billing billing = r.billing();
            boolean priced = billing != null && billing.price() != null && r.billable();
            field(out, r.requestId()).append('\t');
            field(out, r.tenantId()).append('\t');
            field(out, r.apiKeyId()).append('\t');
            field(out, r.modelId()).append('\t');
            field(out, r.modelVersionId()).append('\t');
            field(out, r.workerId()).append('\t');
            text(out, r.modelName()).append('\t');
            field(out, r.modelVersion()).append('\t');
            text(out, r.endpoint()).append('\t');
            out.append(r.statusCode()).append('\t');
            out.append(r.billable() ? 't' : 'f').append('\t');
            out.append(r.itemCount()).append('\t');
            out.append(r.computeUs()).append('\t');
            out.append(r.bytesIn()).append('\t');
            out.append(r.bytesOut()).append('\t');
            text(out, r.device()).append('\t');
            text(out, r.errorCode()).append('\t');
            // microseconds, as the column keeps them (truncated, never rounded up)
            out.append(r.startedAt().truncatedTo(ChronoUnit.MICROS)).append('\t');
            out.append(r.finishedAt().truncatedTo(ChronoUnit.MICROS)).append('\t');
            field(out, billing == null ? null : billing.planId()).append('\t');
            out.append(r.billingPeriod()).append('\t');
            text(out, billing == null ? null : billing.currency()).append('\t');
            field(out, priced ? cost.requestPrice() : null).append('\t');
            field(out, priced ? cost.itemPrice() : null).append('\t');
            field(out, priced ? cost.computePrice() : null).append('\t');
            out.append(cost.requestNanos()).append('\t');
            out.append(cost.itemNanos()).append('\t');
            out.append(cost.computeNanos()).append('\t');
            out.append(cost.totalNanos()).append('\t');
            text(out, r.idempotent() == null ? null : r.idempotent().key()).append('\n');
        }
        byte[] data = out.toString().getBytes(StandardCharsets.UTF_8);
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY, new ByteArrayInputStream(data));
        } catch (IOException e) {
            throw new SQLException("copying usage rows failed", "08006", e);
        }
    }

    private static StringBuilder field(StringBuilder out, Object value) {
        return value == null ? out.append("\\N") : out.append(value);
    }

    private static StringBuilder text(StringBuilder out, String value) {
        if (value == null) {
            return out.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
        return out;
    }

    private record RollupKey(UUID tenantId, long hour, String model, UUID keyId, LocalDate period) {
    }

    private static void settleAndRollUp(Connection c, List<UsageRecord> rows, Cost[] costs) throws SQLException {
        List<Object> counters = new ArrayList<>();
        List<Object> holders = new ArrayList<>();
        List<Object> amounts = new ArrayList<>();
        settlements(rows, costs).forEach((holder, byCounter) -> byCounter.forEach((counter, amount) -> {
            counters.add(counter);
            holders.add(holder);
            amounts.add(amount);
        }));
        Map<RollupKey, long[]> sums = new LinkedHashMap<>();
        Map<RollupKey, String> currencies = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            UsageRecord row = rows.get(i);
            Cost cost = costs[i];
            RollupKey key = new RollupKey(row.tenantId(), row.startedAt().truncatedTo(ChronoUnit.HOURS)
                    .getEpochSecond(), modelScope(row), row.apiKeyId() == null ? NO_KEY : row.apiKeyId(),
                    row.billingPeriod());
            long[] v = sums.computeIfAbsent(key, k -> new long[12]);
            v[0] += 1;
            v[1] += row.billable() ? 1 : 0;
            v[2] += row.statusCode() >= 400 ? 1 : 0;
            v[3] += row.statusCode() == 429 ? 1 : 0;
            v[4] += row.billable() ? row.itemCount() : 0;
            v[5] += row.computeUs();
            v[6] += row.bytesIn();
            v[7] += row.bytesOut();
            v[8] += cost.requestNanos();
            v[9] += cost.itemNanos();
            v[10] += cost.computeNanos();
            v[11] += cost.totalNanos();
            if (row.billing() != null) {
                currencies.put(key, row.billing().currency());
            }
        }
        int n = sums.size();
        Object[][] columns = new Object[18][n];
        int j = 0;
        for (Map.Entry<RollupKey, long[]> entry : sums.entrySet()) {
            RollupKey key = entry.getKey();
            columns[0][j] = key.tenantId();
            columns[1][j] = key.hour();
            columns[2][j] = key.model();
            columns[3][j] = key.keyId();
            columns[4][j] = key.period().toString();
            columns[5][j] = currencies.get(key);
            for (int k = 0; k < 12; k++) {
                columns[6 + k][j] = entry.getValue()[k];
            }
            j++;
        }
        String[] types = {"uuid", "bigint", "text", "uuid", "text", "text"};
        try (PreparedStatement s = c.prepareStatement(SETTLE_AND_ROLL_UP)) {
            s.setArray(1, c.createArrayOf("text", counters.toArray()));
            s.setArray(2, c.createArrayOf("uuid", holders.toArray()));
            s.setArray(3, c.createArrayOf("bigint", amounts.toArray()));
            for (int k = 0; k < 18; k++) {
                s.setArray(k + 4, c.createArrayOf(k < types.length ? types[k] : "bigint", columns[k]));
            }
            s.executeUpdate();
        }
    }

    /** What the batch's billable calls consumed of each reserved counter, by replica (holder) and counter. */
    private static Map<UUID, Map<String, Long>> settlements(List<UsageRecord> rows, Cost[] costs) {
        Map<UUID, Map<String, Long>> byHolder = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            UsageRecord row = rows.get(i);
            if (!row.billable() || row.billing() == null || row.billing().holder() == null) {
                continue;
            }
            for (Admission.Charge charge : row.billing().charges()) {
                long amount = switch (charge.column()) {
                    case REQUESTS -> 1;
                    case ITEMS -> row.itemCount();
                    case COMPUTE_US -> row.computeUs();
                    case COST_NANOS -> costs[i].totalNanos();
                };
                byHolder.computeIfAbsent(row.billing().holder(), h -> new LinkedHashMap<>())
                        .merge(charge.counter(), amount, Long::sum);
            }
        }
        return byHolder;
    }
}
