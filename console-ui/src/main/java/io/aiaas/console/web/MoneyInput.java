package io.aiaas.console.web;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * An amount of money typed into a form ("12.50") as micro-units of its currency, exactly (12,500,000), or as its minor
 * units (1,250 cents; 12 for 12 JPY, which has none): BigDecimal, no floating point, never more decimals than the unit
 * holds. The forms word the faults for their own fields.
 */
public final class MoneyInput {

    /** Why a typed amount is refused, in the order the checks run. */
    public enum Fault {
        /** Not a decimal number ("2,50", "abc"). */
        NOT_A_NUMBER,
        /** Below what the form takes: negative, or (where only more than zero is an amount) zero or negative. */
        TOO_SMALL,
        /** More decimals than the unit holds: six for micro-units, the currency's own for minor units. */
        TOO_PRECISE,
        /** More units than a long holds. */
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
        return units(typed, positive, 6);
    }

    /**
     * A positive amount of a currency in its minor units, exactly: "1.2" USD is 120, "12" JPY is 12, "0.005" USD is
     * refused (USD has two decimals). A currency code Java does not know is taken to have two, as platform-api does.
     *
     * @param typed the amount as typed, not empty
     * @throws Invalid when it is not a positive amount of that currency
     */
    public static long minor(String typed, String currency) {
        return units(typed, true, fractionDigits(currency));
    }

    /** The currency's minor-unit digits (2 for USD and EUR, 0 for JPY, 3 for KWD); 2 when the code is unknown. */
    public static int fractionDigits(String currency) {
        if (currency == null) {
            return 2;
        }
        try {
            return Math.max(0, Currency.getInstance(currency.trim()).getDefaultFractionDigits());
        } catch (IllegalArgumentException unknown) {
            return 2;
        }
    }

    /** The typed amount times 10^decimals, exactly; refused when it has more decimals than that. */
    private static long units(String typed, boolean positive, int decimals) {
        BigDecimal value;
        try {
            value = new BigDecimal(typed.trim());
        } catch (NumberFormatException notANumber) {
            throw new Invalid(Fault.NOT_A_NUMBER);
        }
        if (positive ? value.signum() <= 0 : value.signum() < 0) {
            throw new Invalid(Fault.TOO_SMALL);
        }
        if (value.stripTrailingZeros().scale() > decimals) {
            throw new Invalid(Fault.TOO_PRECISE);
        }
        if (value.precision() - value.scale() > 19) {
            // more integer digits than a long holds, refused before "1e999999999" is expanded into a billion digits
            throw new Invalid(Fault.TOO_LARGE);
        }
        try {
            return value.movePointRight(decimals).longValueExact();
        } catch (ArithmeticException tooLarge) {
            throw new Invalid(Fault.TOO_LARGE);
        }
    }
}
