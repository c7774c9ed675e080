package io.aiaas.platform.limits.service;

import io.aiaas.platform.plan.service.PlanSpec.ModelPrice;
import io.aiaas.platform.plan.service.PlanSpec.PriceComponent;
import io.aiaas.platform.plan.service.PlanSpec.Tier;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each tenant's recent calls of each model consumed, as this replica saw them: the basis of the next call's
 * reservation against a hard quota or budget ({@link Limits}), settled later by the usage writer with what the call did
 * consume. An estimate too low costs nothing but an overshoot of one call; too high, only capacity reserved a moment.
 */
final class CallEstimates {

    /** Recent consumption of one model by one tenant. */
    record Estimate(long items, long computeUs, long costNanos) {
    }

    /** Before a tenant's first call of a model: one item, no compute, no cost. */
    private static final Estimate FIRST = new Estimate(1, 0, 0);

    /** By tenant and model: {@code NameKey("e", tenant, 0, null, model)}. */
    private final Map<NameKey, Estimate> estimates = new ConcurrentHashMap<>();

    /**
     * After a call: what it consumed becomes the estimate of its model's next reservations (the compute part with a
     * margin, since compute time varies from call to call).
     */
    void observe(UUID tenantId, String model, long items, long computeUs, long costNanos) {
        if (model == null) {
            return;
        }
        estimates.merge(key(tenantId, model), new Estimate(items, computeUs, costNanos),
                (old, now) -> new Estimate(Math.max(now.items(), old.items() * 3 / 4),
                        Math.max(now.computeUs(), old.computeUs() * 3 / 4),
                        Math.max(now.costNanos(), old.costNanos() * 3 / 4)));
    }

    /** The estimate of the tenant's next call of the model. */
    Estimate of(UUID tenantId, String model) {
        return estimates.getOrDefault(key(tenantId, model), FIRST);
    }

    /** The most a call like the recent ones can cost: the dearest tier of each component. */
    static long costCeiling(ModelPrice price, Estimate estimate) {
        if (price == null) {
            return 0;
        }
        long requests = maxUnit(price.per1kRequests());
        long items = Math.multiplyExact(Math.max(1, estimate.items()), maxUnit(price.per1kItems()));
        long compute = Math.multiplyExact(estimate.computeUs() * 2, maxUnit(price.perComputeSecond())) / 1000;
        return requests + items + compute;
    }

    private static long maxUnit(PriceComponent component) {
        // a loop, not a stream: this runs on every billed call
        long max = 0;
        if (component != null) {
            for (Tier tier : component.tiers()) {
                max = Math.max(max, tier.unitMicros());
            }
        }
        return max;
    }

    private static NameKey key(UUID tenantId, String model) {
        return new NameKey("e", tenantId, 0, null, model);
    }
}
