package io.aiaas.console.api.tenant;

import java.time.Instant;
import java.util.List;

/** {@code GET /api/v1/tenants/{slug}/costs}: money per bucket and currency, and totals per currency. */
public record CostReport(Instant start, Instant end, String bucketWidth, String groupBy, List<Bucket> buckets,
        List<Total> totals) {

    public List<Total> totals() {
        return totals == null ? List.of() : totals;
    }

    /** The cost of one bucket (and group) in one currency. */
    public record Bucket(Instant start, Instant end, String group, String currency, long billableRequests,
            long costNanos, String cost) {
    }

    /** The whole range's cost in one currency, as an exact decimal. */
    public record Total(String currency, long costNanos, String cost) {
    }
}
