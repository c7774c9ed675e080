package io.aiaas.platform.usage.service;

import java.time.Instant;
import java.util.List;

/**
 * What a tenant's billable calls cost between start (inclusive) and end (exclusive), in UTC-aligned buckets. Amounts
 * are exact nano-units (1e-9 of the currency) with the same amount as a decimal string; calls made without a plan
 * cost nothing and are left out.
 */
public record CostReport(String tenant, Instant start, Instant end, String bucketWidth, String groupBy,
        List<Bucket> buckets, List<Total> totals) {

    /** The cost of one bucket (and group) in one currency, by price component. */
    public record Bucket(Instant start, Instant end, String group, String currency, long billableRequests,
            long requestNanos, long itemNanos, long computeNanos, long costNanos, String cost) {
    }

    /** The whole range's cost in one currency. */
    public record Total(String currency, long costNanos, String cost) {
    }
}
