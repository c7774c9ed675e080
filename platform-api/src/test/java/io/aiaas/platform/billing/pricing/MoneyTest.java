package io.aiaas.platform.billing.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
