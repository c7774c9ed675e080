package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** The totals of a tenant's usage report ({@code GET /api/v1/tenants/{slug}/usage}); buckets are not read here. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UsageTotals(Instant start, Instant end, Totals totals) {

    /** Sums over the range. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Totals(long requests, long billableRequests, long errors, long refused, long items,
            double computeMs) {
    }
}
