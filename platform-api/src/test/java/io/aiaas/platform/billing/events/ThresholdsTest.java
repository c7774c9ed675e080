package io.aiaas.platform.billing.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.platform.plan.service.PlanSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThresholdsTest {

    static PlanSpec plan(List<PlanSpec.Quota> quotas, PlanSpec.Budget budget) {
        return new PlanSpec("p", "USD", 0L, 0L, null, quotas, budget,
                List.of(new PlanSpec.ModelPrice(null, null, null, null)));
    }

    static PlanSpec.Quota quota(String metric, String model, long limit, String enforcement) {
        return new PlanSpec.Quota(metric, model, limit, enforcement);
    }

    static Consumption requests(long n) {
        return new Consumption(n, 0, 0, 0);
    }

    static List<Crossed> crossed(PlanSpec plan, Consumption before, Consumption after) {
        return Thresholds.crossed(plan, Map.of("*", before), Map.of("*", after));
    }

    @Test
    void reachingExactly80PercentCrossesOnlyThe80Threshold() {
        PlanSpec plan = plan(List.of(quota("requests", null, 10, "soft")), null);
        assertEquals(List.of(new Crossed("quota", "requests", "*", 80, "soft", 10, 8)),
                crossed(plan, requests(7), requests(8)));
        // already at 80% before the batch: nothing new
        assertEquals(List.of(), crossed(plan, requests(8), requests(9)));
        // one short of 80%
        assertEquals(List.of(), crossed(plan, requests(6), requests(7)));
    }

    @Test
    void reachingExactly100PercentCrossesOnlyThe100Threshold() {
        PlanSpec plan = plan(List.of(quota("requests", null, 10, "hard")), null);
        assertEquals(List.of(new Crossed("quota", "requests", "*", 100, "hard", 10, 10)),
                crossed(plan, requests(9), requests(10)));
        assertEquals(List.of(), crossed(plan, requests(10), requests(12)));
    }

    @Test
    void aBatchThatJumpsOverBothThresholdsCrossesBothIn80Then100Order() {
        PlanSpec plan = plan(List.of(quota("items", null, 100, "hard")), null);
        List<Crossed> crossed = crossed(plan, new Consumption(1, 10, 0, 0), new Consumption(2, 150, 0, 0));
        assertEquals(List.of(new Crossed("quota", "items", "*", 80, "hard", 100, 150),
                new Crossed("quota", "items", "*", 100, "hard", 100, 150)), crossed);
    }

    @Test
    void aKeysCapCrossesItsThresholdsInNanoUnitsAndOnlyForTheKeysTheBatchMoved() {
        Map<String, Long> caps = Map.of("key:a", 5L, "key:b", 1_000L); // micro-units
        Map<String, Consumption> before = Map.of("key:a", cost(3_999), "key:b", cost(0));
        // key a: 3,999 -> 5,000 nanos jumps over 80% (4,000) and 100% (5,000); key b did not move
        assertEquals(List.of(new Crossed("key_budget", "cost", "key:a", 80, "hard", 5_000, 5_000),
                new Crossed("key_budget", "cost", "key:a", 100, "hard", 5_000, 5_000)),
                Thresholds.crossedKeyCaps(caps, before, Map.of("key:a", cost(5_000))));
        assertEquals(List.of(), Thresholds.crossedKeyCaps(caps, before, Map.of("key:a", cost(3_999))));
        assertEquals("key_budget.threshold_reached", Thresholds.crossedKeyCaps(caps, before,
                Map.of("key:b", cost(800_000))).get(0).eventType());
    }

    @Test
    void theTenantsOwnCapCountsTheTenantsWholeSpend() {
        // a cap of 5 micro-units is 5,000 nanos: 3,999 -> 4,000 crosses 80% only, 4,000 -> 6,000 crosses 100%
        Map<String, Consumption> before = Map.of("*", cost(3_999), "model-a", cost(3_999));
        assertEquals(List.of(new Crossed("tenant_budget", "cost", "*", 80, "hard", 5_000, 4_000)),
                Thresholds.crossedTenantCap(5, before, Map.of("*", cost(4_000))));
        assertEquals(List.of(new Crossed("tenant_budget", "cost", "*", 100, "hard", 5_000, 6_000)),
                Thresholds.crossedTenantCap(5, Map.of("*", cost(4_000)), Map.of("*", cost(6_000))));
        // a model's scope alone is not the tenant's spend; nothing moved is nothing crossed
        assertEquals(List.of(), Thresholds.crossedTenantCap(5, Map.of(), Map.of("model-a", cost(9_000))));
        assertEquals(List.of(), Thresholds.crossedTenantCap(5, before, Map.of("*", cost(3_999))));
        assertEquals("tenant_budget.threshold_reached", Thresholds.crossedTenantCap(5, Map.of(),
                Map.of("*", cost(5_000))).get(0).eventType());
    }

    static Consumption cost(long nanos) {
        return new Consumption(0, 0, 0, nanos);
    }

    @Test
    void fractionalThresholdsAreComparedExactly() {
        // 80% of 3 is 2.4: 2 is below it, 3 is above both 80% and 100%
        PlanSpec plan = plan(List.of(quota("requests", null, 3, "soft")), null);
        assertEquals(List.of(), crossed(plan, requests(0), requests(2)));
        assertEquals(2, crossed(plan, requests(2), requests(3)).size());
    }

    @Test
    void computeQuotasInSecondsAreComparedWithMicroseconds() {
        PlanSpec plan = plan(List.of(quota("compute_seconds", null, 10, "soft")), null);
        Consumption justBelow = new Consumption(5, 5, 7_999_999, 0);
        Consumption at80 = new Consumption(6, 6, 8_000_000, 0);
        assertEquals(List.of(), crossed(plan, Consumption.ZERO, justBelow));
        List<Crossed> crossed = crossed(plan, justBelow, at80);
        assertEquals(List.of(new Crossed("quota", "compute_seconds", "*", 80, "soft", 10_000_000, 8_000_000)),
                crossed);
        assertEquals("compute_us", crossed.get(0).unit());
        assertEquals(List.of(new Crossed("quota", "compute_seconds", "*", 100, "soft", 10_000_000, 10_000_000)),
                crossed(plan, at80, new Consumption(7, 7, 10_000_000, 0)));
    }

    @Test
    void budgetsInMicrosAreComparedWithCostInNanos() {
        // a budget of 1.000000 (1,000,000 micro-units) is 1,000,000,000 nano-units
        PlanSpec plan = plan(null, new PlanSpec.Budget(1_000_000L, "hard"));
        assertEquals(List.of(), crossed(plan, Consumption.ZERO, new Consumption(1, 0, 0, 799_999_999)));
        List<Crossed> at80 = crossed(plan, new Consumption(1, 0, 0, 799_999_999),
                new Consumption(2, 0, 0, 800_000_000));
        assertEquals(List.of(new Crossed("budget", "cost", "*", 80, "hard", 1_000_000_000, 800_000_000)), at80);
        assertEquals("nanos", at80.get(0).unit());
        assertEquals("budget.threshold_reached", at80.get(0).eventType());
        assertEquals(List.of(new Crossed("budget", "cost", "*", 100, "hard", 1_000_000_000, 1_000_000_000)),
                crossed(plan, new Consumption(2, 0, 0, 999_999_999), new Consumption(3, 0, 0, 1_000_000_000)));
    }

    @Test
    void modelQuotasLookAtTheirModelsScopeOnly() {
        PlanSpec plan = plan(List.of(quota("requests", "resnet", 10, "hard"), quota("requests", null, 100, "soft")),
                null);
        // the batch only touched another model (and the overall scope, far from its limit)
        assertEquals(List.of(), Thresholds.crossed(plan, Map.of("*", requests(50), "bert", requests(5)),
                Map.of("*", requests(60), "bert", requests(15))));
        List<Crossed> crossed = Thresholds.crossed(plan, Map.of("*", requests(70)),
                Map.of("*", requests(80), "resnet", requests(10)));
        assertEquals(List.of(new Crossed("quota", "requests", "resnet", 80, "hard", 10, 10),
                new Crossed("quota", "requests", "resnet", 100, "hard", 10, 10),
                new Crossed("quota", "requests", "*", 80, "soft", 100, 80)), crossed);
    }

    @Test
    void everyMetricAndTheBudgetCanCrossInOneBatch() {
        PlanSpec plan = plan(List.of(quota("requests", null, 10, "soft"), quota("items", null, 10, "soft"),
                quota("compute_seconds", null, 1, "hard")), new PlanSpec.Budget(1L, "soft"));
        List<Crossed> crossed = crossed(plan, Consumption.ZERO, new Consumption(8, 8, 800_000, 800));
        assertEquals(List.of("quota/requests/80", "quota/items/80", "quota/compute_seconds/80", "budget/cost/80"),
                crossed.stream().map(c -> c.kind() + "/" + c.metric() + "/" + c.threshold()).toList());
    }

    @Test
    void noPlanNoLimitsOrNoGrowthCrossNothing() {
        assertEquals(List.of(), crossed(null, requests(0), requests(100)));
        assertEquals(List.of(), crossed(plan(null, null), requests(0), requests(100)));
        PlanSpec plan = plan(List.of(quota("requests", null, 10, "soft")), null);
        assertEquals(List.of(), crossed(plan, requests(9), requests(9)));
        assertEquals(List.of(), Thresholds.crossed(plan, Map.of(), Map.of()));
        // a scope missing before the batch counts as zero
        assertEquals(2, Thresholds.crossed(plan, Map.of(), Map.of("*", requests(10))).size());
    }

    @Test
    void hugeLimitsAndUsageNeverOverflow() {
        // limit * 1,000,000 * 80 is far beyond a long: a naive product would wrap around and report a crossing
        PlanSpec plan = plan(List.of(quota("compute_seconds", null, Long.MAX_VALUE / 10, "soft")),
                new PlanSpec.Budget(Long.MAX_VALUE, "soft"));
        assertEquals(List.of(), crossed(plan, Consumption.ZERO,
                new Consumption(1, 1, Long.MAX_VALUE, Long.MAX_VALUE)));
        PlanSpec small = plan(List.of(quota("requests", null, 1, "soft")), null);
        List<Crossed> crossed = crossed(small, Consumption.ZERO, requests(Long.MAX_VALUE));
        assertEquals(2, crossed.size());
        assertTrue(Thresholds.compare(Long.MAX_VALUE, 100, Long.MAX_VALUE, 99) > 0);
        assertEquals(0, Thresholds.compare(Long.MAX_VALUE, 100, 100, Long.MAX_VALUE));
    }
}
