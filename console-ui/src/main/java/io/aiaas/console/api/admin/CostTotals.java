package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** The totals per currency of a tenant's cost report ({@code GET /api/v1/tenants/{slug}/costs}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CostTotals(List<Total> totals) {

    public List<Total> totals() {
        return totals == null ? List.of() : totals;
    }

    /** The range's cost in one currency, as an exact decimal string. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Total(String currency, long costNanos, String cost) {
    }
}
