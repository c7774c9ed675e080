package io.aiaas.protocol;

import com.fasterxml.jackson.core.io.NumberInput;

import java.math.BigDecimal;

/**
 * Writes a float as the shortest decimal that reads back as the same float, into a byte array, allocating nothing
 * in the common case. The digits are those the JDK 19+ {@code Float.toString} specifies (shortest; of those the
 * closest, a tie to the even digit; a one-digit result may become the closer two-digit one), the layout that of {@code Float.toString}:
 * plain for 10^-3 <= |v| < 10^7 ({@code 0.001}, {@code 123.5}, {@code 1.0}), otherwise {@code 1.0E-5}.
 * <p>
 * How: the interval of reals that round to v is known exactly (half-way to each neighbour). Scaled by a power of
 * ten with double arithmetic, its ends are known within a tiny error; every multiple of 10^j that may lie inside
 * (with a margin far above that error) is checked exactly by converting it back to float, so the approximation
 * only proposes and the exact conversion decides.
 */
final class FloatText {

    /** Longest output: sign, 9 digits, point, "E-45". */
    static final int MAX_LENGTH = 16;

    private static final int K_MIN = -32;
    private static final int K_MAX = 56;
    /** 10^k for k in [K_MIN, K_MAX], each the double nearest to it. */
    private static final double[] SCALE = new double[K_MAX - K_MIN + 1];
    /** 10^-j for j in [-1, 11]. */
    private static final double[] INVERSE_UNIT = new double[13];
    /** Candidates this close to an end of the interval (in units) are checked too; the error is below 1e-4. */
    private static final double MARGIN = 1e-3;

    static {
        for (int k = K_MIN; k <= K_MAX; k++) {
            SCALE[k - K_MIN] = Double.parseDouble("1e" + k);
        }
        for (int j = -1; j <= 11; j++) {
            INVERSE_UNIT[j + 1] = Double.parseDouble("1e" + (-j));
        }
    }

    private final char[] scratch = new char[32];
    private final byte[] digits = new byte[9];

    /**
     * Writes finite {@code v} at {@code pos} and returns the position after it; {@code out} needs
     * {@link #MAX_LENGTH} bytes free.
     */
    int write(float v, byte[] out, int pos) {
        if (Float.floatToRawIntBits(v) < 0) {
            out[pos++] = '-';
            v = -v;
        }
        if (v == 0) {
            out[pos] = '0';
            out[pos + 1] = '.';
            out[pos + 2] = '0';
            return pos + 3;
        }
        double dv = v;
        double lo = (dv + Math.nextDown(v)) * 0.5;
        float up = Math.nextUp(v);
        double hi = Float.isInfinite(up) ? dv + (dv - Math.nextDown(v)) * 0.5 : (dv + up) * 0.5;

        // scale so that v has 9 digits before the point: at that level an integer always lies in the interval
        int k = 8 - (int) Math.floor(Math.getExponent(dv) * 0.30102999566398120);
        double vs = dv * SCALE[k - K_MIN];
        if (vs >= 1e9) {
            k--;
            vs = dv * SCALE[k - K_MIN];
        } else if (vs < 1e8) {
            k++;
            vs = dv * SCALE[k - K_MIN];
        }
        double scale = SCALE[k - K_MIN];
        double ls = lo * scale;
        double hs = hi * scale;
        // the coarsest level whose unit may have a multiple in the interval (the margin makes "may" a superset)
        int top = 0;
        while (top < 10 && floor(hs * INVERSE_UNIT[top + 2] + MARGIN) >= ceil(ls * INVERSE_UNIT[top + 2] - MARGIN)) {
            top++;
        }
        for (int j = top; j >= -1; j--) {
            long best = closest(ls, hs, vs, INVERSE_UNIT[j + 1], j - k, v);
            if (best < 0) {
                continue;
            }
            int exponent = j - k;
            if (best < 10 && j > 0) {
                // One digit: the closest decimal of one or two digits is the answer. Two digits may sit one level
                // down (1.5) or, when the one digit is a power of ten, two levels down (9.8E-45 against 1.0E-44).
                long finest = best * 100;
                double scaled = vs * INVERSE_UNIT[j - 1];
                long oneDown = closest(ls, hs, vs, INVERSE_UNIT[j], exponent - 1, v);
                long twoDown = closest(ls, hs, vs, INVERSE_UNIT[j - 1], exponent - 2, v);
                if (oneDown > 0 && closer(oneDown * 10, finest, scaled, v, exponent - 2)) {
                    finest = oneDown * 10;
                }
                if (twoDown >= 10 && twoDown <= 99 && closer(twoDown, finest, scaled, v, exponent - 2)) {
                    finest = twoDown;
                }
                best = finest;
                exponent -= 2;
            }
            return format(best, exponent, out, pos);
        }
        throw new IllegalStateException("no shortest decimal for " + v); // unreachable: 9 digits always do
    }

    /** The multiple n of 10^exponent (one unit = 1/inverse scaled) that reads as v and is closest to it, or -1. */
    private long closest(double ls, double hs, double vs, double inverse, int exponent, float v) {
        long first = Math.max(1, ceil(ls * inverse - MARGIN));
        long last = floor(hs * inverse + MARGIN);
        if (first > last) {
            return -1;
        }
        double scaled = vs * inverse;
        long nearest = Math.round(scaled);
        if (nearest >= first && nearest <= last && Math.abs(Math.abs(nearest - scaled) - 0.5) > MARGIN
                && roundsTo(nearest, exponent, v)) {
            return nearest; // the usual case: the decimal nearest to v reads as v, and no other is as near
        }
        return closestExactly(v, first, last, scaled, exponent);
    }

    // floor and ceil of the small non-negative (or barely negative) values used here, without Math's slow path
    private static long floor(double x) {
        return (long) x;
    }

    private static long ceil(double x) {
        long t = (long) x;
        return t < x ? t + 1 : t;
    }

    /** Whether a is closer to v than b, both multiples of 10^exponent and scaled their value in those units. */
    private static boolean closer(long a, long b, double scaled, float v, int exponent) {
        double da = Math.abs(a - scaled);
        double db = Math.abs(b - scaled);
        if (Math.abs(da - db) > MARGIN) {
            return da < db;
        }
        BigDecimal exact = new BigDecimal(v);
        int cmp = BigDecimal.valueOf(a, -exponent).subtract(exact).abs()
                .compareTo(BigDecimal.valueOf(b, -exponent).subtract(exact).abs());
        // a true tie (4194303.75 between .7 and .8) goes to the even last digit
        return cmp < 0 || (cmp == 0 && lastDigitEven(a) && !lastDigitEven(b));
    }

    private static boolean lastDigitEven(long n) {
        while (n % 10 == 0) {
            n /= 10;
        }
        return n % 2 == 0;
    }

    /** The candidates one by one; of those that read as v the closest, exactly when two are nearly as close. */
    private long closestExactly(float v, long first, long last, double scaled, int exponent) {
        long best = -1;
        for (long n = first; n <= last; n++) {
            if (roundsTo(n, exponent, v) && (best < 0 || closer(n, best, scaled, v, exponent))) {
                best = n;
            }
        }
        return best;
    }

    /** Whether the decimal n * 10^exponent reads as exactly v (positive). */
    private boolean roundsTo(long n, int exponent, float v) {
        double d = DecimalMath.exactDouble(n, exponent);
        if (!Double.isNaN(d)) {
            float f = (float) d;
            if (!DecimalMath.onFloatMidpoint(d, f)) {
                return f == v;
            }
        }
        int len = 0;
        for (long rest = n; rest > 0; rest /= 10) {
            len++;
        }
        for (int p = len - 1; p >= 0; p--) {
            scratch[p] = (char) ('0' + (n % 10));
            n /= 10;
        }
        scratch[len++] = 'E';
        int e = exponent;
        if (e < 0) {
            scratch[len++] = '-';
            e = -e;
        }
        if (e >= 10) {
            scratch[len++] = (char) ('0' + e / 10);
        }
        scratch[len++] = (char) ('0' + e % 10);
        return NumberInput.parseFloat(scratch, 0, len, true) == v;
    }

    /** Lays out n (at most 9 digits) times 10^exponent as Float.toString does. */
    private int format(long n, int exponent, byte[] out, int pos) {
        while (n % 10 == 0) {
            n /= 10;
            exponent++;
        }
        // digits of n, most significant first
        int count = 0;
        for (int rest = (int) n; rest > 0; rest /= 10) {
            digits[9 - ++count] = (byte) ('0' + rest % 10);
        }
        int first = 9 - count;
        int e = exponent + count - 1; // n = d.ddd * 10^e
        if (e >= -3 && e < 7) {
            if (e >= 0) {
                for (int d = 0; d <= e; d++) {
                    out[pos++] = d < count ? digits[first + d] : (byte) '0';
                }
                out[pos++] = '.';
                if (count > e + 1) {
                    for (int d = e + 1; d < count; d++) {
                        out[pos++] = digits[first + d];
                    }
                } else {
                    out[pos++] = '0';
                }
            } else {
                out[pos++] = '0';
                out[pos++] = '.';
                for (int z = -1; z > e; z--) {
                    out[pos++] = '0';
                }
                for (int d = 0; d < count; d++) {
                    out[pos++] = digits[first + d];
                }
            }
            return pos;
        }
        out[pos++] = digits[first];
        out[pos++] = '.';
        if (count > 1) {
            for (int d = 1; d < count; d++) {
                out[pos++] = digits[first + d];
            }
        } else {
            out[pos++] = '0';
        }
        out[pos++] = 'E';
        if (e < 0) {
            out[pos++] = '-';
            e = -e;
        }
        if (e >= 10) {
            out[pos++] = (byte) ('0' + e / 10);
        }
        out[pos++] = (byte) ('0' + e % 10);
        return pos;
    }
}
