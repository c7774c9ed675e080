package io.aiaas.console.tenant;

import io.aiaas.console.web.MoneyInput;

/**
 * A monthly budget typed as a decimal amount of the plan's currency ("5", "12.50"), read as micro-units exactly
 * ("12.50" is 12,500,000), with the refusal worded for the person: a key's budget on the keys page, the tenant's
 * spending limit on the plan page. Each form names its amount and says how it takes the cap away.
 *
 * @param name the amount as the messages name it, e.g. "The monthly budget"
 * @param noCap how the form leaves no cap, e.g. "leave it empty for no cap"
 */
record BudgetInput(String name, String noCap) {

    /** The most a cap may be (platform-api's bound for a key's budget and the tenant's alike): 10^15 micro-units. */
    static final long MAX_MICROS = 1_000_000_000_000_000L;

    /**
     * The typed amount in micro-units; null when empty (no cap).
     *
     * @throws IllegalArgumentException with the message for the person when it is not a number, not above zero, has
     *         more than six decimals or is above {@link #MAX_MICROS}
     */
    Long micros(String typed) {
        if (typed == null || typed.isBlank()) {
            return null;
        }
        long micros;
        try {
            micros = MoneyInput.micros(typed, true);
        } catch (MoneyInput.Invalid invalid) {
            throw new IllegalArgumentException(switch (invalid.fault()) {
                case NOT_A_NUMBER -> name + " is not an amount: type one such as 5 or 12.50.";
                case TOO_SMALL -> name + " must be more than 0; " + noCap + ".";
                case TOO_PRECISE -> name + " has at most 6 decimals.";
                case TOO_LARGE -> tooLarge();
            });
        }
        if (micros > MAX_MICROS) {
            throw new IllegalArgumentException(tooLarge());
        }
        return micros;
    }

    private String tooLarge() {
        return name + " is too large: at most 1,000,000,000.";
    }
}
