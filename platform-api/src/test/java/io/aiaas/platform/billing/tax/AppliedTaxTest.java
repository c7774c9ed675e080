package io.aiaas.platform.billing.tax;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiaas.platform.billing.tax.service.AppliedTax;
import org.junit.jupiter.api.Test;

/** The tax arithmetic: exact, rounded half to even to minor units, the net and tax of a gross adding up. */
class AppliedTaxTest {

    private static AppliedTax rate(int ppm) {
        return new AppliedTax("standard", "VAT", ppm, "NO", null, null);
    }

    @Test
    void taxIsRoundedOnceHalfToEvenToMinorUnits() {
        assertEquals(2_500_000_000L, rate(250_000).on(10_000_000_000L, 2)); // 25 % of 10.00
        assertEquals(1_500_000_000L, rate(149_750).on(10_000_000_000L, 2)); // 1.4975 -> 1.50
        assertEquals(20_000_000L, rate(250_000).on(100_000_000L, 2)); // 0.025 -> 0.02, to even
        assertEquals(40_000_000L, rate(250_000).on(140_000_000L, 2)); // 0.035 -> 0.04, to even
        assertEquals(100_000_000_000L, rate(100_000).on(999_000_000_000L, 0)); // 99.9 JPY -> 100
        assertEquals(-3_120_000_000L, rate(250_000).on(-12_500_000_000L, 2)); // -3.125 -> -3.12
        assertEquals(0, rate(0).on(10_000_000_000L, 2));
        assertEquals(0, new AppliedTax("exempt", null, null, null, "charity", null).on(10_000_000_000L, 2));
        // no overflow on the largest amounts: 9.2 billion at 100 %
        assertEquals(9_223_372_030_000_000_000L, rate(1_000_000).on(9_223_372_030_000_000_000L, 2));
    }

    @Test
    void theTaxWithinAGrossAmountLeavesANetThatAddsUp() {
        assertEquals(1_000_000_000L, rate(250_000).within(5_000_000_000L, 2)); // 5.00 at 25 %: 1.00 of it
        assertEquals(0, rate(250_000).within(10_000_000L, 2)); // 0.002 -> 0.00
        assertEquals(1_600_000_000L, rate(190_000).within(10_000_000_000L, 2)); // 1.5966 -> 1.60
        assertEquals("8.875", rate(88_750).percent());
        assertEquals("19", rate(190_000).percent());
        assertEquals("VAT 19 % (NO)", rate(190_000).label());
    }
}
