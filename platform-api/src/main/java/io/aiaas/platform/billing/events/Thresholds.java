package io.aiaas.platform.billing.events;

import io.aiaas.platform.plan.service.PlanSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which 80% and 100% thresholds of a plan's quotas and budget a batch of usage crossed (plain Java, no I/O). A
 * threshold {@code t} of a limit is crossed when {@code before < t% of limit <= after}; each comparison is exact
 * integer arithmetic on 128-bit products, so neither rounding nor overflow can move a threshold. Hard and soft
 * limits alike produce events; refusing calls beyond a hard one is the limiter's business, not this class's.
 */
public final class Thresholds {

    /** The percentages that produce events, in the order they are reported. */
    public static final int[] PERCENTS = {80, 100};

    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long NANOS_PER_MICRO = 1_000L;

    private Thresholds() {
    }

    /**
     * The thresholds crossed by one batch of one tenant in one period.
     *
     * @param plan the tenant's plan (null: nothing to cross)
     * @param before consumption by scope ({@code *} and model names) before the batch; a missing scope is zero
     * @param after consumption by scope after the batch; a scope the batch did not touch may be missing
     * @return the crossings, quotas in plan order then the budget, 80 before 100; usually empty
     */
    public static List<Crossed> crossed(PlanSpec plan, Map<String, Consumption> before,
            Map<String, Consumption> after) {
        if (plan == null || (plan.quotasOrEmpty().isEmpty() && plan.budget() == null)) {
            return List.of();
        }
        List<Crossed> crossed = null;
        for (PlanSpec.Quota quota : plan.quotasOrEmpty()) {
            Consumption now = after.get(quota.scope());
            if (now == null) {
                continue;
            }
            Consumption then = before.getOrDefault(quota.scope(), Consumption.ZERO);
            long factor = "compute_seconds".equals(quota.metric()) ? MICROS_PER_SECOND : 1;
            crossed = add(crossed, "quota", quota.metric(), quota.scope(), quota.enforcement(), quota.limit(), factor,
                    metric(quota.metric(), then), metric(quota.metric(), now));
        }
        PlanSpec.Budget budget = plan.budget();
        if (budget != null) {
            Consumption now = after.get("*");
            if (now != null) {
                Consumption then = before.getOrDefault("*", Consumption.ZERO);
                crossed = add(crossed, "budget", "cost", "*", budget.enforcement(), budget.limitMicros(),
                        NANOS_PER_MICRO, then.costNanos(), now.costNanos());
            }
        }
        return crossed == null ? List.of() : crossed;
    }

    /**
     * The thresholds of API keys' monthly caps crossed by one batch of one tenant in one period.
     *
     * @param capsMicros each capped key's cap, micro-units, by its scope ({@code key:<id>})
     * @param before consumption by scope before the batch; a missing scope is zero
     * @param after consumption by scope after the batch
     * @return the crossings, 80 before 100 for each key; usually empty
     */
    public static List<Crossed> crossedKeyCaps(Map<String, Long> capsMicros, Map<String, Consumption> before,
            Map<String, Consumption> after) {
        List<Crossed> crossed = null;
        for (Map.Entry<String, Long> cap : capsMicros.entrySet()) {
            Consumption now = after.get(cap.getKey());
            if (now != null) {
                Consumption then = before.getOrDefault(cap.getKey(), Consumption.ZERO);
                crossed = add(crossed, "key_budget", "cost", cap.getKey(), "hard", cap.getValue(), NANOS_PER_MICRO,
                        then.costNanos(), now.costNanos());
            }
        }
        return crossed == null ? List.of() : crossed;
    }

    /**
     * The thresholds of the tenant's own monthly cap crossed by one batch of one tenant in one period: its spend is
     * scope {@code *}, the plan budget's.
     *
     * @param capMicros the cap, micro-units
     * @param before consumption by scope before the batch; a missing scope is zero
     * @param after consumption by scope after the batch
     * @return the crossings, 80 before 100; usually empty
     */
    public static List<Crossed> crossedTenantCap(long capMicros, Map<String, Consumption> before,
            Map<String, Consumption> after) {
        Consumption now = after.get("*");
        if (now == null) {
            return List.of();
        }
        List<Crossed> crossed = add(null, "tenant_budget", "cost", "*", "hard", capMicros, NANOS_PER_MICRO,
                before.getOrDefault("*", Consumption.ZERO).costNanos(), now.costNanos());
        return crossed == null ? List.of() : crossed;
    }

    private static List<Crossed> add(List<Crossed> into, String kind, String metric, String scope,
            String enforcement, long limit, long factor, long before, long after) {
        if (after <= before) {
            return into;
        }
        for (int percent : PERCENTS) {
            // before * 100 < limit * factor * percent <= after * 100, all in the finest unit
            long scaled = factor * percent; // at most 1,000,000 * 100: no overflow
            if (compare(before, 100, limit, scaled) < 0 && compare(limit, scaled, after, 100) <= 0) {
                if (into == null) {
                    into = new ArrayList<>(2);
                }
                into.add(new Crossed(kind, metric, scope, percent, enforcement, saturatedProduct(limit, factor),
                        after));
            }
        }
        return into;
    }

    private static long metric(String metric, Consumption c) {
        return switch (metric) {
            case "requests" -> c.requests();
            case "items" -> c.items();
            case "compute_seconds" -> c.computeUs();
            default -> throw new IllegalArgumentException("unknown quota metric " + metric);
        };
    }

    /** Compares {@code a * b} with {@code c * d} for non-negative operands, exactly (128-bit products). */
    static int compare(long a, long b, long c, long d) {
        long high1 = Math.multiplyHigh(a, b);
        long high2 = Math.multiplyHigh(c, d);
        if (high1 != high2) {
            return Long.compare(high1, high2);
        }
        return Long.compareUnsigned(a * b, c * d);
    }

    private static long saturatedProduct(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return high != 0 || low < 0 ? Long.MAX_VALUE : low;
    }
}
