package io.aiaas.platform.billing.pricing;

import io.aiaas.platform.plan.service.PlanSpec.ModelPrice;
import io.aiaas.platform.plan.service.PlanSpec.PriceComponent;
import io.aiaas.platform.plan.service.PlanSpec.Tier;

/**
 * Prices one call from a plan's price for its model and what the period had consumed before it. Integer arithmetic
 * only: prices are micro-units per 1,000 requests, per 1,000 items and per compute-second; costs are nano-units,
 * so the request and item components are exact and the compute component rounds once per call to a nano-unit.
 */
public final class Pricing {

    /** The cost of one call by component, and the unit prices (after tiers) that applied to its last unit. */
    public record Cost(long requestNanos, long itemNanos, long computeNanos, long requestPrice, long itemPrice,
            long computePrice) {

        public static final Cost FREE = new Cost(0, 0, 0, 0, 0, 0);

        public long totalNanos() {
            return Math.addExact(Math.addExact(requestNanos, itemNanos), computeNanos);
        }
    }

    /** Consumption of a model in the period before a call: the position of the call in graduated tiers. */
    public record Position(long requests, long items, long computeUs) {
        public static final Position ZERO = new Position(0, 0, 0);

        public Position plus(long requests, long items, long computeUs) {
            return new Position(this.requests + requests, this.items + items, this.computeUs + computeUs);
        }
    }

    private static final long MICROS_PER_SECOND = 1_000_000L;

    private Pricing() {
    }

    /** The cost of a billable call that consumed one request, {@code items} items and {@code computeUs}. */
    public static Cost price(ModelPrice price, Position before, long items, long computeUs) {
        if (price == null) {
            return Cost.FREE;
        }
        Part requests = countPart(price.per1kRequests(), before.requests(), 1);
        Part itemPart = countPart(price.per1kItems(), before.items(), items);
        Part compute = computePart(price.perComputeSecond(), before.computeUs(), computeUs);
        return new Cost(requests.nanos, itemPart.nanos, compute.nanos, requests.unit, itemPart.unit, compute.unit);
    }

    /**
     * Whether the price of a call is the same whatever the period consumed before it: every component is a single
     * tier without an upper bound (graduated and volume then agree). Such calls can be priced without reading, or
     * locking, the period's counters.
     */
    public static boolean positionFree(ModelPrice price) {
        return flat(price.per1kRequests()) && flat(price.per1kItems()) && flat(price.perComputeSecond());
    }

    private static boolean flat(PriceComponent component) {
        return component == null || component.tiers().size() == 1 && component.tiers().get(0).upTo() == null;
    }

    private record Part(long nanos, long unit) {
    }

    // A price per 1,000 units in micro-units is, per unit, the same number in nano-units.
    private static Part countPart(PriceComponent component, long before, long amount) {
        if (component == null || amount <= 0) {
            return new Part(0, component == null ? 0 : unitAt(component, before + Math.max(amount, 1)));
        }
        if (component.volume()) {
            long unit = unitAt(component, before + amount);
            return new Part(Math.multiplyExact(amount, unit), unit);
        }
        long nanos = 0;
        long lower = 0;
        for (Tier tier : component.tiers()) {
            long upper = tier.upTo() == null ? Long.MAX_VALUE : tier.upTo();
            long overlap = overlap(before, before + amount, lower, upper);
            nanos = Math.addExact(nanos, Math.multiplyExact(overlap, tier.unitMicros()));
            lower = upper;
        }
        return new Part(nanos, unitAt(component, before + amount));
    }

    // Tiers of compute are in seconds; cost = microseconds x micro-units per second / 1,000 nano-units.
    private static Part computePart(PriceComponent component, long beforeUs, long amountUs) {
        if (component == null || amountUs <= 0) {
            return new Part(0, component == null ? 0 : unitAtSeconds(component, beforeUs + Math.max(amountUs, 1)));
        }
        if (component.volume()) {
            long unit = unitAtSeconds(component, beforeUs + amountUs);
            return new Part(roundedThousandths(Math.multiplyExact(amountUs, unit)), unit);
        }
        long scaled = 0;
        long lower = 0;
        for (Tier tier : component.tiers()) {
            long upper = tier.upTo() == null ? Long.MAX_VALUE : Math.multiplyExact(tier.upTo(), MICROS_PER_SECOND);
            long overlap = overlap(beforeUs, beforeUs + amountUs, lower, upper);
            scaled = Math.addExact(scaled, Math.multiplyExact(overlap, tier.unitMicros()));
            lower = upper;
        }
        return new Part(roundedThousandths(scaled), unitAtSeconds(component, beforeUs + amountUs));
    }

    /** The unit price of the tier that holds the {@code position}-th unit (1-based). */
    static long unitAt(PriceComponent component, long position) {
        for (Tier tier : component.tiers()) {
            if (tier.upTo() == null || position <= tier.upTo()) {
                return tier.unitMicros();
            }
        }
        return component.tiers().get(component.tiers().size() - 1).unitMicros();
    }

    private static long unitAtSeconds(PriceComponent component, long positionUs) {
        for (Tier tier : component.tiers()) {
            if (tier.upTo() == null || positionUs <= Math.multiplyExact(tier.upTo(), MICROS_PER_SECOND)) {
                return tier.unitMicros();
            }
        }
        return component.tiers().get(component.tiers().size() - 1).unitMicros();
    }

    /** The whole period's cost of one component under volume tiering: all units at the tier the total reaches. */
    public static long volumeNanos(PriceComponent component, long total, boolean compute) {
        if (component == null || total <= 0) {
            return 0;
        }
        if (compute) {
            return roundedThousandths(Math.multiplyExact(total, unitAtSeconds(component, total)));
        }
        return Math.multiplyExact(total, unitAt(component, total));
    }

    private static long overlap(long from, long to, long lower, long upper) {
        long start = Math.max(from, lower);
        long end = Math.min(to, upper);
        return Math.max(0, end - start);
    }

    private static long roundedThousandths(long value) {
        return Math.floorDiv(Math.addExact(value, 500), 1000);
    }
}
