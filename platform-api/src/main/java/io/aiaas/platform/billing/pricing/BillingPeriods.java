package io.aiaas.platform.billing.pricing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Optional;

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

    /**
     * When a tenant may move its billing periods from one zone to another: at once, unless at {@code now} the new
     * zone is still in a month that has ended in the old one. Calls then would be recorded in that earlier period,
     * which may already be invoiced, and its limits counted again; so answers the instant the new zone enters the
     * old zone's current month, before which the change is refused, or empty when it may happen now. A zone ahead
     * only ends the current period earlier, which loses nothing.
     */
    public static Optional<Instant> zoneChangeRefusedUntil(Instant now, ZoneId from, ZoneId to) {
        LocalDate current = periodOf(now, from);
        return periodOf(now, to).isBefore(current) ? Optional.of(start(current, to)) : Optional.empty();
    }

    /** {@code 2026-11} for the period of November 2026. */
    public static String name(LocalDate period) {
        return YearMonth.from(period).toString();
    }
}
