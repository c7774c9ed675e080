package io.aiaas.platform.billing.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * Amounts in nano-units (1e-9 of a currency unit) as the decimal strings and minor units that people and payment
 * systems read. Integer and {@link BigDecimal} arithmetic only, never floating point.
 */
public final class Money {

    private static final int NANO_SCALE = 9;
    private static final long NANOS_PER_UNIT = 1_000_000_000L;

    private Money() {
    }

    /** The currency's minor-unit digits (2 for USD and EUR, 0 for JPY, 3 for KWD); 2 when the code is unknown. */
    public static int fractionDigits(String currency) {
        if (currency == null) {
            return 2;
        }
        try {
            return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException e) {
            return 2;
        }
    }

    /** The amount rounded once, half to even, to the currency's minor units: 12,345,000,000 nanos USD = 1235. */
    public static long toMinorUnits(long nanos, String currency) {
        return BigDecimal.valueOf(nanos).movePointLeft(NANO_SCALE - fractionDigits(currency))
                .setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /** Minor units as a decimal string with the currency's digits: 1235 USD = "12.35". */
    public static String minorDecimal(long minor, String currency) {
        return BigDecimal.valueOf(minor, fractionDigits(currency)).toPlainString();
    }

    /**
     * {@code 1500000} nano-units as {@code "0.0015"}: the exact amount, no more digits than needed. Every inference
     * answer's cost header is written with it, so it divides instead of building a BigDecimal (which showed in the
     * gateway's profile); the same digits.
     */
    public static String ofNanos(long nanos) {
        if (nanos == 0) {
            return "0";
        }
        if (nanos == Long.MIN_VALUE) { // no positive counterpart to divide
            return BigDecimal.valueOf(nanos, NANO_SCALE).stripTrailingZeros().toPlainString();
        }
        long abs = Math.abs(nanos);
        long fraction = abs % NANOS_PER_UNIT;
        StringBuilder out = new StringBuilder(24);
        if (nanos < 0) {
            out.append('-');
        }
        out.append(abs / NANOS_PER_UNIT);
        if (fraction != 0) {
            String digits = Long.toString(fraction + NANOS_PER_UNIT); // "1" and nine digits, the leading zeros kept
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            out.append('.').append(digits, 1, end);
        }
        return out.toString();
    }

    /** {@code 12500000} micro-units as {@code "12.5"}. */
    public static String ofMicros(long micros) {
        return micros == 0 ? "0" : BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
    }

    /**
     * The exact amount as a decimal string with at least the currency's digits and no more than needed:
     * 12,500,000,000 nanos USD = "12.50", 123,000 nanos = "0.000123".
     */
    public static String exactDecimal(long nanos, String currency) {
        BigDecimal value = BigDecimal.valueOf(nanos, NANO_SCALE).stripTrailingZeros();
        int digits = fractionDigits(currency);
        if (value.scale() < digits) {
            value = value.setScale(digits, RoundingMode.UNNECESSARY);
        }
        return value.toPlainString();
    }
}
