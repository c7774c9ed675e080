package io.aiaas.platform.billing.pricing;

import java.math.BigDecimal;

/** Money as people read it: integer nano- or micro-units written as an exact decimal string, never a double. */
public final class Money {

    private Money() {
    }

    /** {@code 1500000} nano-units as {@code "0.0015"}. */
    public static String ofNanos(long nanos) {
        return nanos == 0 ? "0" : BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }

    /** {@code 12500000} micro-units as {@code "12.5"}. */
    public static String ofMicros(long micros) {
        return micros == 0 ? "0" : BigDecimal.valueOf(micros, 6).stripTrailingZeros().toPlainString();
    }
}
