package io.aiaas.platform.billing.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiaas.platform.billing.pricing.Pricing.Cost;
import io.aiaas.platform.billing.pricing.Pricing.Position;
import io.aiaas.platform.plan.service.PlanSpec.ModelPrice;
import io.aiaas.platform.plan.service.PlanSpec.PriceComponent;
import io.aiaas.platform.plan.service.PlanSpec.Tier;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Integer pricing: exact request and item parts, one rounding of the compute part, tiers at their boundaries. */
class PricingTest {

    private static PriceComponent tiers(String tiering, long... upToAndUnit) {
        Tier[] tiers = new Tier[upToAndUnit.length / 2];
        for (int i = 0; i < tiers.length; i++) {
            long upTo = upToAndUnit[2 * i];
            tiers[i] = new Tier(upTo < 0 ? null : upTo, upToAndUnit[2 * i + 1]);
        }
        return new PriceComponent(tiering, Arrays.asList(tiers));
    }

    @Test
    void aModelsOwnPriceWinsOverTheDefaultWhateverTheirOrderAndOthersGetTheDefault() {
        ModelPrice fallback = new ModelPrice(null, tiers(null, -1, 100), null, null);
        ModelPrice iris = new ModelPrice("iris", tiers(null, -1, 5), null, null);
        io.aiaas.platform.plan.service.PlanSpec plan = new io.aiaas.platform.plan.service.PlanSpec("p", "USD", 0L, 0L,
                null, null, null, List.of(fallback, iris));

        assertEquals(iris, plan.priceOf("iris").orElseThrow());
        assertEquals(fallback, plan.priceOf("mnist").orElseThrow());
        assertEquals(fallback, plan.priceOf(null).orElseThrow());
        io.aiaas.platform.plan.service.PlanSpec noDefault = new io.aiaas.platform.plan.service.PlanSpec("p", "USD",
                0L, 0L, null, null, null, List.of(iris));
        assertEquals(java.util.Optional.empty(), noDefault.priceOf("mnist"));
    }

    @Test
    void aFlatPricePerThousandIsExactInNanoUnits() {
        ModelPrice price = new ModelPrice(null, tiers(null, -1, 1234), tiers(null, -1, 7), null);
        Cost cost = Pricing.price(price, Position.ZERO, 32, 999);
        assertEquals(1234, cost.requestNanos());
        assertEquals(32 * 7, cost.itemNanos());
        assertEquals(0, cost.computeNanos());
        assertEquals(1234 + 224, cost.totalNanos());
    }

    @Test
    void graduatedItemsSplitAcrossATierBoundaryWithinOneCall() {
        // items 1-100 at 10, 101-1000 at 5, beyond at 1 (micro-units per 1,000 = nano-units per item)
        PriceComponent items = tiers("graduated", 100, 10, 1000, 5, -1, 1);
        ModelPrice price = new ModelPrice(null, null, items, null);
        Cost cost = Pricing.price(price, new Position(0, 90, 0), 20, 0);
        assertEquals(10 * 10 + 10 * 5, cost.itemNanos());
        assertEquals(5, cost.itemPrice());
        Cost across = Pricing.price(price, new Position(0, 95, 0), 1000, 0);
        assertEquals(5 * 10 + 900 * 5 + 95 * 1, across.itemNanos());
    }

    @Test
    void graduatedRequestTiersPriceTheNthCallOfThePeriod() {
        PriceComponent requests = tiers("graduated", 2, 1000, -1, 400);
        ModelPrice price = new ModelPrice(null, requests, null, null);
        assertEquals(1000, Pricing.price(price, new Position(0, 0, 0), 1, 0).requestNanos());
        assertEquals(1000, Pricing.price(price, new Position(1, 0, 0), 1, 0).requestNanos());
        assertEquals(400, Pricing.price(price, new Position(2, 0, 0), 1, 0).requestNanos());
    }

    @Test
    void volumeTiersPriceAllUnitsAtTheTierTheTotalReaches() {
        PriceComponent requests = tiers("volume", 10, 1000, -1, 500);
        ModelPrice price = new ModelPrice(null, requests, null, null);
        assertEquals(1000, Pricing.price(price, new Position(9, 0, 0), 1, 0).requestNanos());
        assertEquals(500, Pricing.price(price, new Position(10, 0, 0), 1, 0).requestNanos());
        assertEquals(12 * 500, Pricing.volumeNanos(requests, 12, false));
        assertEquals(10 * 1000, Pricing.volumeNanos(requests, 10, false));
    }

    @Test
    void computeIsRoundedHalfUpOncePerCallAndTieredInSeconds() {
        // 1 second at 2,000 micro-units = 2,000,000 nano-units; 1,234 microseconds cost 2,468 nano-units.
        PriceComponent compute = tiers("graduated", 1, 2000, -1, 1000);
        ModelPrice price = new ModelPrice(null, null, null, compute);
        assertEquals(2468, Pricing.price(price, Position.ZERO, 0, 1234).computeNanos());
        // 1 us at 1,000 micro-units per second is 1 nano-unit; 1 us at 2,000 is 2; 0.5 rounds up.
        assertEquals(1, Pricing.price(new ModelPrice(null, null, null, tiers(null, -1, 500)), Position.ZERO, 0, 1)
                .computeNanos());
        // half a second in the first tier, half in the second
        assertEquals(500_000 * 2000 / 1000 + 500_000 * 1000 / 1000,
                Pricing.price(price, new Position(0, 0, 500_000), 0, 1_000_000).computeNanos());
    }

    @Test
    void noPriceIsFree() {
        assertEquals(Cost.FREE, Pricing.price(null, Position.ZERO, 5, 5));
        assertEquals(0, Pricing.price(new ModelPrice(null, null, null, null), Position.ZERO, 5, 5).totalNanos());
    }

    @Test
    void billingPeriodsAreCalendarMonthsInTheTenantsZone() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        Instant lateOctoberUtc = Instant.parse("2026-10-31T16:00:00Z"); // 01:00 on 1 November in Tokyo
        assertEquals(LocalDate.of(2026, 11, 1), BillingPeriods.periodOf(lateOctoberUtc, tokyo));
        assertEquals(LocalDate.of(2026, 10, 1), BillingPeriods.periodOf(lateOctoberUtc, ZoneId.of("UTC")));
        assertEquals(Instant.parse("2026-10-31T15:00:00Z"), BillingPeriods.start(LocalDate.of(2026, 11, 1), tokyo));
        assertEquals(Instant.parse("2026-11-30T15:00:00Z"), BillingPeriods.end(LocalDate.of(2026, 11, 1), tokyo));
        assertEquals("2026-11", BillingPeriods.name(LocalDate.of(2026, 11, 1)));
    }

    @Test
    void moneyReadsAsExactDecimals() {
        assertEquals("0.0015", Money.ofNanos(1_500_000));
        assertEquals("12.5", Money.ofMicros(12_500_000));
        assertEquals("0", Money.ofNanos(0));
        assertEquals(List.of("0.000000001"), List.of(Money.ofNanos(1)));
    }
}
