package io.aiaas.platform.plan.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.aiaas.platform.model.service.ModelRefs;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a plan is: body of {@code POST /admin/v1/plans} and {@code PUT /admin/v1/plans/{id}}, stored as
 * {@code plans.spec}. Money is in micro-units of {@code currency} (1,000,000 = one unit, e.g. one dollar).
 * Absent limits, quotas, budget or price components mean "none" (unlimited, free).
 */
public record PlanSpec(
        @NotNull @Size(min = 1, max = 100) @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9 _.-]*",
                message = "letters, digits, space, '_', '.', '-'") String name,
        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as USD") String currency,
        @NotNull @PositiveOrZero Long monthlyFeeMicros,
        @NotNull @PositiveOrZero Long includedCreditMicros,
        @Valid RateLimits rateLimits,
        @Size(max = 100) List<@NotNull @Valid Quota> quotas,
        @Valid Budget budget,
        @NotNull @Size(min = 1, max = 1000) List<@NotNull @Valid ModelPrice> prices) {

    /** A price or quota names a model as models are named ({@link ModelRefs#NAME_PATTERN}); other text never applies. */
    static final String MODEL_NAME_RULE = "must be a model name (1-100 letters, digits, '_', '.' or '-', starting with"
            + " a letter or digit); leave it out for every model";

    /** Requests per minute (per key, per tenant) and concurrent requests per tenant; null = no limit. */
    public record RateLimits(@Positive Integer requestsPerMinutePerKey, @Positive Integer requestsPerMinutePerTenant,
            @Positive Integer maxConcurrentRequests) {
    }

    /** A monthly quota on one metric, overall (model null) or for one model. */
    public record Quota(@NotNull @Pattern(regexp = "requests|items|compute_seconds",
            message = "must be requests, items or compute_seconds") String metric,
            @Pattern(regexp = ModelRefs.NAME_PATTERN, message = MODEL_NAME_RULE) String model,
            @NotNull @Positive Long limit,
            @NotNull @Pattern(regexp = "hard|soft", message = "must be hard or soft") String enforcement) {

        public boolean hard() {
            return "hard".equals(enforcement);
        }

        /** {@code *} for the whole tenant, else the model's name: the scope of period_usage. */
        public String scope() {
            return model == null ? "*" : model;
        }
    }

    /** A monthly budget in money (micro-units): hard refuses calls beyond it, soft only warns. */
    public record Budget(@NotNull @Positive Long limitMicros,
            @NotNull @Pattern(regexp = "hard|soft", message = "must be hard or soft") String enforcement) {

        public boolean hard() {
            return "hard".equals(enforcement);
        }
    }

    /** Prices of one model, or the default (model null) for every model without its own entry. */
    public record ModelPrice(@Pattern(regexp = ModelRefs.NAME_PATTERN, message = MODEL_NAME_RULE) String model,
            @JsonProperty("per_1k_requests") @Valid PriceComponent per1kRequests,
            @JsonProperty("per_1k_items") @Valid PriceComponent per1kItems,
            @Valid PriceComponent perComputeSecond) {
    }

    /**
     * A price in tiers. {@code graduated}: each unit is priced by the tier it falls in; {@code volume}: all units of
     * the period are priced by the tier the period's total reaches. A flat price is one tier without up_to.
     */
    public record PriceComponent(@Pattern(regexp = "graduated|volume", message = "must be graduated or volume")
            String tiering, @NotEmpty @Size(max = 20) List<@NotNull @Valid Tier> tiers) {

        public boolean volume() {
            return "volume".equals(tiering);
        }
    }

    /**
     * Units up to (and including) {@code up_to} in the period cost {@code unit_micros} each thousand (requests,
     * items) or each compute-second; the last tier has no up_to.
     */
    public record Tier(@Positive Long upTo, @NotNull @PositiveOrZero Long unitMicros) {
    }

    /** The prices that apply to a model: its own entry, else the default, else none (free). */
    public Optional<ModelPrice> priceOf(String model) {
        // a loop, not a stream: this runs twice per billed call
        ModelPrice fallback = null;
        for (ModelPrice price : prices) {
            if (price.model() == null) {
                fallback = fallback == null ? price : fallback;
            } else if (price.model().equals(model)) {
                return Optional.of(price);
            }
        }
        return Optional.ofNullable(fallback);
    }

    public List<Quota> quotasOrEmpty() {
        return quotas == null ? List.of() : quotas;
    }

    /** Rules that Bean Validation cannot state: tier order, one entry per model, one quota per metric and scope. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        Set<String> models = new HashSet<>();
        for (int i = 0; i < prices.size(); i++) {
            ModelPrice price = prices.get(i);
            String key = price.model() == null ? "(default)" : price.model();
            if (!models.add(key)) {
                problems.add("prices: more than one entry for " + key);
            }
            checkTiers(problems, "prices[" + i + "].per_1k_requests", price.per1kRequests());
            checkTiers(problems, "prices[" + i + "].per_1k_items", price.per1kItems());
            checkTiers(problems, "prices[" + i + "].per_compute_second", price.perComputeSecond());
        }
        Set<String> quotaKeys = new HashSet<>();
        for (Quota quota : quotasOrEmpty()) {
            if (!quotaKeys.add(quota.metric() + "/" + quota.scope())) {
                problems.add("quotas: more than one " + quota.metric() + " quota for " + quota.scope());
            }
        }
        return problems;
    }

    private static void checkTiers(List<String> problems, String field, PriceComponent component) {
        if (component == null || component.tiers() == null) {
            return;
        }
        List<Tier> tiers = component.tiers();
        long previous = 0;
        for (int i = 0; i < tiers.size(); i++) {
            Tier tier = tiers.get(i);
            boolean last = i == tiers.size() - 1;
            if (tier.upTo() == null && !last) {
                problems.add(field + ".tiers[" + i + "]: only the last tier may leave up_to out");
            } else if (tier.upTo() != null && last) {
                problems.add(field + ".tiers[" + i + "]: the last tier must leave up_to out (it covers the rest)");
            } else if (tier.upTo() != null) {
                if (tier.upTo() <= previous) {
                    problems.add(field + ".tiers[" + i + "]: up_to must grow from tier to tier");
                }
                previous = tier.upTo();
            }
        }
    }
}
