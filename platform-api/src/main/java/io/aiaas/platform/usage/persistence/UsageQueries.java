package io.aiaas.platform.usage.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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

    @Inject
    EntityManager em;

    /**
     * @param width a PostgreSQL interval such as {@code 1 hour}; buckets are aligned to UTC midnight
     */
    @SuppressWarnings("unchecked")
    public List<Row> aggregate(UUID tenantId, Instant start, Instant end, String width, Grouping grouping) {
        // grouping.expression comes from the enum above, never from the request
        String sql = "SELECT date_bin(CAST(:width AS interval), started_at, TIMESTAMPTZ '2000-01-01 00:00:00+00'),"
                + " " + grouping.expression + ","
                + " count(*), count(*) FILTER (WHERE billable), count(*) FILTER (WHERE status_code >= 400),"
                + " coalesce(sum(item_count), 0), coalesce(sum(compute_us), 0), coalesce(sum(bytes_in), 0),"
                + " coalesce(sum(bytes_out), 0)"
                + " FROM usage_records WHERE tenant_id = :tenant AND started_at >= :start AND started_at < :end"
                + " GROUP BY 1, 2 ORDER BY 1, 2";
        List<Object[]> rows = em.createNativeQuery(sql)
                .setParameter("width", width)
                .setParameter("tenant", tenantId)
                .setParameter("start", start.atOffset(ZoneOffset.UTC))
                .setParameter("end", end.atOffset(ZoneOffset.UTC))
                .getResultList();
        return rows.stream().map(r -> new Row(instant(r[0]), (String) r[1], number(r[2]), number(r[3]),
                number(r[4]), number(r[5]), number(r[6]), number(r[7]), number(r[8]))).toList();
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value);
    }
}
