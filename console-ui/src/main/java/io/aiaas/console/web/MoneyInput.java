package io.aiaas.console.web;

import java.math.BigDecimal;

/**
 * An amount of money typed into a form ("12.50") as micro-units of its currency, exactly (12,500,000): BigDecimal, no
 * floating point, at most six decimals. The forms word the faults for their own fields.
 */
public final class MoneyInput {

    /** Why a typed amount is refused, in the order the checks run. */
    public enum Fault {
        /** Not a decimal number ("2,50", "abc"). */
        NOT_A_NUMBER,
        /** Below what the form takes: negative, or (where only more than zero is an amount) zero or negative. */
        TOO_SMALL,
        /** More than six decimals: micro-units cannot hold it. */
        TOO_PRECISE,
        /** More micro-units than a long holds. */
        TOO_LARGE
    }

    /** A refused amount; {@link #fault} says why. */
    public static final class Invalid extends IllegalArgumentException {

        private final Fault fault;

        Invalid(Fault fault) {
            super(fault.name());
            this.fault = fault;
        }

        public Fault fault() {
            return fault;
        }
    }

    private MoneyInput() {
    }

    /**
     * @param typed the amount as typed, not empty (empty fields mean something different on each form)
     * @param positive whether only more than zero is an amount (a budget, a credit), else zero is too (a fee)
     * @throws Invalid when it is not such an amount
     */
    public static long micros(String typed, boolean positive) {
        BigDecimal value;
        try {
            value = new BigDecimal(typed.trim());
        } catch (NumberFormatException notANumber) {
            throw new Invalid(Fault.NOT_A_NUMBER);
        }
        if (positive ? value.signum() <= 0 : value.signum() < 0) {
            throw new Invalid(Fault.TOO_SMALL);
        }
        if (value.stripTrailingZeros().scale() > 6) {
            throw new Invalid(Fault.TOO_PRECISE);
        }
        try {
            return value.movePointRight(6).longValueExact();
        } catch (ArithmeticException tooLarge) {
            throw new Invalid(Fault.TOO_LARGE);
        }
    }
}
