package io.aiaas.platform.billing.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void totalsRoundOnceHalfToEvenToTheCurrencysMinorUnits() {
        assertEquals(0, Money.toMinorUnits(5_000_000, "USD"));
        assertEquals(2, Money.toMinorUnits(15_000_000, "USD"));
        assertEquals(2, Money.toMinorUnits(25_000_000, "USD"));
        assertEquals(3, Money.toMinorUnits(25_000_001, "USD"));
        assertEquals(-2, Money.toMinorUnits(-25_000_000, "USD"));
        assertEquals(12, Money.toMinorUnits(12_500_000_000L, "JPY"));
        assertEquals(14, Money.toMinorUnits(13_500_000_000L, "JPY"));
        assertEquals(1234, Money.toMinorUnits(1_234_500_000L, "KWD"));
        assertEquals(1236, Money.toMinorUnits(1_235_500_000L, "KWD"));
    }

    @Test
    void decimalsShowTheCurrencysDigitsAndNoLessThanTheExactAmount() {
        assertEquals("12.50", Money.exactDecimal(12_500_000_000L, "USD"));
        assertEquals("0.000123", Money.exactDecimal(123_000, "USD"));
        assertEquals("0.000000001", Money.exactDecimal(1, "EUR"));
        assertEquals("-4.00", Money.exactDecimal(-4_000_000_000L, "USD"));
        assertEquals("12", Money.exactDecimal(12_000_000_000L, "JPY"));
        assertEquals("10.00", Money.minorDecimal(1000, "USD"));
        assertEquals("1.235", Money.minorDecimal(1235, "KWD"));
    }

    @Test
    void costHeaderAmountsAreTheExactDecimalWithNoTrailingZeros() {
        assertEquals("0", Money.ofNanos(0));
        assertEquals("0.0015", Money.ofNanos(1_500_000));
        assertEquals("0.000000001", Money.ofNanos(1));
        assertEquals("12", Money.ofNanos(12_000_000_000L));
        assertEquals("12.5", Money.ofNanos(12_500_000_000L));
        assertEquals("-0.1", Money.ofNanos(-100_000_000));
        assertEquals("1.000000001", Money.ofNanos(1_000_000_001));
        long[] edges = {Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, 999_999_999, -999_999_999, 1_000_000_000,
            10_000_000_010L};
        for (long nanos : edges) {
            assertEquals(reference(nanos), Money.ofNanos(nanos), "nanos " + nanos);
        }
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            long nanos = switch (i % 3) {
                case 0 -> random.nextLong();
                case 1 -> random.nextInt();
                default -> random.nextInt(1000) * (long) Math.pow(10, random.nextInt(12));
            };
            assertEquals(reference(nanos), Money.ofNanos(nanos), "nanos " + nanos);
        }
    }

    private static String reference(long nanos) {
        return nanos == 0 ? "0" : BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }
}
