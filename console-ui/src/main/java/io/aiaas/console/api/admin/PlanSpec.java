package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What a plan is, as {@code POST /admin/v1/plans} and {@code PUT /admin/v1/plans/{id}} take it (docs/plans.md). Money
 * is in micro-units of the currency; absent limits, quotas, budget or price components mean none (unlimited, free).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlanSpec(String name, String currency, Long monthlyFeeMicros, Long includedCreditMicros,
        RateLimits rateLimits, List<Quota> quotas, Budget budget, List<ModelPrice> prices) {

    /** Requests per minute per key and per tenant, concurrent requests per tenant; null = no limit. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RateLimits(Integer requestsPerMinutePerKey, Integer requestsPerMinutePerTenant,
            Integer maxConcurrentRequests) {
    }

    /** A monthly quota on requests, items or compute_seconds, overall (model null) or for one model. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Quota(String metric, String model, Long limit, String enforcement) {
    }

    /** A monthly budget in micro-units; hard refuses calls beyond it, soft only warns. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Budget(Long limitMicros, String enforcement) {
    }

    /** The prices of one model, or the default (model null) for every model without its own entry. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ModelPrice(String model,
            @JsonProperty("per_1k_requests") PriceComponent per1kRequests,
            @JsonProperty("per_1k_items") PriceComponent per1kItems,
            @JsonProperty("per_compute_second") PriceComponent perComputeSecond) {
    }

    /** Tiers of one price component: graduated (each unit by its tier) or volume (all by the total's tier). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PriceComponent(String tiering, List<Tier> tiers) {
    }

    /** Units up to and including {@code up_to} cost {@code unit_micros}; the last tier has no up_to. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Tier(Long upTo, Long unitMicros) {
    }
}
