package io.aiaas.console.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Typed amounts as micro-units and as a currency's minor units, exactly, with the faults the forms word. */
class MoneyInputTest {

    private static MoneyInput.Fault fault(String typed, String currency) {
        return assertThrows(MoneyInput.Invalid.class, () -> MoneyInput.minor(typed, currency), typed).fault();
    }

    @Test
    void anAmountBecomesTheCurrencysMinorUnitsExactly() {
        assertEquals(120, MoneyInput.minor("1.2", "USD"));
        assertEquals(120, MoneyInput.minor("1.20", "USD"));
        assertEquals(380, MoneyInput.minor(" 3.80 ", "EUR"));
        assertEquals(1, MoneyInput.minor("0.01", "USD"));
        // 0.1 + 0.2 in floating point is 0.30000000000000004: none here
        assertEquals(30, MoneyInput.minor("0.30", "USD"));
        assertEquals(12, MoneyInput.minor("12", "JPY"));
        assertEquals(12, MoneyInput.minor("12.000", "JPY"), "trailing zeros are no decimals");
        assertEquals(1234, MoneyInput.minor("1.234", "KWD"));
        // a code Java does not know has two decimals, as platform-api takes it
        assertEquals(250, MoneyInput.minor("2.5", "ZZZ"));
    }

    @Test
    void moreDecimalsThanTheCurrencyHasANonNumberOrNothingPositiveIsRefused() {
        assertEquals(MoneyInput.Fault.TOO_PRECISE, fault("0.005", "USD"));
        assertEquals(MoneyInput.Fault.TOO_PRECISE, fault("12.5", "JPY"));
        assertEquals(MoneyInput.Fault.TOO_PRECISE, fault("1.2345", "KWD"));
        assertEquals(MoneyInput.Fault.NOT_A_NUMBER, fault("1,20", "USD"));
        assertEquals(MoneyInput.Fault.NOT_A_NUMBER, fault("$1", "USD"));
        assertEquals(MoneyInput.Fault.TOO_SMALL, fault("0", "USD"));
        assertEquals(MoneyInput.Fault.TOO_SMALL, fault("-1", "USD"));
        assertEquals(MoneyInput.Fault.TOO_LARGE, fault("92233720368547758.08", "USD"));
        // refused at once, not expanded into a billion digits first
        assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> assertEquals(MoneyInput.Fault.TOO_LARGE, fault("1e999999999", "USD")));
        assertEquals(MoneyInput.Fault.TOO_LARGE, assertThrows(MoneyInput.Invalid.class,
                () -> MoneyInput.micros("1e999999999", true)).fault());
    }

    @Test
    void microUnitsAreAsBefore() {
        assertEquals(2_500_000, MoneyInput.micros("2.50", true));
        assertEquals(0, MoneyInput.micros("0", false));
        assertEquals(MoneyInput.Fault.TOO_PRECISE, assertThrows(MoneyInput.Invalid.class,
                () -> MoneyInput.micros("0.0000001", true)).fault());
    }

    @Test
    void fractionDigitsAreTheCurrencysOwn() {
        assertEquals(2, MoneyInput.fractionDigits("USD"));
        assertEquals(0, MoneyInput.fractionDigits("JPY"));
        assertEquals(3, MoneyInput.fractionDigits("KWD"));
        assertEquals(2, MoneyInput.fractionDigits("nope"));
        assertEquals(2, MoneyInput.fractionDigits(null));
    }
}
