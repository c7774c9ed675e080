package io.aiaas.protocol;

import java.math.BigInteger;

/**
 * Writes a double as the shortest decimal that reads back as the same double, into a byte array, allocating
 * nothing: the digits and layout of JDK 19+ {@code Double.toString} (and of Jackson's Schubfach writer), plain for
 * 10^-3 <= |v| < 10^7, otherwise {@code 1.0E-5}. The algorithm is {@link FloatText}'s (Schubfach) with 126-bit
 * approximations of 10^-k, made at class init with BigInteger, and two multiplications per end of the interval.
 */
final class DoubleText {

    /** Longest output: sign, 17 digits, point, "E-324". */
    static final int MAX_LENGTH = 25;

    private static final int Q_MIN = -1074;
    private static final int Q_MAX = 971;
    private static final long C_MIN = 1L << 52;
    /** Below this c (the smallest subnormals), c * 2^Q_MIN / 10^k has one digit: 10c at 10^(k-1) has two. */
    private static final long C_TINY = 3;

    private static final short[] K = new short[Q_MAX - Q_MIN + 1];
    private static final short[] K_POWER_OF_TWO = new short[Q_MAX - Q_MIN + 1];
    private static final int E_MIN = -292; // -k over all q
    private static final int E_MAX = 325;
    /** floor(10^e * 2^(125 - p)) + 1, p = floor(log2(10^e)), in [2^125, 2^126): its upper 63 bits, its lower 63. */
    private static final long[] G1 = new long[E_MAX - E_MIN + 1];
    private static final long[] G0 = new long[E_MAX - E_MIN + 1];
    private static final int[] P = new int[E_MAX - E_MIN + 1];


    static {
        BigInteger mask63 = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);
        for (int e = E_MIN; e <= E_MAX; e++) {
            BigInteger ten = BigInteger.TEN.pow(Math.abs(e));
            int p = e >= 0 ? ten.bitLength() - 1 : -ten.bitLength();
            BigInteger g = e >= 0
                    ? (125 - p >= 0 ? ten.shiftLeft(125 - p) : ten.shiftRight(p - 125))
                    : BigInteger.ONE.shiftLeft(125 - p).divide(ten);
            g = g.add(BigInteger.ONE);
            if (g.bitLength() != 126) {
                throw new IllegalStateException("10^" + e + " does not fit 126 bits");
            }
            G1[e - E_MIN] = g.shiftRight(63).longValueExact();
            G0[e - E_MIN] = g.and(mask63).longValueExact();
            P[e - E_MIN] = p;
        }
        // log10(2^q) is never within 1e-5 of an integer for q != 0 in this range, nor log10(3/4 * 2^q): doubles are exact here
        double log10of2 = Math.log10(2);
        double log10ofThreeQuarters = Math.log10(0.75);
        for (int q = Q_MIN; q <= Q_MAX; q++) {
            K[q - Q_MIN] = (short) Math.floor(q * log10of2);
            K_POWER_OF_TWO[q - Q_MIN] = (short) Math.floor(q * log10of2 + log10ofThreeQuarters);
            for (int k : new int[] {K[q - Q_MIN], K_POWER_OF_TWO[q - Q_MIN]}) {
                int h = q + P[-k - E_MIN] + 2;
                if (h < 0 || h > 7) {
                    throw new IllegalStateException("shift " + h + " for 2^" + q);
                }
            }
        }
    }

    /**
     * Writes finite {@code v} at {@code pos} and returns the position after it; {@code out} needs
     * {@link #MAX_LENGTH} bytes free.
     */
    int write(double v, byte[] out, int pos) {
        long bits = Double.doubleToRawLongBits(v);
        if (bits < 0) {
            out[pos++] = '-';
            bits &= Long.MAX_VALUE;
        }
        if (bits == 0) {
            out[pos] = '0';
            out[pos + 1] = '.';
            out[pos + 2] = '0';
            return pos + 3;
        }
        int biased = (int) (bits >>> 52);
        long t = bits & (C_MIN - 1);
        if (biased > 0) {
            return decimal(biased - 1075, C_MIN | t, 0, out, pos); // (2^52 + t) * 2^(biased - 1023 - 52)
        }
        return t < C_TINY ? decimal(Q_MIN, 10 * t, -1, out, pos) : decimal(Q_MIN, t, 0, out, pos);
    }

    private static int decimal(int q, long c, int dk, byte[] out, int pos) {
        int odd = (int) c & 1;
        long cb = c << 2;
        long cbr = cb + 2;
        long cbl;
        int k;
        if (c != C_MIN || q == Q_MIN) {
            cbl = cb - 2;
            k = K[q - Q_MIN];
        } else {
            cbl = cb - 1;
            k = K_POWER_OF_TWO[q - Q_MIN];
        }
        int e = -k - E_MIN;
        long g1 = G1[e];
        long g0 = G0[e];
        int h = q + P[e] + 2;
        long vb = roundToOdd(g1, g0, cb << h);
        long vbl = roundToOdd(g1, g0, cbl << h);
        long vbr = roundToOdd(g1, g0, cbr << h);
        long s = vb >> 2;
        if (s >= 100) {
            long sp = s / 10;
            long sp10 = 10 * sp;
            boolean upIn = vbl + odd <= sp10 << 2;
            boolean wpIn = (sp10 + 10 << 2) + odd <= vbr;
            if (upIn != wpIn) {
                return DecimalLayout.write(upIn ? sp : sp + 1, k + 1, out, pos);
            }
        }
        long t = s + 1;
        boolean uIn = vbl + odd <= s << 2;
        boolean wIn = (t << 2) + odd <= vbr;
        if (uIn != wIn) {
            return DecimalLayout.write(uIn ? s : t, k + dk, out, pos);
        }
        long cmp = vb - ((s + t) << 1);
        return DecimalLayout.write(cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : t, k + dk, out, pos);
    }

    /**
     * cp * (g1 * 2^63 + g0) / 2^127: its integer part, the lowest bit set when it has a fraction (of 2^-63 or more;
     * below that only the bias of g from above can be, never a true fraction).
     */
    private static long roundToOdd(long g1, long g0, long cp) {
        long x1 = Math.multiplyHigh(g0, cp);
        long y0 = g1 * cp;
        long y1 = Math.multiplyHigh(g1, cp);
        long z = (y0 >>> 1) + x1;
        long integer = y1 + (z >>> 63);
        return integer | (((z & Long.MAX_VALUE) + Long.MAX_VALUE) >>> 63);
    }
}
