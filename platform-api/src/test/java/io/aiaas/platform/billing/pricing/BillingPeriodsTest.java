package io.aiaas.platform.billing.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a tenant may move its billing periods to another zone: never into a month that has ended in the old one. */
class BillingPeriodsTest {

    static final ZoneId UTC = ZoneId.of("UTC");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    static Optional<Instant> refusedUntil(String now, ZoneId from, ZoneId to) {
        return BillingPeriods.zoneChangeRefusedUntil(Instant.parse(now), from, to);
    }

    @Test
    void westwardJustAfterAMonthEndsIsRefusedUntilTheNewZoneEntersThatMonth() {
        // 01:45 UTC on 1 December is 20:45 on 30 November in New York: November has ended in UTC
        assertEquals(Optional.of(Instant.parse("2026-12-01T05:00:00Z")),
                refusedUntil("2026-12-01T01:45:00Z", UTC, NEW_YORK));
        assertEquals(Optional.empty(), refusedUntil("2026-12-01T05:00:00Z", UTC, NEW_YORK), "from then on");
        // the furthest apart: a day and two hours, across a year's end
        assertEquals(Optional.of(Instant.parse("2027-01-01T12:00:00Z")),
                refusedUntil("2027-01-01T00:00:00Z", ZoneId.of("Pacific/Kiritimati"), ZoneId.of("Etc/GMT+12")));
    }

    @Test
    void eastwardMidMonthAndTheSameMonthAreAllowed() {
        // Paris is already in December: November, ended or not, only ends earlier
        assertEquals(Optional.empty(), refusedUntil("2026-11-30T23:30:00Z", UTC, PARIS));
        assertEquals(Optional.empty(), refusedUntil("2026-12-01T01:45:00Z", NEW_YORK, UTC));
        assertEquals(Optional.empty(), refusedUntil("2026-12-15T12:00:00Z", UTC, NEW_YORK));
        assertEquals(Optional.empty(), refusedUntil("2026-12-15T12:00:00Z", UTC, UTC));
    }
}
