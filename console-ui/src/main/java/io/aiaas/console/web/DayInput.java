package io.aiaas.console.web;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** A day typed in an {@code <input type="date">} (YYYY-MM-DD), as the instant platform-api takes: its start in UTC. */
public final class DayInput {

    private DayInput() {
    }

    /**
     * The start of the typed day in UTC; null when nothing was typed, and null with a message for {@code field} in
     * {@code errors} when it is not a day.
     *
     * @param example a day to show in the message, e.g. 2026-12-03
     */
    public static Instant startOf(String typed, String field, String example, Map<String, String> errors) {
        if (typed == null || typed.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(typed).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException notADay) {
            errors.put(field, "use the date picker, e.g. " + example);
            return null;
        }
    }
}
