package io.aiaas.platform.limits.service;

import io.aiaas.platform.billing.pricing.BillingPeriods;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an admission would otherwise build anew on every call ({@link Limits}): the counters' names and the billing
 * period's end. Each was a measurable share of an admission's CPU (JFR, billed load at 8 callers).
 */
final class AdmissionCaches {

    private record PeriodEnd(LocalDate period, ZoneId zone, Instant end) {
    }

    /**
     * Counter names, built once rather than on every call: concatenating five names with a UUID's text in each, and
     * hashing them anew for the lease lookup, was a third of an admission's CPU. Emptied by {@link #newMinute} when
     * the minute changes, so the names of past minutes do not pile up.
     */
    private final Map<NameKey, String> names = new ConcurrentHashMap<>();
    private volatile long namesMinute = Long.MIN_VALUE;
    /** The last period end computed (a ZonedDateTime each call was another sixth of an admission's CPU). */
    private volatile PeriodEnd lastPeriodEnd = new PeriodEnd(LocalDate.MIN, ZoneOffset.UTC, Instant.MIN);

    /** A counter's name ({@link NameKey#counterName}): the same String instance for every call of the minute. */
    String name(NameKey key) {
        String known = names.get(key);
        return known != null ? known : names.computeIfAbsent(key, NameKey::counterName);
    }

    /** Forgets the names when the minute (epoch seconds / 60) is not the last one seen. */
    void newMinute(long minute) {
        if (minute != namesMinute) {
            namesMinute = minute;
            names.clear();
        }
    }

    /** The end of the billing period in the zone ({@link BillingPeriods#end}). */
    Instant periodEnd(LocalDate period, ZoneId zone) {
        PeriodEnd last = lastPeriodEnd;
        if (!last.period().equals(period) || !last.zone().equals(zone)) {
            last = new PeriodEnd(period, zone, BillingPeriods.end(period, zone));
            lastPeriodEnd = last;
        }
        return last.end();
    }
}
