package io.aiaas.platform.billing.pricing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;

/** Billing periods are calendar months in the tenant's time zone, named by their first day. */
public final class BillingPeriods {

    private BillingPeriods() {
    }

    /** The first day of the month that holds {@code at} in {@code zone}. */
    public static LocalDate periodOf(Instant at, ZoneId zone) {
        return LocalDate.ofInstant(at, zone).withDayOfMonth(1);
    }

    /** The first instant of the period. */
    public static Instant start(LocalDate period, ZoneId zone) {
        return period.withDayOfMonth(1).atStartOfDay(zone).toInstant();
    }

    /** The first instant after the period. */
    public static Instant end(LocalDate period, ZoneId zone) {
        return period.withDayOfMonth(1).plusMonths(1).atStartOfDay(zone).toInstant();
    }

    /** {@code 2026-11} for the period of November 2026. */
    public static String name(LocalDate period) {
        return YearMonth.from(period).toString();
    }
}
