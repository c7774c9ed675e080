package io.aiaas.platform.usage.persistence;

import io.aiaas.platform.billing.pricing.Pricing;
import io.aiaas.platform.billing.pricing.Pricing.Cost;
import io.aiaas.platform.billing.pricing.Pricing.Position;
import io.aiaas.platform.limits.service.Admission;
import io.aiaas.platform.usage.service.UsageRecord;
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

/**
 * The SQL of one usage batch, inside the writer's transaction: lock and advance the period counters (which orders
 * graduated tiers exactly across replicas), price each billable row, insert the rows with their price snapshot and
 * cost, add them to the hourly roll-ups, settle the callers' lease reservations, and hand the period counters before
 * and after to {@link Hooks} (threshold events, stored idempotent answers). Everything commits together or not at
 * all.
 */
public final class UsageBatchWriter {

    // One statement for the whole batch (arrays, one element per row): a JDBC batch of single-row INSERTs cost
    // more than twice as much. Timestamps travel as epoch microseconds, converted exactly.
    static final String INSERT = """
            INSERT INTO usage_records (request_id, tenant_id, api_key_id, model_id, model_version_id, worker_id,
                model_name, model_version, endpoint, status_code, billable, item_count, compute_us, bytes_in, bytes_out,
                device, error_code, started_at, finished_at, plan_id, billing_period, currency, price_request,
                price_item, price_compute, cost_request_nanos, cost_item_nanos, cost_compute_nanos, cost_nanos,
                idempotency_key)
            SELECT a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17,
                   TIMESTAMPTZ 'epoch' + a18 * interval '1 microsecond',
                   TIMESTAMPTZ 'epoch' + a19 * interval '1 microsecond',
                   a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30
            FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::int[],
                        ?::text[], ?::smallint[], ?::boolean[], ?::int[], ?::bigint[], ?::bigint[], ?::bigint[],
                        ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::uuid[], ?::date[], ?::text[], ?::bigint[],
                        ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[])
                AS r(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19, a20,
                     a21, a22, a23, a24, a25, a26, a27, a28, a29, a30)
            ON CONFLICT (request_id, started_at) DO NOTHING""";
    private static final String[] INSERT_TYPES = {"uuid", "uuid", "uuid", "uuid", "uuid", "uuid", "text", "int4",
        "text", "int4", "bool", "int4", "int8", "int8", "int8", "text", "text", "int8", "int8", "uuid", "text", "text",
        "int8", "int8", "int8", "int8", "int8", "int8", "int8", "text"};
    // Creates the missing counters and locks all of them in one statement, in one sorted order on every replica (so
    // two writers never deadlock); the no-op update is what takes the row lock and returns the current values.
    private static final String LOCK_PERIODS = """
            INSERT INTO period_usage (tenant_id, billing_period, scope)
            SELECT * FROM unnest(?::uuid[], ?::date[], ?::text[]) ORDER BY 1, 2, 3
            ON CONFLICT (tenant_id, billing_period, scope) DO UPDATE SET requests = period_usage.requests
            RETURNING tenant_id, billing_period, scope, requests, items, compute_us, cost_nanos""";
    // The counters move and the calls' reservations leave their replicas' leases in one statement (one round trip).
    private static final String ADVANCE_AND_SETTLE = """
            WITH advanced AS (
                UPDATE period_usage p SET requests = p.requests + d.requests, items = p.items + d.items,
                    compute_us = p.compute_us + d.compute_us, cost_nanos = p.cost_nanos + d.cost_nanos
                FROM unnest(?::uuid[], ?::date[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])
                    AS d(tenant_id, billing_period, scope, requests, items, compute_us, cost_nanos)
                WHERE p.tenant_id = d.tenant_id AND p.billing_period = d.billing_period AND p.scope = d.scope
                RETURNING 1),
            settled AS (
                UPDATE limit_leases l SET amount = l.amount - s.amount
                FROM unnest(?::text[], ?::uuid[], ?::bigint[]) AS s(counter, holder, amount)
                WHERE l.counter = s.counter AND l.holder = s.holder
                RETURNING 1)
            SELECT (SELECT count(*) FROM advanced), (SELECT count(*) FROM settled)""";
    private static final String ROLL_UP = """
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
        Map<Scope, Counters> before = lockPeriods(c, rows);
        Map<Scope, Counters> running = new LinkedHashMap<>(before);
        Cost[] costs = new Cost[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            UsageRecord row = rows.get(i);
            if (!row.billable()) {
                costs[i] = Cost.FREE;
                continue;
            }
            Scope model = new Scope(row.tenantId(), row.billingPeriod(), modelScope(row));
            Scope all = new Scope(row.tenantId(), row.billingPeriod(), "*");
            Counters at = running.get(model);
            Cost cost = row.billing() == null || row.billing().price() == null ? Cost.FREE
                    : Pricing.price(row.billing().price(), new Position(at.requests(), at.items(), at.computeUs()),
                            row.itemCount(), row.computeUs());
            costs[i] = cost;
            running.put(model, at.plus(1, row.itemCount(), row.computeUs(), cost.totalNanos()));
            if (!model.equals(all)) {
                running.put(all, running.get(all).plus(1, row.itemCount(), row.computeUs(), cost.totalNanos()));
            }
        }
        advanceAndSettle(c, before, running, rows, costs);
        insertRows(c, rows, costs);
        rollUp(c, rows, costs);
        hooks.afterBatch(c, rows, before, running);
        return costs;
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
            }
        }
        Map<Scope, Counters> counters = new LinkedHashMap<>();
        if (scopes.isEmpty()) {
            return counters;
        }
        Object[] tenants = scopes.stream().map(Scope::tenantId).toArray();
        Object[] periods = scopes.stream().map(s -> s.period().toString()).toArray();
        Object[] names = scopes.stream().map(Scope::scope).toArray();
        try (PreparedStatement s = c.prepareStatement(LOCK_PERIODS)) {
            s.setArray(1, c.createArrayOf("uuid", tenants));
            s.setArray(2, c.createArrayOf("text", periods));
            s.setArray(3, c.createArrayOf("text", names));
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    counters.put(new Scope(rs.getObject(1, UUID.class), rs.getObject(2, LocalDate.class),
                            rs.getString(3)), new Counters(rs.getLong(4), rs.getLong(5), rs.getLong(6),
                            rs.getLong(7)));
                }
            }
        }
        for (Scope scope : scopes) {
            counters.putIfAbsent(scope, Counters.ZERO);
        }
        return counters;
    }

    private static void advanceAndSettle(Connection c, Map<Scope, Counters> before, Map<Scope, Counters> after,
            List<UsageRecord> rows, Cost[] costs) throws SQLException {
        if (before.isEmpty()) {
            return;
        }
        List<Object> counters = new ArrayList<>();
        List<Object> holders = new ArrayList<>();
        List<Object> amounts = new ArrayList<>();
        settlements(rows, costs).forEach((holder, byCounter) -> byCounter.forEach((counter, amount) -> {
            counters.add(counter);
            holders.add(holder);
            amounts.add(amount);
        }));
        List<Object> tenants = new ArrayList<>();
        List<Object> periods = new ArrayList<>();
        List<Object> names = new ArrayList<>();
        List<Object> requests = new ArrayList<>();
        List<Object> items = new ArrayList<>();
        List<Object> compute = new ArrayList<>();
        List<Object> cost = new ArrayList<>();
        for (Map.Entry<Scope, Counters> entry : before.entrySet()) {
            Counters b = entry.getValue();
            Counters a = after.get(entry.getKey());
            tenants.add(entry.getKey().tenantId());
            periods.add(entry.getKey().period().toString());
            names.add(entry.getKey().scope());
            requests.add(a.requests() - b.requests());
            items.add(a.items() - b.items());
            compute.add(a.computeUs() - b.computeUs());
            cost.add(a.costNanos() - b.costNanos());
        }
        try (PreparedStatement s = c.prepareStatement(ADVANCE_AND_SETTLE)) {
            s.setArray(1, c.createArrayOf("uuid", tenants.toArray()));
            s.setArray(2, c.createArrayOf("text", periods.toArray()));
            s.setArray(3, c.createArrayOf("text", names.toArray()));
            s.setArray(4, c.createArrayOf("bigint", requests.toArray()));
            s.setArray(5, c.createArrayOf("bigint", items.toArray()));
            s.setArray(6, c.createArrayOf("bigint", compute.toArray()));
            s.setArray(7, c.createArrayOf("bigint", cost.toArray()));
            s.setArray(8, c.createArrayOf("text", counters.toArray()));
            s.setArray(9, c.createArrayOf("uuid", holders.toArray()));
            s.setArray(10, c.createArrayOf("bigint", amounts.toArray()));
            s.executeQuery().close();
        }
    }

    private static void insertRows(Connection c, List<UsageRecord> rows, Cost[] costs) throws SQLException {
        int n = rows.size();
        Object[][] columns = new Object[30][n];
        for (int i = 0; i < n; i++) {
            UsageRecord r = rows.get(i);
            Cost cost = costs[i];
            UsageRecord.Billing billing = r.billing();
            boolean priced = billing != null && billing.price() != null && r.billable();
            Object[] values = {r.requestId(), r.tenantId(), r.apiKeyId(), r.modelId(), r.modelVersionId(),
                r.workerId(), r.modelName(), r.modelVersion(), r.endpoint(), r.statusCode(), r.billable(),
                r.itemCount(), r.computeUs(), r.bytesIn(), r.bytesOut(), r.device(), r.errorCode(),
                epochMicros(r.startedAt()), epochMicros(r.finishedAt()), billing == null ? null : billing.planId(),
                r.billingPeriod().toString(), billing == null ? null : billing.currency(),
                priced ? cost.requestPrice() : null, priced ? cost.itemPrice() : null,
                priced ? cost.computePrice() : null, cost.requestNanos(), cost.itemNanos(), cost.computeNanos(),
                cost.totalNanos(), r.idempotent() == null ? null : r.idempotent().key()};
            for (int k = 0; k < 30; k++) {
                columns[k][i] = values[k];
            }
        }
        try (PreparedStatement s = c.prepareStatement(INSERT)) {
            for (int k = 0; k < 30; k++) {
                s.setArray(k + 1, c.createArrayOf(INSERT_TYPES[k], columns[k]));
            }
            s.executeUpdate();
        }
    }

    private static long epochMicros(java.time.Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    private record RollupKey(UUID tenantId, long hour, String model, UUID keyId, LocalDate period) {
    }

    private static void rollUp(Connection c, List<UsageRecord> rows, Cost[] costs) throws SQLException {
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
        try (PreparedStatement s = c.prepareStatement(ROLL_UP)) {
            for (int k = 0; k < 18; k++) {
                s.setArray(k + 1, c.createArrayOf(k < types.length ? types[k] : "bigint", columns[k]));
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
