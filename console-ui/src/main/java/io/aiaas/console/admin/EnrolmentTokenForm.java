package io.aiaas.console.admin;

import io.aiaas.console.api.admin.NewEnrolmentToken;
import java.util.Map;

/**
 * The create form of enrolment tokens on {@code /admin/workers}, as typed: a name, how many workers may enrol with it
 * and how long it is valid, a whole number of hours or days. {@link #request} checks what the console can (a name,
 * whole numbers in range, a known unit) and converts the validity to {@code expires_in_seconds}; the longest validity
 * is platform-api's to decide (30 days by default), its refusal comes back beside the form.
 *
 * @param validity a whole number of {@code unit}s
 * @param unit {@code hours} or {@code days}
 */
public record EnrolmentTokenForm(String name, String uses, String validity, String unit) {

    /** The form as it opens: one enrolment, valid for one hour (platform-api's own default). */
    static final EnrolmentTokenForm DEFAULT = new EnrolmentTokenForm("", "1", "1", "hours");

    static final int MAX_NAME = 100;
    static final int MAX_USES = 10_000;
    /** Inputs of the form by the field names platform-api gives its violations, for {@code FormError.beside}. */
    static final Map<String, String> INPUTS = Map.of("name", "name", "uses", "uses", "expires_in_seconds", "validity");

    /** The inputs as posted, trimmed; nothing posted is the empty string. */
    static EnrolmentTokenForm typed(String name, String uses, String validity, String unit) {
        return new EnrolmentTokenForm(trim(name), trim(uses), trim(validity), trim(unit));
    }

    /** Whether {@code option} is the unit chosen, for the select. */
    public boolean unitIs(String option) {
        return option.equals(unit);
    }

    /**
     * The request to send, or null with a message per input (by input name: name, uses, validity) in {@code errors}
     * when the name is empty or too long, the uses are not a whole number from 1 to 10,000, or the validity is not a
     * whole number of hours or days from 1.
     */
    NewEnrolmentToken request(Map<String, String> errors) {
        if (name.isEmpty()) {
            errors.put("name", "give the token a name, e.g. the node it is for");
        } else if (name.length() > MAX_NAME) {
            errors.put("name", "at most 100 characters");
        }
        Long count = whole(uses);
        if (count == null || count < 1 || count > MAX_USES) {
            errors.put("uses", "a whole number from 1 to 10,000");
        }
        Long amount = whole(validity);
        long unitSeconds = switch (unit) {
            case "hours" -> 3_600L;
            case "days" -> 86_400L;
            default -> 0L;
        };
        if (amount == null || amount < 1) {
            errors.put("validity", "a whole number of hours or days, at least 1");
        } else if (unitSeconds == 0) {
            errors.put("validity", "choose hours or days");
        }
        if (!errors.isEmpty()) {
            return null;
        }
        return new NewEnrolmentToken(name, count.intValue(), amount * unitSeconds);
    }

    /** A whole number of at most 9 digits (so that days in seconds still fit), else null. */
    private static Long whole(String typed) {
        return typed.matches("[0-9]{1,9}") ? Long.parseLong(typed) : null;
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
