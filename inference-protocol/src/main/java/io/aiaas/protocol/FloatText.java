package io.aiaas.protocol;

import java.math.BigInteger;

/**
 * Writes a float as the shortest decimal that reads back as the same float, into a byte array, allocating nothing.
 * The digits are those the JDK 19+ {@code Float.toString} specifies (shortest; of those the closest, a tie to the
 * even digit; a one-digit result may become the closer two-digit one), the layout that of {@code Float.toString}:
 * plain for 10^-3 <= |v| < 10^7 ({@code 0.001}, {@code 123.5}, {@code 1.0}), otherwise {@code 1.0E-5}.
 * <p>
 * How (Giulietti's Schubfach algorithm, written from the paper): a positive float is c * 2^q; the reals that round
 * to it form the interval of its half-way points to its neighbours, of width 2^q (3/4 of that at a power of two,
 * whose lower neighbour is closer). With k = floor(log10(width)), that interval holds at most one multiple of
 * 10^(k+1) and at least one of 10^k. So the answer is the multiple of 10^(k+1) if exactly one lies inside, else
 * the closer of floor(v / 10^k) and the next integer (in units of 10^k) that lies inside. Everything is compared
 * in quarter units: 4c, the ends 4c - 2 (4c - 1) and 4c + 2, each times 2^q / 10^k, which one 64 x 64-bit
 * multiplication by a 63-bit approximation of 10^-k from above (made at class init with BigInteger) gives as its
 * integer part and whether it has a fraction ("round to odd"), exactly: that is what the comparisons with the
 * multiples of 4 need. The exhaustive tests check every positive float of several binades, and the whole range
 * was checked once against Jackson's Schubfach (see docs/inference-protocol.md).
 */
final class FloatText {

    /** Longest output: sign, 9 digits, point, "E-45". */
    static final int MAX_LENGTH = 16;

    private static final int Q_MIN = -149;
    private static final int Q_MAX = 104;
    private static final int C_MIN = 1 << 23;
    /** Below this c (the smallest subnormals), c * 2^Q_MIN / 10^k has one digit: one more is made by 10c, 10^(k-1). */
    private static final int C_TINY = 8;

    /** k = floor(log10(2^q)), and for the asymmetric interval at a power of two floor(log10(3/4 * 2^q)). */
    private static final byte[] K = new byte[Q_MAX - Q_MIN + 1];
    private static final byte[] K_POWER_OF_TWO = new byte[Q_MAX - Q_MIN + 1];
    private static final int E_MIN = -31; // -k over all q
    private static final int E_MAX = 46;
    /** floor(10^e * 2^(62 - p)) + 1 with p = floor(log2(10^e)): 10^e from above, in [2^62, 2^63). */
    private static final long[] G = new long[E_MAX - E_MIN + 1];
    /** p = floor(log2(10^e)). */
    private static final int[] P = new int[E_MAX - E_MIN + 1];


    static {
        for (int e = E_MIN; e <= E_MAX; e++) {
            BigInteger ten = BigInteger.TEN.pow(Math.abs(e));
            // 10^e = ten or 1 / ten; p and the 63-bit approximation from above
            int p = e >= 0 ? ten.bitLength() - 1 : -ten.bitLength(); // 10^|e| is a power of two only for e = 0
            BigInteger g = e >= 0
                    ? shift(ten, 62 - p)
                    : BigInteger.ONE.shiftLeft(62 - p).divide(ten);
            g = g.add(BigInteger.ONE);
            if (g.bitLength() != 63) {
                throw new IllegalStateException("10^" + e + " does not fit 63 bits");
            }
            G[e - E_MIN] = g.longValueExact();
            P[e - E_MIN] = p;
        }
        for (int q = Q_MIN; q <= Q_MAX; q++) {
            K[q - Q_MIN] = (byte) floorLog10(BigInteger.ONE, q);
            K_POWER_OF_TWO[q - Q_MIN] = (byte) floorLog10(BigInteger.valueOf(3), q - 2);
            for (int k : new int[] {K[q - Q_MIN], K_POWER_OF_TWO[q - Q_MIN]}) {
                int h = q + P[-k - E_MIN] + 34;
                if (h < 0 || h > 37) {
                    throw new IllegalStateException("shift " + h + " for 2^" + q);
                }
            }
        }
    }

    private static BigInteger shift(BigInteger n, int bits) {
        return bits >= 0 ? n.shiftLeft(bits) : n.shiftRight(-bits);
    }

    /** The largest k with 10^k <= m * 2^q. */
    private static int floorLog10(BigInteger m, int q) {
        // compare m * 2^q with 10^k as integers: m * 2^max(q,0) * 10^max(-k,0) against 10^max(k,0) * 2^max(-q,0)
        int k = (int) Math.floor((Math.log10(m.doubleValue()) + q * Math.log10(2)));
        while (!atMost(k, m, q)) {
            k--;
        }
        while (atMost(k + 1, m, q)) {
            k++;
        }
        return k;
    }

    /** Whether 10^k <= m * 2^q. */
    private static boolean atMost(int k, BigInteger m, int q) {
        BigInteger left = BigInteger.TEN.pow(Math.max(k, 0)).shiftLeft(Math.max(-q, 0));
        BigInteger right = m.shiftLeft(Math.max(q, 0)).multiply(BigInteger.TEN.pow(Math.max(-k, 0)));
        return left.compareTo(right) <= 0;
    }

    /**
     * Writes finite {@code v} at {@code pos} and returns the position after it; {@code out} needs
     * {@link #MAX_LENGTH} bytes free.
     */
    int write(float v, byte[] out, int pos) {
        int bits = Float.floatToRawIntBits(v);
        if (bits < 0) {
            out[pos++] = '-';
            bits &= 0x7fff_ffff;
        }
        if (bits == 0) {
            out[pos] = '0';
            out[pos + 1] = '.';
            out[pos + 2] = '0';
            return pos + 3;
        }
        int biased = bits >>> 23;
        int t = bits & (C_MIN - 1);
        if (biased > 0) {
            return decimal(biased - 150, C_MIN | t, 0, out, pos); // (2^23 + t) * 2^(biased - 127 - 23)
        }
        return t < C_TINY ? decimal(Q_MIN, 10 * t, -1, out, pos) : decimal(Q_MIN, t, 0, out, pos);
    }

    /** The shortest decimal in the interval of c * 2^q (times 10^dk), written at pos. */
    private static int decimal(int q, int c, int dk, byte[] out, int pos) {
        int odd = c & 1; // the interval is open (its ends round to the even neighbour) when c is odd
        long cb = (long) c << 2;
        long cbr = cb + 2;
        long cbl;
        int k;
        if (c != C_MIN || q == Q_MIN) {
            cbl = cb - 2;
            k = K[q - Q_MIN];
        } else {
            cbl = cb - 1; // the lower neighbour is half as far
            k = K_POWER_OF_TWO[q - Q_MIN];
        }
        int e = -k - E_MIN;
        long g = G[e];
        int h = q + P[e] + 34;
        long vb = roundToOdd(g, cb << h);
        long vbl = roundToOdd(g, cbl << h);
        long vbr = roundToOdd(g, cbr << h);
        // s < 2^28 and the quarter units below 2^31: int arithmetic from here (a constant int divisor is a multiply)
        int s = (int) (vb >> 2);
        int vl = (int) vbl + odd;
        int vr = (int) vbr - odd;
        if (s >= 100) {
            // a multiple of 10^(k+1) inside: one digit shorter
            int sp = s / 10;
            int sp10 = 10 * sp;
            boolean upIn = vl <= sp10 << 2;
            boolean wpIn = sp10 + 10 << 2 <= vr;
            if (upIn != wpIn) {
                return DecimalLayout.write(upIn ? sp : sp + 1, k + 1, out, pos);
            }
        }
        int t = s + 1;
        boolean uIn = vl <= s << 2;
        boolean wIn = t << 2 <= vr;
        if (uIn != wIn) {
            return DecimalLayout.write(uIn ? s : t, k + dk, out, pos);
        }
        long cmp = vb - ((long) (s + t) << 1); // against the midpoint of s and t, in quarter units
        return DecimalLayout.write(cmp < 0 || cmp == 0 && (s & 1) == 0 ? s : t, k + dk, out, pos);
    }

    /**
     * cp * 2^(h - 64) * g / 2^32 in quarter units: its integer part, with the lowest bit set when it has a fraction
     * (so it compares with every even integer as the exact value does).
     */
    // g exceeds 10^-k * 2^(62 - p) by at most 1, so the product exceeds the exact one by cp * 2^(h - 64) < 2^26 *
    // 2^-27: under one unit of 2^-32, so an exact integer keeps a zero fraction. That no true fraction lies within
    // 2^-32 of an integer is the property the exhaustive check over all floats confirms.
    private static long roundToOdd(long g, long cp) {
        long x = Math.multiplyHigh(g, cp);
        return (x >>> 32) | (((x & 0xffff_ffffL) + 0xffff_ffffL) >>> 32);
    }
}
