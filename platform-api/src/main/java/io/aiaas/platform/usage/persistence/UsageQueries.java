package io.aiaas.platform.usage.persistence;

import io.aiaas.platform.common.persistence.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Aggregates a tenant's usage in time buckets, from the raw usage_records (minute buckets, and the partial hours at
 * the edges of a range) or from the hourly usage_rollups the usage writer keeps in the rows' transaction (whole
 * hours), so a month's report reads about 720 roll-up rows per model and key instead of every call.
 */
@ApplicationScoped
public class UsageQueries {

    /** Roll-ups file calls without an API key under the nil UUID (the primary key cannot hold NULL). */
    public static final String NO_KEY = "00000000-0000-0000-0000-000000000000";

    /** How rows are grouped besides time; the same group values come out of both sources. */
    public enum Grouping {
        NONE("CAST(NULL AS text)", "CAST(NULL AS text)"),
        MODEL("model_name", "NULLIF(model_name, '')"),
        KEY("CAST(api_key_id AS text)", "CAST(NULLIF(api_key_id, '" + NO_KEY + "') AS text)");

        final String raw;
        final String rollup;

        Grouping(String raw, String rollup) {
            this.raw = raw;
            this.rollup = rollup;
        }
    }

    /**
     * One aggregated bucket (and group, and currency when asked for): counts, consumption and cost in nano-units.
     * {@code refused}: calls refused by a rate limit, quota or budget (status 429), also counted in errors.
     */
    public record Row(Instant bucket, String group, String currency, long requests, long billable, long errors,
            long refused, long items, long computeUs, long bytesIn, long bytesOut, long costRequestNanos,
            long costItemNanos, long costComputeNanos, long costNanos) {

        /** The key rows of both sources merge on. */
        public String key() {
            return bucket + "|" + group + "|" + currency;
        }

        public Row plus(Row o) {
            return new Row(bucket, group, currency, requests + o.requests, billable + o.billable, errors + o.errors,
                    refused + o.refused, items + o.items, computeUs + o.computeUs, bytesIn + o.bytesIn,
                    bytesOut + o.bytesOut, costRequestNanos + o.costRequestNanos, costItemNanos + o.costItemNanos,
                    costComputeNanos + o.costComputeNanos, costNanos + o.costNanos);
        }
    }

    /**
     * Which calls a report counts besides tenant and time: one model (by name) and one API key, each or both may be
     * null (any). Values are bound as parameters; an unknown model or another tenant's key matches nothing.
     */
    public record Filter(String model, UUID keyId) {
        public static final Filter NONE = new Filter(null, null);

        /** The SQL conditions ({@code AND ...}) and their parameters appended to {@code params}. */
        String conditions(List<Object> params, boolean rollup) {
            StringBuilder sql = new StringBuilder();
            if (model != null) {
                sql.append(" AND model_name = ?");
                params.add(model);
            }
            if (keyId != null) {
                // the roll-ups' nil key stands for calls without one, never for a key asked for
                sql.append(rollup ? " AND api_key_id = ? AND api_key_id <> '" + NO_KEY + "'" : " AND api_key_id = ?");
                params.add(keyId);
            }
            return sql.toString();
        }
    }

    private static final String ORIGIN = "TIMESTAMPTZ '2000-01-01 00:00:00+00'";

    private final Jdbc jdbc;

    UsageQueries(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * From usage_records, rows started in [start, end).
     *
     * @param widthSeconds the bucket width; buckets are aligned to UTC midnight
     * @param byCurrency group by currency too and leave out rows without one (calls made without a plan)
     */
    public List<Row> raw(UUID tenantId, Instant start, Instant end, long widthSeconds, Grouping grouping,
            Filter filter, boolean byCurrency) {
        List<Object> params = new ArrayList<>(List.of(widthSeconds, tenantId, start, end));
        // grouping's expressions come from the enum above, never from the request
        String sql = "SELECT date_bin(? * interval '1 second', started_at, " + ORIGIN + "), " + grouping.raw + ", "
                + (byCurrency ? "CAST(currency AS text)" : "CAST(NULL AS text)") + ","
                + " count(*), count(*) FILTER (WHERE billable), count(*) FILTER (WHERE status_code >= 400),"
                + " count(*) FILTER (WHERE status_code = 429), coalesce(sum(item_count), 0),"
                + " coalesce(sum(compute_us), 0), coalesce(sum(bytes_in), 0), coalesce(sum(bytes_out), 0),"
                + " coalesce(sum(cost_request_nanos), 0), coalesce(sum(cost_item_nanos), 0),"
                + " coalesce(sum(cost_compute_nanos), 0), coalesce(sum(cost_nanos), 0)"
                + " FROM usage_records WHERE tenant_id = ? AND started_at >= ? AND started_at < ?"
                + (byCurrency ? " AND currency IS NOT NULL" : "") + filter.conditions(params, false)
                + " GROUP BY 1, 2, 3";
        return jdbc.query(sql, UsageQueries::row, params.toArray());
    }

    /**
     * From usage_rollups, the hours in [start, end); both must be whole UTC hours and the width a multiple of one.
     */
    public List<Row> rollups(UUID tenantId, Instant start, Instant end, long widthSeconds, Grouping grouping,
            Filter filter, boolean byCurrency) {
        List<Object> params = new ArrayList<>(List.of(widthSeconds, tenantId, start, end));
        String sql = "SELECT date_bin(? * interval '1 second', hour, " + ORIGIN + "), " + grouping.rollup + ", "
                + (byCurrency ? "CAST(currency AS text)" : "CAST(NULL AS text)") + ","
                + " sum(requests), sum(billable), sum(errors), sum(refused), sum(items), sum(compute_us),"
                + " sum(bytes_in), sum(bytes_out), sum(cost_request_nanos), sum(cost_item_nanos),"
                + " sum(cost_compute_nanos), sum(cost_nanos)"
                + " FROM usage_rollups WHERE tenant_id = ? AND hour >= ? AND hour < ?"
                + (byCurrency ? " AND currency IS NOT NULL" : "") + filter.conditions(params, true)
                + " GROUP BY 1, 2, 3";
        return jdbc.query(sql, UsageQueries::row, params.toArray());
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(Jdbc.instant(rs, 1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
                rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11),
                rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getLong(15));
    }
}
