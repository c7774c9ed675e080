package io.aiaas.console.admin;

import io.aiaas.console.api.Deprecation;
import io.aiaas.console.api.admin.ModelVersion;
import io.aiaas.console.api.admin.SunsetRequest;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * One version's sunset form on the admin model page, as typed: when the platform retires the version (a
 * {@code datetime-local} value, {@code 2027-01-31T00:00} or with seconds, read as UTC), the successor (a version
 * number, empty: none) and the note to the tenants (empty: none). {@link #request} turns it into the PUT's body,
 * {@code {"sunset_at": "2027-01-31T00:00:00Z", "successor": 3, "note": "..."}}. What the console checks is only that
 * the time is one and the successor a whole number; a time not in the future or too far ahead, a note over 500
 * characters and a successor that is not a ready version of the model are platform-api's to refuse, beside the form.
 *
 * @param version the version the form schedules
 * @param sunsetAt {@code sunset_at} as posted, or the scheduled sunset as a {@code datetime-local} value in UTC
 * @param successor {@code successor} as posted: a version number or empty
 * @param note {@code note} as posted
 */
public record SunsetForm(int version, String sunsetAt, String successor, String note) {

    /** Inputs of the form by the field names platform-api gives its violations, for {@code FormError.beside}. */
    static final Map<String, String> INPUTS = Map.of("sunset_at", "sunset_at", "successor", "successor", "note",
            "note");

    /** What the {@code datetime-local} input shows: UTC, to the minute, or to the second when there are seconds. */
    private static final DateTimeFormatter INPUT_MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter INPUT_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    /** The form of a version as the page opens: its scheduled sunset, or empty inputs when it has none. */
    static SunsetForm of(ModelVersion version) {
        Deprecation d = version.deprecation();
        if (d == null || d.sunsetAt() == null) {
            return blank(version.version());
        }
        String at = (d.sunsetAt().getEpochSecond() % 60 == 0 ? INPUT_MINUTES : INPUT_SECONDS).format(d.sunsetAt());
        return new SunsetForm(version.version(), at, d.successor() == null ? "" : d.successor().toString(),
                d.note() == null ? "" : d.note());
    }

    /** Empty inputs, for a version with no sunset. */
    static SunsetForm blank(int version) {
        return new SunsetForm(version, "", "", "");
    }

    /** The inputs as posted, trimmed; nothing posted is the empty string. */
    static SunsetForm typed(int version, String sunsetAt, String successor, String note) {
        return new SunsetForm(version, trim(sunsetAt), trim(successor), trim(note));
    }

    /** The form's id, {@code sunset-form-<version>}; its error is {@code #sunset-form-<version>-error}. */
    public String id() {
        return "sunset-form-" + version;
    }

    /** The id of the version's cancel form, {@code cancel-sunset-form-<version>}; its error adds {@code -error}. */
    public String cancelId() {
        return cancelIdOf(version);
    }

    /** The id of the cancel form of that version. */
    static String cancelIdOf(int version) {
        return "cancel-sunset-form-" + version;
    }

    /**
     * The body to PUT, or null with a message per input (by input name) in {@code errors} when the time is missing or
     * not a date and time, or the successor not a whole number. An empty successor or note is sent as null.
     */
    SunsetRequest request(Map<String, String> errors) {
        String at = instant(sunsetAt, errors);
        Integer next = null;
        if (!successor.isEmpty()) {
            if (successor.matches("[0-9]{1,9}")) {
                next = Integer.parseInt(successor);
            } else {
                errors.put("successor", "choose a version, or none");
            }
        }
        return errors.isEmpty() ? new SunsetRequest(at, next, note.isEmpty() ? null : note) : null;
    }

    /**
     * Whether the time has seconds: the input then needs {@code step="1"}, or the browser would refuse to send a value
     * off its default one-minute step.
     */
    public boolean hasSeconds() {
        return sunsetAt.matches(".*T\\d{2}:\\d{2}:\\d{2}.*");
    }

    /** Whether the successor select shows that version. */
    public boolean successorIs(int candidate) {
        return successor.equals(String.valueOf(candidate));
    }

    /**
     * A {@code datetime-local} value ({@code 2027-01-31T00:00}, seconds and fractions allowed; a space for the T, as
     * typed where the browser shows a text box) read as UTC, as the ISO-8601 instant platform-api takes
     * ({@code 2027-01-31T00:00:00Z}); null with the message for {@code sunset_at} when empty or not a date and time.
     */
    static String instant(String typed, Map<String, String> errors) {
        if (typed.isEmpty()) {
            errors.put("sunset_at", "choose the date and time (UTC) at which the version is retired");
            return null;
        }
        try {
            LocalDateTime local = LocalDateTime.parse(typed.replaceFirst("^(\\d{4,}-\\d{2}-\\d{2}) ", "$1T"));
            return DateTimeFormatter.ISO_INSTANT.format(local.toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException notADateTime) {
            errors.put("sunset_at", "not a date and time: use the picker, e.g. 2027-01-31T00:00 (UTC)");
            return null;
        }
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
