package io.aiaas.console.tenant;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Ranges of days as platform-api's daily report buckets cut them: UTC days (buckets are aligned to UTC midnight), so
 * a month here is a UTC calendar month.
 */
final class Days {

    private Days() {
    }

    /** The month a filter names (YYYY-MM), or empty when it names none. */
    static Optional<YearMonth> month(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            YearMonth month = YearMonth.parse(text.trim());
            return month.getYear() < 2000 || month.getYear() > 9998 ? Optional.empty() : Optional.of(month);
        } catch (DateTimeParseException notAMonth) {
            return Optional.empty();
        }
    }

    static YearMonth thisMonth() {
        return YearMonth.now(ZoneOffset.UTC);
    }

    static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static Instant end(YearMonth month) {
        return start(month.plusMonths(1));
    }

    /** An ISO-8601 date-time with an offset (as platform-api gives period bounds) as an instant. */
    static Instant instant(String isoWithOffset) {
        return OffsetDateTime.parse(isoWithOffset).toInstant();
    }

    /** The UTC days that a range [start, end) touches, in order. */
    static List<LocalDate> between(Instant start, Instant end) {
        List<LocalDate> days = new ArrayList<>();
        LocalDate day = LocalDate.ofInstant(start, ZoneOffset.UTC);
        LocalDate last = LocalDate.ofInstant(end.minusNanos(1), ZoneOffset.UTC);
        while (!day.isAfter(last) && days.size() < 400) {
            days.add(day);
            day = day.plusDays(1);
        }
        return days;
    }

    static LocalDate of(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }
}
