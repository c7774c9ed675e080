package io.aiaas.console.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class FormatsTest {

    private final Formats us = new Formats(Locale.US, ZoneOffset.UTC);

    @Test
    void moneyUsesTheCurrencysDigitsHalfEven() {
        assertEquals("$12.34", us.money("12.345", "USD"));
        assertEquals("$12.36", us.money("12.355", "USD"));
        assertEquals("¥1,234", us.money("1234.5", "JPY"));
        assertEquals("¥1,236", us.money("1235.5", "JPY"));
    }

    @Test
    void aSingleCallsPriceBelowOneCentIsNotShownAsZero() {
        assertEquals("$0.000123", us.money("0.000123000", "USD"));
        assertEquals("$0.00", us.money("0", "USD"));
        assertEquals("$0.000001", us.nanos(1_000L, "USD"));
        assertEquals("$1.50", us.micros(1_500_000L, "USD"));
    }

    @Test
    void minorUnitsTakeTheCurrencysDigits() {
        assertEquals("$125.00", us.minor(12_500L, "USD"));
        assertEquals("¥1,234", us.minor(1_234L, "JPY"));
        assertEquals("KWD1.234", us.minor(1_234L, "KWD").replace('\u00a0', ' '));
        assertEquals("3.50 XYZ1", us.minor(350L, "XYZ1"), "two digits for a code the JDK does not know");
        assertEquals("—", us.minor(null, "USD"));
    }

    @Test
    void moneyFollowsTheReadersLocale() {
        Formats german = new Formats(Locale.GERMANY, ZoneOffset.UTC);
        assertEquals("1.234,50 €", german.money("1234.5", "EUR").replace('\u00a0', ' '));
    }

    @Test
    void anUnknownCurrencyStillShowsTheAmountAndItsCode() {
        assertEquals("3.50 XYZ1", us.money("3.5", "XYZ1"));
        assertEquals("not-a-number", us.money("not-a-number", "USD"));
        assertEquals("—", us.money(null, "USD"));
    }

    @Test
    void utcTimesSayUtcWhateverTheReadersZone() {
        Formats paris = new Formats(Locale.FRANCE, ZoneId.of("Europe/Paris"));
        assertEquals("2026-11-29 23:30 UTC", paris.utc(Instant.parse("2026-11-29T23:30:59Z")));
        assertEquals("—", paris.utc(null));
    }

    @Test
    void timesAreInTheReadersZone() {
        Instant t = Instant.parse("2026-11-29T23:30:00Z");
        assertEquals("2026-11-29 23:30", us.time(t));
        Formats paris = new Formats(Locale.FRANCE, ZoneId.of("Europe/Paris"));
        assertEquals("2026-11-30 00:30", paris.time(t));
        assertEquals("2026-11-30", paris.date(t));
        assertEquals("—", paris.time(null));
        assertEquals("Europe/Paris", paris.zoneName());
        assertEquals("UTC", us.zoneName());
    }

    @Test
    void numbersAndPercents() {
        assertEquals("1,234,567", us.num(1_234_567L));
        assertEquals("42%", us.percent(42L, 100L));
        assertEquals("—", us.percent(1L, 0L));
    }

    @Test
    void aDayOfTheTenantsCalendarIsInWordsWhateverTheReadersLocaleOrZone() {
        Formats tokyo = new Formats(Locale.JAPAN, ZoneId.of("Asia/Tokyo"));
        assertEquals("1 Dec 2026", us.day(LocalDate.of(2026, 12, 1)));
        assertEquals("30 Sep 2026", tokyo.day(LocalDate.of(2026, 9, 30)));
        assertEquals("—", us.day(null));
    }

    @Test
    void aBillingPeriodIsItsMonthInWordsAndOtherTextStaysAsItIs() {
        Formats tokyo = new Formats(Locale.JAPAN, ZoneId.of("Asia/Tokyo"));
        assertEquals("November 2026", us.month("2026-11"));
        assertEquals("January 2027", tokyo.month("2027-01"));
        assertEquals("2026-13", us.month("2026-13"));
        assertEquals("—", us.month(null));
    }
}
