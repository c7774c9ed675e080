package io.aiaas.console.api.tenant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.UUID;

/**
 * A plan the tenant's admins may choose themselves, as {@code GET /api/v1/tenants/{slug}/plan/choices} lists it (the
 * admin API's plan view; only what the plan page shows is read). Money in micro-units of {@code currency}, with the fee
 * and credit also as exact decimal strings.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlanChoice(UUID id, String name, String currency, long monthlyFeeMicros, String monthlyFee,
        long includedCreditMicros, String includedCredit, PlanStatus.RateLimits rateLimits, List<Quota> quotas,
        Budget budget, List<Price> prices) {

    public List<Quota> quotas() {
        return quotas == null ? List.of() : quotas;
    }

    public List<Price> prices() {
        return prices == null ? List.of() : prices;
    }

    /** The monthly quota on requests over all models, or null when the plan sets none. */
    public Quota requestsQuota() {
        return quotas().stream().filter(q -> "requests".equals(q.metric()) && q.model() == null).findFirst()
                .orElse(null);
    }

    /** The default price per 1,000 requests (models without a price of their own), or null when requests are free. */
    public Component defaultRequestPrice() {
        return prices().stream().filter(p -> p.model() == null).map(Price::per1kRequests).filter(c -> c != null)
                .filter(c -> !c.tiers().isEmpty()).findFirst().orElse(null);
    }

    /** A monthly quota on requests, items or compute_seconds, over all models (model null) or one; hard or soft. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Quota(String metric, String model, Long limit, String enforcement) {
    }

    /** A monthly budget in micro-units; hard refuses calls beyond it, soft only warns. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Budget(Long limitMicros, String enforcement) {
    }

    /** The prices of one model, or the default (model null); only the per-request component is shown here. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Price(String model, @JsonProperty("per_1k_requests") Component per1kRequests) {
    }

    /** Tiers of one price component: graduated (each unit by its tier) or volume (all by the total's tier). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Component(String tiering, List<Tier> tiers) {

        public List<Tier> tiers() {
            return tiers == null ? List.of() : tiers;
        }

        public boolean volume() {
            return "volume".equals(tiering);
        }
    }

    /** Units up to and including {@code up_to} cost {@code unit_micros} per 1,000; the last tier has no up_to. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Tier(Long upTo, long unitMicros) {
    }
}
