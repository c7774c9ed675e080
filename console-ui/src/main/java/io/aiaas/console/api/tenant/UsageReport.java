package io.aiaas.console.api.tenant;

import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/v1/tenants/{slug}/usage}: non-empty UTC-aligned buckets (per group when grouped) and totals;
 * {@code cost_nanos} is in the plan's currency.
 */
public record UsageReport(Instant start, Instant end, String bucketWidth, String groupBy, List<Bucket> buckets,
        Totals totals) {

    public List<Bucket> buckets() {
        return buckets == null ? List.of() : buckets;
    }

    /** One bucket (and group: a model name or key id). */
    public record Bucket(Instant start, Instant end, String group, long requests, long billableRequests, long errors,
            long refused, long items, double computeMs, long bytesIn, long bytesOut, long costNanos) {
    }

    /** Sums over the whole range. */
    public record Totals(long requests, long billableRequests, long errors, long refused, long items,
            double computeMs, long bytesIn, long bytesOut, long costNanos) {

        /** Compute time in whole milliseconds, for display. */
        public long computeMillis() {
            return Math.round(computeMs);
        }
    }
}
