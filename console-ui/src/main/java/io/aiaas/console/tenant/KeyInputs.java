package io.aiaas.console.tenant;

import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A key's settings as typed in the keys page's forms, read and checked before platform-api is asked (its bounds), with
 * the refusal worded for the person as the {@link IllegalArgumentException}'s message: a name, a limit of requests
 * per minute, a new expiry. A budget is read by {@link BudgetInput}, networks by {@link NetworksInput}.
 */
final class KeyInputs {

    /** The most requests per minute a key's own limit may allow (platform-api's bound). */
    static final int MAX_REQUESTS_PER_MINUTE = 1_000_000;

    /** The longest name of a key, trimmed (platform-api's bound). */
    static final int MAX_NAME = 100;

    private KeyInputs() {
    }

    /**
     * A limit of requests per minute typed as a whole number from 1 to 1,000,000 ("60"); null when empty (only the
     * plan's limits).
     *
     * @throws IllegalArgumentException with the message for the person when it is not a whole number, not at least 1
     *         or above 1,000,000
     */
    static Integer requestsPerMinute(String typed) {
        if (typed == null || typed.isBlank()) {
            return null;
        }
        String digits = typed.trim();
        if (!digits.matches("[+-]?[0-9]+")) {
            throw new IllegalArgumentException("The requests per minute must be a whole number, such as 60.");
        }
        BigInteger value = new BigInteger(digits);
        if (value.signum() <= 0) {
            throw new IllegalArgumentException(
                    "The requests per minute must be at least 1; leave it empty for the plan's limits only.");
        }
        if (value.compareTo(BigInteger.valueOf(MAX_REQUESTS_PER_MINUTE)) > 0) {
            throw new IllegalArgumentException("The requests per minute can be at most 1,000,000.");
        }
        return value.intValueExact();
    }

    /**
     * A key's name as typed, trimmed as platform-api keeps it ("  nightly  " is "nightly").
     *
     * @throws IllegalArgumentException with the message for the person when it is empty or blank, or longer than
     *         {@value #MAX_NAME} characters
     */
    static String name(String typed) {
        String name = typed == null ? "" : typed.trim();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("Give the key a name.");
        }
        if (name.length() > MAX_NAME) {
            throw new IllegalArgumentException("The name can be at most 100 characters.");
        }
        return name;
    }

    /**
     * A key's new expiry from its row's form: {@code at} with a date and time typed in UTC, as a {@code datetime-local}
     * input sends it ("2027-03-01T00:00", seconds optional) or with a space for the T; {@code never} is null.
     *
     * @throws IllegalArgumentException with the message for the person when neither is chosen, or the date and time
     *         is missing or is not one
     */
    static Instant expiresAt(String choice, String typed) {
        if ("never".equals(choice)) {
            return null;
        }
        if (!"at".equals(choice)) {
            throw new IllegalArgumentException("Choose a date and time (UTC) and Save expiry, or Never expires.");
        }
        if (typed == null || typed.isBlank()) {
            throw new IllegalArgumentException(
                    "Give the date and time the key stops working (UTC), or choose Never expires.");
        }
        try {
            return LocalDateTime.parse(typed.trim().replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notADateTime) {
            throw new IllegalArgumentException("The expiry is not a date and time (YYYY-MM-DD HH:MM, in UTC).");
        }
    }
}
