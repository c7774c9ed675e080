package io.aiaas.console.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.console.api.Deprecation;
import io.aiaas.console.api.admin.ModelVersion;
import io.aiaas.console.api.admin.SunsetRequest;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SunsetFormTest {

    private static String instant(String typed) {
        Map<String, String> errors = new HashMap<>();
        String value = SunsetForm.instant(typed, errors);
        return errors.isEmpty() ? value : null;
    }

    private static ModelVersion version(int number, Deprecation deprecation) {
        return new ModelVersion(UUID.randomUUID(), "m", number, "ready", null, "ab", 1, null, null, null, null, null,
                List.of(), deprecation);
    }

    @Test
    void aDatetimeLocalValueIsReadAsUtc() {
        assertEquals("2027-01-31T00:00:00Z", instant("2027-01-31T00:00"));
        assertEquals("2027-01-31T12:30:45Z", instant("2027-01-31T12:30:45"));
        assertEquals("2027-01-31T12:30:45.500Z", instant("2027-01-31T12:30:45.5"));
        // typed where the browser shows a text box instead of a picker
        assertEquals("2027-01-31T08:15:00Z", instant("2027-01-31 08:15"));
    }

    @Test
    void anythingElseIsRefusedForTheTimeInput() {
        for (String typed : new String[] {"", "2027-01-31", "2027-02-30T00:00", "2027-01-31T24:00",
            "2027-01-31T00:00:00Z", "2027-01-31T00:00+01:00", "31/01/2027 00:00", "soon"}) {
            Map<String, String> errors = new HashMap<>();
            assertNull(SunsetForm.instant(typed, errors), typed);
            assertTrue(errors.containsKey("sunset_at"), typed);
        }
    }

    @Test
    void anEmptySuccessorAndNoteAreNullAndANumberIsOne() {
        Map<String, String> errors = new HashMap<>();
        assertEquals(new SunsetRequest("2027-01-31T00:00:00Z", null, null),
                SunsetForm.typed(2, " 2027-01-31T00:00 ", "", "   ").request(errors));
        assertEquals(new SunsetRequest("2027-01-31T00:00:00Z", 3, "Use 3"),
                SunsetForm.typed(2, "2027-01-31T00:00", "3", " Use 3 ").request(errors));
        assertTrue(errors.isEmpty());
        assertNull(SunsetForm.typed(2, "2027-01-31T00:00", "three", null).request(errors));
        assertEquals(List.of("successor"), List.copyOf(errors.keySet()));
    }

    @Test
    void theFormOpensWithTheScheduledSunsetInUtcOrEmpty() {
        SunsetForm none = SunsetForm.of(version(2, null));
        assertEquals(new SunsetForm(2, "", "", ""), none);
        assertEquals("sunset-form-2", none.id());
        assertEquals("cancel-sunset-form-2", none.cancelId());
        SunsetForm scheduled = SunsetForm.of(version(2, new Deprecation(Instant.parse("2026-12-01T10:00:00Z"),
                Instant.parse("2027-01-31T00:00:00Z"), 3, "why")));
        assertEquals(new SunsetForm(2, "2027-01-31T00:00", "3", "why"), scheduled);
        assertTrue(scheduled.successorIs(3));
        SunsetForm seconds = SunsetForm.of(version(2, new Deprecation(Instant.parse("2026-12-01T10:00:00Z"),
                Instant.parse("2027-01-31T12:30:45Z"), null, null)));
        assertEquals(new SunsetForm(2, "2027-01-31T12:30:45", "", ""), seconds);
        assertTrue(seconds.hasSeconds());
        assertTrue(!scheduled.hasSeconds());
        // what the form opens with is what it sends back
        assertEquals("2027-01-31T12:30:45Z", instant(seconds.sunsetAt()));
    }

    @Test
    void timesAreSaidInUtc() {
        assertEquals("2027-01-31 00:00 UTC", Deprecation.utc(Instant.parse("2027-01-31T00:00:00Z")));
        assertEquals("2027-01-31 12:30:45 UTC", Deprecation.utc(Instant.parse("2027-01-31T12:30:45Z")));
    }
}
