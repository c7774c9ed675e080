package io.aiaas.platform.billing.events;

/**
 * Billable consumption of one tenant, period and scope (a row of period_usage): requests, items, compute in
 * microseconds and cost in nano-units of the plan's currency.
 */
public record Consumption(long requests, long items, long computeUs, long costNanos) {

    public static final Consumption ZERO = new Consumption(0, 0, 0, 0);

    /** This consumption plus a batch's. */
    public Consumption plus(Consumption other) {
        return new Consumption(requests + other.requests, items + other.items, computeUs + other.computeUs,
                costNanos + other.costNanos);
    }
}
