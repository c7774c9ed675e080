package io.aiaas.platform.usage.service;

import java.time.Instant;
import java.util.List;

/** A tenant's usage between start (inclusive) and end (exclusive), in UTC-aligned buckets, with totals. */
public record UsageReport(String tenant, Instant start, Instant end, String bucketWidth, String groupBy,
        List<UsageBucket> buckets, Totals totals) {

    /** Sums over the whole range. */
    public record Totals(long requests, long billableRequests, long errors, long refused, long items,
            double computeMs, long bytesIn, long bytesOut, long costNanos) {
    }
}
