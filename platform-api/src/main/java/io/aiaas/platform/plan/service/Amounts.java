package io.aiaas.platform.plan.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * Amounts for people, without floating point: micro-units (1e-6) and nano-units (1e-9) of a currency as exact decimal
 * strings with at least the currency's minor digits ({@code 12500000} micro-USD is {@code "12.50"}, {@code 1234} is
 * {@code "0.001234"}, one million micro-JPY is {@code "1"}), and compute time in seconds.
 */
public final class Amounts {

    private static final int DEFAULT_MINOR_DIGITS = 2;

    private Amounts() {
    }

    /** Micro-units as a decimal string of the currency (null currency: two minor digits). */
    public static String micros(long micros, String currency) {
        return text(BigDecimal.valueOf(micros, 6), currency);
    }

    /** Nano-units as a decimal string of the currency. */
    public static String nanos(long nanos, String currency) {
        return text(BigDecimal.valueOf(nanos, 9), currency);
    }

    /** Nano-units rounded half up to micro-units, the unit plans state money in. */
    public static long nanosToMicros(long nanos) {
        return Math.floorDiv(Math.addExact(nanos, 500), 1000);
    }

    /** Microseconds as an exact number of seconds ({@code 1500000} is {@code 1.5}). */
    public static BigDecimal seconds(long micros) {
        return plain(BigDecimal.valueOf(micros, 6));
    }

    /** {@code used / limit} in percent, one decimal, rounded down (so 100.0 means the limit is reached). */
    public static BigDecimal percent(BigDecimal used, BigDecimal limit) {
        if (limit.signum() <= 0) {
            return BigDecimal.ZERO.setScale(1);
        }
        return used.multiply(BigDecimal.valueOf(100)).divide(limit, 1, RoundingMode.FLOOR);
    }

    /** The currency's minor digits (2 for USD, 0 for JPY), 2 when it is unknown. */
    public static int minorDigits(String currency) {
        if (currency == null) {
            return DEFAULT_MINOR_DIGITS;
        }
        try {
            int digits = Currency.getInstance(currency).getDefaultFractionDigits();
            return digits < 0 ? DEFAULT_MINOR_DIGITS : digits;
        } catch (IllegalArgumentException e) {
            return DEFAULT_MINOR_DIGITS;
        }
    }

    /** True for an ISO 4217 code that the JDK knows. */
    public static boolean isKnownCurrency(String currency) {
        try {
            Currency.getInstance(currency);
            return true;
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    private static String text(BigDecimal value, String currency) {
        BigDecimal stripped = plain(value);
        int digits = minorDigits(currency);
        return (stripped.scale() < digits ? stripped.setScale(digits) : stripped).toPlainString();
    }

    /** Without trailing zeros, and never in exponent notation (a scale below 0 becomes 0). */
    private static BigDecimal plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
