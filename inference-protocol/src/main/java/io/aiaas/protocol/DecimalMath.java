package io.aiaas.protocol;

/**
 * Exact decimal-to-binary conversions that need no allocation, for the common shapes of JSON numbers. Each method
 * either returns the correctly rounded result (what {@link Float#parseFloat} or {@link Double#parseDouble} return for
 * the same decimal) or {@code NaN} when it cannot prove it, and the caller then takes the general, slower path.
 */
final class DecimalMath {

    /** 10^0 .. 10^22: every one is exactly a double. */
    static final double[] POW10 = new double[23];
    /** 10^0 .. 10^18 as longs. */
    static final long[] LONG_POW10 = new long[19];
    /** Mantissas below this are exact doubles (2^53). */
    private static final long EXACT_DOUBLE_MANTISSA = 1L << 53;

    static {
        double d = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = d;
            d *= 10;
        }
        long l = 1;
        for (int i = 0; i < LONG_POW10.length; i++) {
            LONG_POW10[i] = l;
            l *= 10;
        }
    }

    private DecimalMath() {
    }

    /**
     * Clinger's fast path: {@code m * 10^e10} correctly rounded to a double when {@code m < 2^53} and
     * {@code |e10| <= 22}, because both operands are then exact and IEEE rounds the one operation correctly;
     * NaN otherwise.
     */
    static double exactDouble(long m, int e10) {
        if (m < 0 || m >= EXACT_DOUBLE_MANTISSA || e10 < -22 || e10 > 22) {
            return Double.NaN;
        }
        return e10 < 0 ? m / POW10[-e10] : m * POW10[e10];
    }

    /**
     * The float nearest to the decimal {@code m * 10^e10} (m written with {@code digits} digits, at most 18, leading
     * zeros allowed), or NaN when it cannot be proven cheaply.
     * <p>
     * Rounding a correctly rounded double to float again can go wrong only when the double lands exactly on the
     * midpoint between two floats (the midpoints are doubles, and rounding is monotonic), so that case is refused.
     * A mantissa too long for a double is cut to 15 digits: the decimal then lies in [lo, hi) of two decimals that
     * are exact cases, and when both round to the same float the decimal does too.
     */
    static float nearestFloat(long m, int digits, int e10) {
        if (m < LONG_POW10[15]) {
            double d = exactDouble(m, e10);
            if (Double.isNaN(d)) {
                return Float.NaN;
            }
            float f = (float) d;
            return onFloatMidpoint(d, f) ? Float.NaN : f;
        }
        if (digits > 18) {
            return Float.NaN;
        }
        int cut = digits - 15;
        while (m < LONG_POW10[14 + cut]) {
            cut--; // leading zeros: fewer digits to cut
        }
        long head = m / LONG_POW10[cut];
        double lo = exactDouble(head, e10 + cut);
        double hi = exactDouble(head + 1, e10 + cut);
        if (Double.isNaN(lo) || Double.isNaN(hi)) {
            return Float.NaN;
        }
        float fLo = (float) lo;
        float fHi = (float) hi;
        if (fLo != fHi || onFloatMidpoint(lo, fLo) || onFloatMidpoint(hi, fHi)) {
            return Float.NaN;
        }
        return fLo;
    }

    /** Whether the double {@code d}, which rounds to {@code f}, lies exactly halfway between f and a neighbour. */
    static boolean onFloatMidpoint(double d, float f) {
        if (Math.abs(d) >= Float.MIN_NORMAL && Math.abs(f) <= Float.MAX_VALUE) {
            // a normal float has 24 significant bits, the double 53: d is a midpoint iff its 29 extra bits are 10...0
            return (Double.doubleToRawLongBits(d) & 0x1FFF_FFFFL) == 0x1000_0000L;
        }
        double fd = f;
        if (fd == d) {
            return false;
        }
        float other = d > fd ? Math.nextUp(f) : Math.nextDown(f);
        if (Float.isInfinite(other) || Float.isInfinite(f)) {
            return true;
        }
        // two neighbouring floats have 24-bit significands: their sum and its half are exact doubles
        return (fd + (double) other) * 0.5 == d;
    }
}
