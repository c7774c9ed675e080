package io.aiaas.console.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A model version's scheduled sunset ({@code "deprecation"} of a version, in the admin and the tenant cards alike;
 * null when the version is not deprecated): platform-api retires the version by itself at {@code sunsetAt}. Its times
 * are said in UTC on every page, "2027-01-31 00:00 UTC", whatever the reader's zone: the admin schedules it in UTC and
 * the {@code Sunset} header the tenants' programs get is an HTTP date, in GMT.
 *
 * @param deprecatedAt when the sunset was first scheduled (changing it later keeps this)
 * @param sunsetAt when the platform retires the version
 * @param successor the version of the same model to move to, or null
 * @param note the operator's words to the tenants (at most 500 characters), or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Deprecation(Instant deprecatedAt, Instant sunsetAt, Integer successor, String note) {

    private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** The sunset in UTC, e.g. "2027-01-31 00:00 UTC" (with seconds when it has any). */
    public String sunsetText() {
        return utc(sunsetAt);
    }

    /** When it was deprecated, in UTC, e.g. "2026-12-01 10:00 UTC". */
    public String deprecatedText() {
        return utc(deprecatedAt);
    }

    /** Whether the sunset has come (the platform is retiring the version, or has). */
    public boolean passed() {
        return sunsetAt != null && !sunsetAt.isAfter(Instant.now());
    }

    /** Whether there is a note to show. */
    public boolean hasNote() {
        return note != null && !note.isBlank();
    }

    /** A time in UTC to the minute, or to the second when it has seconds; a dash for none. */
    public static String utc(Instant instant) {
        if (instant == null) {
            return "—";
        }
        return (instant.getEpochSecond() % 60 == 0 ? MINUTES : SECONDS).format(instant);
    }
}
