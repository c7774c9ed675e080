package io.aiaas.platform.billing.events;

/**
 * A threshold of a quota or budget that a batch of usage crossed: one billing event. {@code limit} and {@code used}
 * are in the same, finest unit of the metric ({@link #unit()}), so neither is rounded: requests, items,
 * microseconds of compute (a quota stated in compute-seconds times 1,000,000), nano-units of money (a budget stated
 * in micro-units times 1,000).
 *
 * @param kind {@code quota}, {@code budget}, {@code tenant_budget} (the tenant's own monthly cap) or
 *     {@code key_budget} (an API key's monthly cap)
 * @param metric {@code requests}, {@code items}, {@code compute_seconds} (quotas) or {@code cost} (the budgets)
 * @param scope {@code *} for the whole tenant, a model's name, or {@code key:<key id>} for a key's cap
 * @param threshold 80 or 100 (percent of the limit)
 * @param enforcement {@code hard} or {@code soft}
 * @param limit the limit, in {@link #unit()}
 * @param used consumption after the batch, in {@link #unit()}
 */
public record Crossed(String kind, String metric, String scope, int threshold, String enforcement, long limit,
        long used) {

    /** The unit of limit and used: {@code requests}, {@code items}, {@code compute_us} or {@code nanos}. */
    public String unit() {
        return switch (metric) {
            case "compute_seconds" -> "compute_us";
            case "cost" -> "nanos";
            default -> metric;
        };
    }

    /**
     * The webhook event type: {@code quota.threshold_reached}, {@code budget.threshold_reached}, {@code
     * tenant_budget.threshold_reached} or {@code key_budget.threshold_reached}.
     */
    public String eventType() {
        return kind + ".threshold_reached";
    }
}
