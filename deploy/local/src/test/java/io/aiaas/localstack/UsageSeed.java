package io.aiaas.localstack;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Writes generated calls of one tenant straight into PostgreSQL, as the usage writer would have left them: the rows
 * with their price snapshot and cost, added to the hourly roll-ups and to the period counters ({@code period_usage},
 * overall and per model) in the same statement, so reports, invoices and budgets agree with the rows. The shape follows
 * platform-api's {@code UsageGenerator} (the report benchmark's): calls spread evenly over [from, to), over the keys
 * and models given; every 50th refused (429), every 97th failed (500); billable calls cost one flat price per request.
 */
final class UsageSeed {

    private static final String SEED = """
            WITH ins AS (
                INSERT INTO usage_records (request_id, tenant_id, api_key_id, model_name, model_version, endpoint,
                    status_code, billable, item_count, compute_us, bytes_in, bytes_out, device, error_code,
                    started_at, finished_at, plan_id, billing_period, currency, price_request,
                    cost_request_nanos, cost_nanos)
                SELECT gen_random_uuid(), ?, (?::uuid[])[1 + g.i % ?], (?::text[])[1 + g.i % ?], 1, 'infer',
                    g.status, g.status = 200, g.items, g.compute_us, 120, 60, 'cpu',
                    CASE WHEN g.status = 200 THEN NULL ELSE 'generated' END, g.t, g.t + interval '3 ms', ?, ?,
                    'USD', ?, CASE WHEN g.status = 200 THEN ? ELSE 0 END, CASE WHEN g.status = 200 THEN ? ELSE 0 END
                FROM (SELECT i, ? + (i * ? / ?) * interval '1 second' AS t,
                          CASE WHEN i % 50 = 0 THEN 429 WHEN i % 97 = 0 THEN 500 ELSE 200 END AS status,
                          CASE WHEN i % 50 = 0 OR i % 97 = 0 THEN 0 ELSE 1 END AS items,
                          200 + (i * 7919) % 5000 AS compute_us
                      FROM generate_series(0, CAST(? AS bigint) - 1) AS i) AS g
                RETURNING tenant_id, billing_period, started_at, model_name, api_key_id, currency, billable,
                    status_code, item_count, compute_us, bytes_in, bytes_out, cost_request_nanos, cost_nanos),
            rolled AS (
                INSERT INTO usage_rollups AS r (tenant_id, billing_period, hour, model_name, api_key_id, currency,
                    requests, billable, errors, refused, items, compute_us, bytes_in, bytes_out, cost_request_nanos,
                    cost_nanos)
                SELECT tenant_id, billing_period, date_trunc('hour', started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
                    model_name, api_key_id, max(currency), count(*), count(*) FILTER (WHERE billable),
                    count(*) FILTER (WHERE status_code >= 400), count(*) FILTER (WHERE status_code = 429),
                    sum(item_count), sum(compute_us), sum(bytes_in), sum(bytes_out), sum(cost_request_nanos),
                    sum(cost_nanos)
                FROM ins GROUP BY 1, 2, 3, 4, 5
                ON CONFLICT (tenant_id, hour, model_name, api_key_id, billing_period) DO UPDATE SET
                    currency = coalesce(excluded.currency, r.currency),
                    requests = r.requests + excluded.requests, billable = r.billable + excluded.billable,
                    errors = r.errors + excluded.errors, refused = r.refused + excluded.refused,
                    items = r.items + excluded.items, compute_us = r.compute_us + excluded.compute_us,
                    bytes_in = r.bytes_in + excluded.bytes_in, bytes_out = r.bytes_out + excluded.bytes_out,
                    cost_request_nanos = r.cost_request_nanos + excluded.cost_request_nanos,
                    cost_nanos = r.cost_nanos + excluded.cost_nanos
                RETURNING 1),
            counted AS (
                INSERT INTO period_usage AS p (tenant_id, billing_period, scope, requests, items, compute_us,
                    cost_nanos)
                SELECT tenant_id, billing_period, scope, count(*), sum(item_count), sum(compute_us), sum(cost_nanos)
                FROM (SELECT tenant_id, billing_period, model_name AS scope, item_count, compute_us, cost_nanos
                      FROM ins WHERE billable
                      UNION ALL
                      SELECT tenant_id, billing_period, '*', item_count, compute_us, cost_nanos
                      FROM ins WHERE billable) AS b
                GROUP BY 1, 2, 3
                ON CONFLICT (tenant_id, billing_period, scope) DO UPDATE SET
                    requests = p.requests + excluded.requests, items = p.items + excluded.items,
                    compute_us = p.compute_us + excluded.compute_us, cost_nanos = p.cost_nanos + excluded.cost_nanos
                RETURNING 1)
            SELECT (SELECT count(*) FROM ins), (SELECT count(*) FROM ins WHERE billable),
                (SELECT count(*) FROM rolled), (SELECT count(*) FROM counted)""";

    private UsageSeed() {
    }

    /** What one seeding wrote: rows, billable rows among them, roll-up hours touched. */
    record Written(long rows, long billable, long rollups) {
    }

    /**
     * Writes {@code rows} calls of the tenant in [from, to), all in the billing period given, priced at
     * {@code requestNanos} per billable call under the plan given.
     */
    static Written calls(Connection db, UUID tenantId, UUID planId, LocalDate period, Instant from, Instant to,
            long rows, List<UUID> keys, List<String> models, long requestNanos) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT CAST(aiaas_ensure_usage_partitions(?, 1) AS text)")) {
            // the month's partition exists from platform-api's start; this only makes sure of it
            s.setObject(1, utc(from));
            s.executeQuery().close();
        }
        double spanSeconds = Duration.between(from, to).toMillis() / 1000.0;
        try (PreparedStatement s = db.prepareStatement(SEED)) {
            int p = 1;
            s.setObject(p++, tenantId);
            s.setArray(p++, db.createArrayOf("uuid", keys.toArray()));
            s.setInt(p++, keys.size());
            s.setArray(p++, db.createArrayOf("text", models.toArray()));
            s.setInt(p++, models.size());
            s.setObject(p++, planId);
            s.setObject(p++, period);
            s.setLong(p++, requestNanos);
            s.setLong(p++, requestNanos);
            s.setLong(p++, requestNanos);
            s.setObject(p++, utc(from));
            s.setDouble(p++, spanSeconds);
            s.setDouble(p++, (double) rows);
            s.setLong(p, rows);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                Written written = new Written(rs.getLong(1), rs.getLong(2), rs.getLong(3));
                try (Statement analyze = db.createStatement()) {
                    analyze.execute("ANALYZE usage_records");
                    analyze.execute("ANALYZE usage_rollups");
                }
                return written;
            }
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
