package io.aiaas.protocol;

/**
 * Lays out a decimal f * 10^e the way Java's {@code Float.toString} and {@code Double.toString} do (plain notation
 * for 10^-3 <= value < 10^7, otherwise d.ddd E exponent; at least one digit after the point), straight into a byte
 * array: the shared last step of {@link FloatText} and {@link DoubleText}, which find the shortest f and e.
 */
final class DecimalLayout {

    private static final long[] POW10 = new long[19];
    /** "00" to "99". */
    private static final byte[] PAIRS = new byte[200];

    static {
        POW10[0] = 1;
        for (int n = 1; n < POW10.length; n++) {
            POW10[n] = POW10[n - 1] * 10;
        }
        for (int n = 0; n < 100; n++) {
            PAIRS[2 * n] = (byte) ('0' + n / 10);
            PAIRS[2 * n + 1] = (byte) ('0' + n % 10);
        }
    }

    private DecimalLayout() {
    }

    /** Writes f * 10^e (f at most 17 digits, not 0) at pos; returns the position after it. */
    static int write(long f, int e, byte[] out, int pos) {
        while (f % 10 == 0) {
            f /= 10;
            e++;
        }
        int estimate = (64 - Long.numberOfLeadingZeros(f)) * 1233 >>> 12; // about log10(2^bits), never above
        int len = f >= POW10[estimate] ? estimate + 1 : estimate;
        int sci = e + len - 1; // f * 10^e = d.ddd * 10^sci
        if (sci >= 0 && sci < 7) {
            int whole = sci + 1;
            if (len <= whole) {
                pos = digits(f, len, out, pos);
                for (int z = len; z < whole; z++) {
                    out[pos++] = '0';
                }
                out[pos] = '.';
                out[pos + 1] = '0';
                return pos + 2;
            }
            return point(f, len, whole, out, pos);
        }
        if (sci < 0 && sci >= -3) {
            out[pos++] = '0';
            out[pos++] = '.';
            for (int z = -1; z > sci; z--) {
                out[pos++] = '0';
            }
            return digits(f, len, out, pos);
        }
        if (len == 1) {
            out[pos] = (byte) ('0' + f);
            out[pos + 1] = '.';
            out[pos + 2] = '0';
            pos += 3;
        } else {
            pos = point(f, len, 1, out, pos);
        }
        out[pos++] = 'E';
        if (sci < 0) {
            out[pos++] = '-';
            sci = -sci;
        }
        if (sci >= 100) {
            out[pos++] = (byte) ('0' + sci / 100);
            sci %= 100;
            out[pos] = PAIRS[2 * sci];
            out[pos + 1] = PAIRS[2 * sci + 1];
            return pos + 2;
        }
        if (sci >= 10) {
            out[pos] = PAIRS[2 * sci];
            out[pos + 1] = PAIRS[2 * sci + 1];
            return pos + 2;
        }
        out[pos] = (byte) ('0' + sci);
        return pos + 1;
    }

    /** Writes the len digits of f with a point after the first whole of them (no division by a variable). */
    private static int point(long f, int len, int whole, byte[] out, int pos) {
        int end = digits(f, len, out, pos + 1);
        for (int d = 0; d < whole; d++) {
            out[pos + d] = out[pos + d + 1];
        }
        out[pos + whole] = '.';
        return end;
    }

    /** Writes n as exactly count digits (leading zeros included) at pos, two at a time; returns the end. */
    private static int digits(long n, int count, byte[] out, int pos) {
        int end = pos + count;
        int at = end;
        while (n > Integer.MAX_VALUE) { // doubles' upper digits in long arithmetic, the rest (all of a float's) in int
            int r = (int) (n % 100);
            n /= 100;
            out[at - 1] = PAIRS[2 * r + 1];
            out[at - 2] = PAIRS[2 * r];
            at -= 2;
            count -= 2;
        }
        int m = (int) n;
        while (count >= 2) {
            int r = m % 100;
            m /= 100;
            out[at - 1] = PAIRS[2 * r + 1];
            out[at - 2] = PAIRS[2 * r];
            at -= 2;
            count -= 2;
        }
        if (count == 1) {
            out[at - 1] = (byte) ('0' + m);
        }
        return end;
    }
}
