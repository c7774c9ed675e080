package io.aiaas.platform.testsupport;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * Generates a month of priced usage for one tenant inside PostgreSQL (INSERT ... SELECT generate_series, in chunks),
 * then its hourly roll-ups with one INSERT ... SELECT ... GROUP BY over the rows, as the usage writer would have left
 * them. Calls are spread evenly over the month, over 10 models ({@code model-0..9}) and 5 keys; every 50th is
 * refused (429), every 97th fails (500); billable calls cost 1,000 nanos per request, 500 per item and 3 per compute
 * microsecond in USD.
 */
@ApplicationScoped
public class UsageGenerator {

    static final int CHUNK = 500_000;

    private final TestDb db;

    UsageGenerator(TestDb db) {
        this.db = db;
    }

    /** Writes {@code rows} calls of the tenant in the UTC month {@code period}; reports progress in rows. */
    public void month(UUID tenantId, LocalDate period, long rows, LongConsumer progress) {
        Instant start = period.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = period.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        double spanSeconds = Duration.between(start, end).toSeconds();
        db.value("SELECT CAST(aiaas_ensure_usage_partitions(?, 1) AS text)", utc(start));
        for (long lo = 0; lo < rows; lo += CHUNK) {
            long hi = Math.min(rows, lo + CHUNK) - 1;
            db.update("""
                    INSERT INTO usage_records (request_id, tenant_id, api_key_id, model_name, model_version, endpoint,
                        status_code, billable, item_count, compute_us, bytes_in, bytes_out, device, error_code,
                        started_at, finished_at, billing_period, currency, price_request, price_item, price_compute,
                        cost_request_nanos, cost_item_nanos, cost_compute_nanos, cost_nanos)
                    SELECT gen_random_uuid(), ?, key, model, 1, 'infer', status, status = 200, items, compute_us, 100,
                        40, 'cpu', CASE WHEN status = 200 THEN NULL ELSE 'generated' END, t, t + interval '3 ms', ?,
                        'USD', 1000000, 500000, 3000, req, item, comp, req + item + comp
                    FROM (
                        SELECT t, key, model, status, items, compute_us,
                            CASE WHEN status = 200 THEN 1000 ELSE 0 END AS req,
                            CASE WHEN status = 200 THEN items * 500 ELSE 0 END AS item,
                            CASE WHEN status = 200 THEN (compute_us * 3000 + 500) / 1000 ELSE 0 END AS comp
                        FROM (
                            SELECT ? + (i * ? / ?) * interval '1 second' AS t,
                                CAST(md5(CAST(? AS text) || (i % 5)) AS uuid) AS key,
                                'model-' || (i % 10) AS model,
                                CASE WHEN i % 50 = 0 THEN 429 WHEN i % 97 = 0 THEN 500 ELSE 200 END AS status,
                                CASE WHEN i % 50 = 0 OR i % 97 = 0 THEN 0 ELSE 1 + i % 8 END AS items,
                                200 + (i * 7919) % 5000 AS compute_us
                            FROM generate_series(CAST(? AS bigint), CAST(? AS bigint)) AS i) AS g) AS priced""",
                    tenantId, period, utc(start), spanSeconds, (double) rows, tenantId.toString(), lo, hi);
            progress.accept(hi + 1);
        }
        db.update("""
                INSERT INTO usage_rollups (tenant_id, billing_period, hour, model_name, api_key_id, currency, requests,
                    billable, errors, refused, items, compute_us, bytes_in, bytes_out, cost_request_nanos,
                    cost_item_nanos, cost_compute_nanos, cost_nanos)
                SELECT tenant_id, billing_period, date_trunc('hour', started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
                    coalesce(model_name, ''), coalesce(api_key_id, CAST('00000000-0000-0000-0000-000000000000' AS uuid)),
                    max(currency), count(*), count(*) FILTER (WHERE billable), count(*) FILTER (WHERE status_code >= 400),
                    count(*) FILTER (WHERE status_code = 429), sum(item_count), sum(compute_us), sum(bytes_in),
                    sum(bytes_out), sum(cost_request_nanos), sum(cost_item_nanos), sum(cost_compute_nanos),
                    sum(cost_nanos)
                FROM usage_records WHERE tenant_id = ? AND started_at >= ? AND started_at < ?
                GROUP BY 1, 2, 3, 4, 5""", tenantId, utc(start), utc(end));
        db.update("ANALYZE usage_records");
        db.update("ANALYZE usage_rollups");
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
