package io.aiaas.platform.usage.persistence;

import io.aiaas.platform.common.persistence.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Aggregates usage_records (written by the gateway) for one tenant; plain SQL for date_bin and FILTER. */
@ApplicationScoped
public class UsageQueries {

    /** How rows are grouped besides time. */
    public enum Grouping {
        NONE("CAST(NULL AS text)"), MODEL("model_name"), KEY("CAST(api_key_id AS text)");

        final String expression;

        Grouping(String expression) {
            this.expression = expression;
        }
    }

    /** One aggregated bucket. */
    public record Row(Instant bucket, String group, long requests, long billable, long errors, long items,
            long computeUs, long bytesIn, long bytesOut) {
    }

    private final Jdbc jdbc;

    UsageQueries(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * @param widthSeconds the bucket width; buckets are aligned to UTC midnight
     */
    public List<Row> aggregate(UUID tenantId, Instant start, Instant end, long widthSeconds, Grouping grouping) {
        // grouping.expression comes from the enum above, never from the request
        String sql = "SELECT date_bin(? * interval '1 second', started_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'),"
                + " " + grouping.expression + ","
                + " count(*), count(*) FILTER (WHERE billable), count(*) FILTER (WHERE status_code >= 400),"
                + " coalesce(sum(item_count), 0), coalesce(sum(compute_us), 0), coalesce(sum(bytes_in), 0),"
                + " coalesce(sum(bytes_out), 0)"
                + " FROM usage_records WHERE tenant_id = ? AND started_at >= ? AND started_at < ?"
                + " GROUP BY 1, 2 ORDER BY 1, 2";
        return jdbc.query(sql, rs -> new Row(Jdbc.instant(rs, 1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)),
                widthSeconds, tenantId, start, end);
    }
}
