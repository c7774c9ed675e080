package io.aiaas.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The byte level of {@link FastRequestDecoder}: a cursor over one JSON body that checks its structure, strings and
 * numbers as strictly as Jackson would by default, and leaves through {@link #fallback()} wherever it cannot prove
 * that. The decoder extends it rather than holding one, so that one object per body reads the cursor's fields
 * directly.
 */
abstract class JsonScanner {

    /** Thrown to leave the fast path; carries no stack trace, so leaving is cheap. */
    private static final class Fallback extends RuntimeException {
        private static final Fallback INSTANCE = new Fallback();

        private Fallback() {
            super(null, null, false, false);
        }
    }

    /** Deeper documents go to Jackson, which applies the configured nesting limit. */
    private static final int MAX_DEPTH = 64;
    /** Longer numbers go to Jackson, which applies the configured number-length limit. */
    private static final int MAX_NUMBER_LENGTH = 64;

    private static final VarHandle LITTLE_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final JsonFactory factory;
    private final int maxStringLength;
    private final byte[] b;
    final int end;
    int i;
    int depth;
    final char[] scratch = new char[MAX_NUMBER_LENGTH];

    // The number just scanned: value = (negative ? -1 : 1) * mantissa * 10^exponent.
    boolean negative;
    long mantissa;
    int significantDigits;
    int exponent;
    boolean integral;
    private int numberStart;

    JsonScanner(JsonFactory factory, int maxStringLength, byte[] b, int offset, int length) {
        this.factory = factory;
        this.maxStringLength = maxStringLength;
        this.b = b;
        this.i = offset;
        this.end = offset + length;
    }

    /** The exception that leaves the fast path: always the same one. */
    static RuntimeException fallback() {
        return Fallback.INSTANCE;
    }

    // ---- numbers ----

    /** A shape's dimension at {@link #i}: digits only, at most 18 and no leading zero; anything else is for Jackson. */
    final long nonNegativeInteger() {
        int start = i;
        long value = 0;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            value = value * 10 + (b[i] - '0');
            i++;
        }
        int digits = i - start;
        if (digits == 0 || digits > 18 || (digits > 1 && b[start] == '0') || (i < end && isNumberChar(b[i]))) {
            throw fallback();
        }
        return value;
    }

    /** Copies the number just scanned, without its sign, into {@link #scratch} for the general parsers. */
    final int copyMagnitude() {
        int from = negative ? numberStart + 1 : numberStart;
        int n = i - from;
        for (int k = 0; k < n; k++) {
            scratch[k] = (char) b[from + k];
        }
        return n;
    }

    /**
     * Scans a JSON number at {@link #i} (strict grammar: no leading zeros, '+', '.5' or '5.'), leaving the mantissa
     * and the decimal exponent. The common case, at most 18 digits, takes one tight pass; longer numbers the
     * careful one, which keeps the first 19 significant digits and counts the rest.
     */
    final void scanNumber() {
        final byte[] b = this.b;
        final int end = this.end;
        int start = i;
        int p = start;
        boolean minus = p < end && b[p] == '-';
        if (minus) {
            p++;
        }
        int intStart = p;
        long m = 0;
        int d;
        while (p < end && (d = b[p] - '0') >= 0 && d <= 9) {
            m = m * 10 + d;
            p++;
        }
        int intDigits = p - intStart;
        if (intDigits == 0 || (intDigits > 1 && b[intStart] == '0')) {
            throw fallback();
        }
        int fracDigits = 0;
        boolean isIntegral = true;
        if (p < end && b[p] == '.') {
            isIntegral = false;
            int fracStart = ++p;
            // eight digits at a time while there are eight (the usual float32 fraction is one such step)
            while (p + 8 <= end) {
                long chunk = (long) LITTLE_ENDIAN_LONG.get(b, p);
                if ((((chunk + 0x4646464646464646L) | (chunk - 0x3030303030303030L)) & 0x8080808080808080L) != 0) {
                    break;
                }
                m = m * 100_000_000 + eightDigits(chunk);
                p += 8;
            }
            while (p < end && (d = b[p] - '0') >= 0 && d <= 9) {
                m = m * 10 + d;
                p++;
            }
            fracDigits = p - fracStart;
            if (fracDigits == 0) {
                throw fallback();
            }
        }
        if (intDigits + fracDigits > 18) {
            scanLongNumber();
            return;
        }
        int exp = -fracDigits;
        if (p < end && (b[p] == 'e' || b[p] == 'E')) {
            isIntegral = false;
            p++;
            boolean negativeExp = false;
            if (p < end && (b[p] == '+' || b[p] == '-')) {
                negativeExp = b[p] == '-';
                p++;
            }
            int expStart = p;
            int e = 0;
            while (p < end && (d = b[p] - '0') >= 0 && d <= 9) {
                if (e < 100_000) {
                    e = e * 10 + d;
                }
                p++;
            }
            if (p == expStart) {
                throw fallback();
            }
            exp += negativeExp ? -e : e;
        }
        if (p - start > MAX_NUMBER_LENGTH || (p < end && isNumberChar(b[p]))) {
            throw fallback();
        }
        i = p;
        numberStart = start;
        negative = minus;
        mantissa = m;
        significantDigits = intDigits + fracDigits; // leading zeros included: at most 18 either way
        exponent = exp;
        integral = isIntegral;
    }

    /** {@link #scanNumber} for mantissas of more than 18 digits: 19 significant digits kept, the rest counted. */
    private void scanLongNumber() {
        int start = i;
        numberStart = start;
        negative = false;
        if (i < end && b[i] == '-') {
            negative = true;
            i++;
        }
        long m = 0;
        int digits = 0;
        int exp = 0;
        int intStart = i;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            int d = b[i] - '0';
            if (digits > 0 || d != 0) {
                if (digits < 19) {
                    m = m * 10 + d;
                } else {
                    exp++;
                }
                digits++;
            }
            i++;
        }
        int intDigits = i - intStart;
        if (intDigits == 0 || (intDigits > 1 && b[intStart] == '0')) {
            throw fallback();
        }
        boolean isIntegral = true;
        if (i < end && b[i] == '.') {
            isIntegral = false;
            i++;
            int fracStart = i;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                int d = b[i] - '0';
                if (digits > 0 || d != 0) {
                    if (digits < 19) {
                        m = m * 10 + d;
                        exp--;
                    }
                    digits++;
                } else {
                    exp--;
                }
                i++;
            }
            if (i == fracStart) {
                throw fallback();
            }
        }
        if (i < end && (b[i] == 'e' || b[i] == 'E')) {
            isIntegral = false;
            i++;
            boolean negativeExp = false;
            if (i < end && (b[i] == '+' || b[i] == '-')) {
                negativeExp = b[i] == '-';
                i++;
            }
            int expStart = i;
            int e = 0;
            while (i < end && b[i] >= '0' && b[i] <= '9') {
                if (e < 100_000) {
                    e = e * 10 + (b[i] - '0');
                }
                i++;
            }
            if (i == expStart) {
                throw fallback();
            }
            exp += negativeExp ? -e : e;
        }
        if (i - start > MAX_NUMBER_LENGTH || (i < end && isNumberChar(b[i]))) {
            throw fallback();
        }
        mantissa = m;
        significantDigits = digits;
        exponent = exp;
        integral = isIntegral;
    }

    /** The value of eight ASCII digits read as a little-endian long (first digit in the lowest byte). */
    private static long eightDigits(long chunk) {
        long v = chunk - 0x3030303030303030L;
        v = (v * 10) + (v >>> 8);
        v = (((v & 0x000000FF000000FFL) * 0x000F424000000064L)
                + (((v >>> 16) & 0x000000FF000000FFL) * 0x0000271000000001L)) >>> 32;
        return v;
    }

    private static boolean isNumberChar(byte c) {
        return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
    }

    // ---- structure ----

    /** Skips whitespace and returns the next byte without consuming it, or -1 at the end. */
    final int next() {
        while (i < end) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return c;
            }
            i++;
        }
        return -1;
    }

    final int skipWhitespace() {
        next();
        return i;
    }

    final void expect(char c) {
        if (next() != c) {
            throw fallback();
        }
        i++;
    }

    /** After a member or element: true on ',', false on {@code close}, otherwise the document is not for us. */
    final boolean commaOr(char close) {
        int c = next();
        i++;
        if (c == ',') {
            return true;
        }
        if (c == close) {
            return false;
        }
        throw fallback();
    }

    final void enter() {
        if (++depth > MAX_DEPTH) {
            throw fallback();
        }
    }


    final String fieldName() {
        String name = string();
        expect(':');
        next();
        return name;
    }

    final boolean literal(String word) {
        int n = word.length();
        if (end - i < n) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (b[i + k] != word.charAt(k)) {
                return false;
            }
        }
        if (i + n < end && Character.isLetterOrDigit(b[i + n])) {
            throw fallback();
        }
        i += n;
        return true;
    }

    static String checkedText(String text) {
        if (SafeText.hasUnpairedSurrogate(text)) {
            throw fallback();
        }
        return text;
    }

    /** A string value at {@link #i}: plain ASCII directly, anything with escapes or other bytes through Jackson. */
    final String string() {
        if (next() != '"') {
            throw fallback();
        }
        int start = ++i;
        while (i < end) {
            byte c = b[i];
            if (c == '"') {
                int length = i - start;
                i++;
                if (length > maxStringLength) {
                    throw fallback();
                }
                return new String(b, start, length, StandardCharsets.ISO_8859_1);
            }
            if (c == '\\' || c < 0x20) { // negative: a byte of a multi-byte UTF-8 sequence
                return escapedString(start - 1);
            }
            i++;
        }
        throw fallback();
    }

    /** The string starting at the quote at {@code quote}, decoded and validated by Jackson itself. */
    private String escapedString(int quote) {
        int k = quote + 1;
        while (k < end && b[k] != '"') {
            k += b[k] == '\\' ? 2 : 1;
        }
        if (k >= end) {
            throw fallback();
        }
        try (JsonParser p = factory.createParser(b, quote, k + 1 - quote)) {
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw fallback();
            }
            String text = p.getText();
            if (p.nextToken() != null) {
                throw fallback();
            }
            i = k + 1;
            return text;
        } catch (java.io.IOException e) {
            throw fallback();
        }
    }

    /** Skips any JSON value, checking it as strictly as Jackson would by default. */
    final void skipValue() {
        int c = next();
        switch (c) {
            case '{' -> {
                i++;
                enter();
                if (next() == '}') {
                    i++;
                } else {
                    do {
                        fieldName();
                        skipValue();
                    } while (commaOr('}'));
                }
                depth--;
            }
            case '[' -> {
                i++;
                enter();
                if (next() == ']') {
                    i++;
                } else {
                    do {
                        skipValue();
                    } while (commaOr(']'));
                }
                depth--;
            }
            case '"' -> string();
            case 't' -> requireLiteral("true");
            case 'f' -> requireLiteral("false");
            case 'n' -> requireLiteral("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    scanNumber();
                } else {
                    throw fallback();
                }
            }
        }
    }

    private void requireLiteral(String word) {
        if (!literal(word)) {
            throw fallback();
        }
    }
}
