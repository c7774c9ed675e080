package io.aiaas.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import io.aiaas.engine.Tensor;
import io.aiaas.engine.TensorType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decodes well-formed infer requests straight from the bytes: numbers go from the JSON text into the tensor's typed
 * array with no object per value. It accepts a subset of what the Jackson decoder accepts and produces the same
 * tensors for it; anything else (an error of any kind, BYTES tensors, escapes it cannot prove, duplicate fields,
 * unusual encodings or limits) makes {@link #decode} return null, and the caller runs the Jackson decoder, which
 * says what is wrong in its usual words. One instance decodes one body.
 */
final class FastRequestDecoder {

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

    private static final int BOOL = 0, INT = 1, FLOAT = 2, DOUBLE = 3;
    private static final VarHandle LITTLE_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final JsonFactory factory;
    private final int maxStringLength;
    private final byte[] b;
    private final int end;
    private int i;
    private int depth;
    private final char[] scratch = new char[MAX_NUMBER_LENGTH];

    // the tensor being filled
    private int kind;
    private TensorType type;
    private long min;
    private long max;
    private Object data;
    private int count;
    private int expected;

    private FastRequestDecoder(JsonFactory factory, int maxStringLength, byte[] b, int offset, int length) {
        this.factory = factory;
        this.maxStringLength = maxStringLength;
        this.b = b;
        this.i = offset;
        this.end = offset + length;
    }

    /** The request, or null when the body is not one the fast path can prove it decodes as Jackson would. */
    static InferenceRequest decode(JsonFactory factory, int maxStringLength, byte[] body, int offset, int length) {
        try {
            return new FastRequestDecoder(factory, maxStringLength, body, offset, length).request();
        } catch (RuntimeException e) {
            // Fallback, or anything unforeseen: the Jackson path is the reference and answers instead
            return null;
        }
    }

    private static Fallback fallback() {
        return Fallback.INSTANCE;
    }

    private InferenceRequest request() {
        if (next() != '{') {
            throw fallback();
        }
        enter();
        i++;
        String id = null;
        List<Tensor> inputs = null;
        List<String> outputs = null;
        boolean seenId = false;
        boolean seenParameters = false;
        boolean binaryDataOutput = false;
        Set<String> binaryOutputs = new HashSet<>();
        if (next() == '}') {
            i++;
        } else {
            do {
                String field = fieldName();
                switch (field) {
                    case "id" -> {
                        seenId = once(seenId);
                        id = checkedText(string());
                    }
                    case "parameters" -> {
                        seenParameters = once(seenParameters);
                        binaryDataOutput = Boolean.TRUE.equals(flag("binary_data_output"));
                    }
                    case "inputs" -> {
                        once(inputs != null);
                        inputs = inputs();
                    }
                    case "outputs" -> {
                        once(outputs != null);
                        outputs = outputs(binaryOutputs);
                    }
                    default -> skipValue();
                }
            } while (commaOr('}'));
        }
        depth--;
        if (next() != -1 || inputs == null) {
            throw fallback();
        }
        return new InferenceRequest(id, inputs, outputs == null ? List.of() : outputs, binaryOutputs, binaryDataOutput);
    }

    private List<Tensor> inputs() {
        expect('[');
        enter();
        List<Tensor> inputs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (next() == ']') {
            i++;
        } else {
            do {
                Tensor tensor = input();
                if (!names.add(tensor.name())) {
                    throw fallback();
                }
                inputs.add(tensor);
            } while (commaOr(']'));
        }
        depth--;
        return inputs;
    }

    private Tensor input() {
        expect('{');
        enter();
        String name = null;
        long[] shape = null;
        type = null;
        data = null;
        int earlyData = -1;
        boolean seenParameters = false;
        if (next() == '}') {
            throw fallback();
        }
        do {
            String field = fieldName();
            switch (field) {
                case "name" -> {
                    once(name != null);
                    name = checkedText(string());
                    if (name.isEmpty()) {
                        throw fallback();
                    }
                }
                case "datatype" -> {
                    once(type != null);
                    type = TensorType.fromProtocolName(string());
                    if (type == TensorType.BYTES) {
                        throw fallback(); // strings stay with Jackson
                    }
                }
                case "shape" -> {
                    once(shape != null);
                    shape = shape();
                }
                case "parameters" -> {
                    seenParameters = once(seenParameters);
                    // binary inputs are the Jackson path's: their JSON header is small
                    if (flag("binary_data_size") != null) {
                        throw fallback();
                    }
                }
                case "data" -> {
                    once(data != null || earlyData >= 0);
                    if (name != null && type != null && shape != null) {
                        data(shape);
                    } else {
                        // Field order in JSON is free: come back once the declaration is complete.
                        earlyData = skipWhitespace();
                        skipValue();
                    }
                }
                default -> skipValue();
            }
        } while (commaOr('}'));
        depth--;
        if (name == null || type == null || shape == null || (data == null && earlyData < 0)) {
            throw fallback();
        }
        if (data == null) {
            int resume = i;
            i = earlyData;
            data(shape);
            i = resume;
        }
        return Tensor.of(name, type, shape, data);
    }

    private long[] shape() {
        expect('[');
        long[] dims = new long[8];
        int n = 0;
        if (next() == ']') {
            i++;
            return new long[0];
        }
        do {
            next();
            if (n == dims.length) {
                dims = java.util.Arrays.copyOf(dims, n * 2);
            }
            dims[n++] = nonNegativeInteger();
        } while (commaOr(']'));
        return java.util.Arrays.copyOf(dims, n);
    }

    private long nonNegativeInteger() {
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

    /**
     * A {@code parameters} object: the value of {@code key} when it is true or false, null when absent; any other
     * value of it goes to Jackson.
     */
    private Boolean flag(String key) {
        expect('{');
        enter();
        Boolean value = null;
        if (next() == '}') {
            i++;
        } else {
            do {
                String field = fieldName();
                if (field.equals(key)) {
                    once(value != null);
                    if (literal("true")) {
                        value = true;
                    } else if (literal("false")) {
                        value = false;
                    } else {
                        throw fallback();
                    }
                } else {
                    skipValue();
                }
            } while (commaOr('}'));
        }
        depth--;
        return value;
    }

    private List<String> outputs(Set<String> binaryOutputs) {
        expect('[');
        enter();
        Set<String> names = new LinkedHashSet<>();
        if (next() == ']') {
            i++;
        } else {
            do {
                expect('{');
                enter();
                String name = null;
                Boolean binary = null;
                boolean seenParameters = false;
                if (next() == '}') {
                    throw fallback();
                }
                do {
                    String field = fieldName();
                    if (field.equals("name")) {
                        once(name != null);
                        name = checkedText(string());
                    } else if (field.equals("parameters")) {
                        seenParameters = once(seenParameters);
                        binary = flag("binary_data");
                    } else {
                        skipValue();
                    }
                } while (commaOr('}'));
                depth--;
                if (name == null || name.isEmpty()) {
                    throw fallback();
                }
                names.add(name);
                if (Boolean.TRUE.equals(binary)) {
                    binaryOutputs.add(name);
                } else {
                    binaryOutputs.remove(name);
                }
            } while (commaOr(']'));
        }
        depth--;
        return List.copyOf(names);
    }

    // ---- tensor data ----

    private void data(long[] shape) {
        long elements = 1;
        for (long dim : shape) {
            elements *= dim;
            if (elements > Integer.MAX_VALUE - 8) {
                throw fallback();
            }
        }
        // Every value but the last takes at least two bytes: a shape the body cannot fill allocates nothing.
        if (elements > (end - i) / 2 + 1) {
            throw fallback();
        }
        expected = (int) elements;
        count = 0;
        start(type, expected);
        int c = next();
        if (c == '{') {
            throw fallback();
        }
        if (c != '[') {
            value();
        } else {
            i++;
            enter();
            c = next();
            if (c == '[') {
                nested(shape, 0);
            } else if (c == ']') {
                i++;
                depth--;
            } else {
                do {
                    next();
                    value();
                } while (commaOr(']'));
                depth--;
            }
        }
        if (count != expected) {
            throw fallback();
        }
    }

    /** Positioned on the first element of the array at {@code level}, which must hold shape[level] elements. */
    private void nested(long[] shape, int level) {
        if (level >= shape.length) {
            throw fallback();
        }
        boolean leaf = level == shape.length - 1;
        long elements = 0;
        if (next() == ']') {
            i++;
        } else {
            do {
                int c = next();
                if (c == '[') {
                    if (leaf) {
                        throw fallback();
                    }
                    i++;
                    enter();
                    nested(shape, level + 1);
                } else if (leaf && c != '{') {
                    value();
                } else {
                    throw fallback();
                }
                elements++;
            } while (commaOr(']'));
        }
        depth--;
        if (elements != shape[level]) {
            throw fallback();
        }
    }

    private void start(TensorType tensorType, int n) {
        switch (tensorType) {
            case BOOL -> {
                kind = BOOL;
                data = new boolean[n];
            }
            case INT8 -> integers(new byte[n], Byte.MIN_VALUE, Byte.MAX_VALUE);
            case UINT8 -> integers(new byte[n], 0, 255);
            case INT16 -> integers(new short[n], Short.MIN_VALUE, Short.MAX_VALUE);
            case UINT16 -> integers(new short[n], 0, 65535);
            case INT32 -> integers(new int[n], Integer.MIN_VALUE, Integer.MAX_VALUE);
            case UINT32 -> integers(new int[n], 0, 0xFFFF_FFFFL);
            case INT64 -> integers(new long[n], Long.MIN_VALUE, Long.MAX_VALUE);
            // beyond 2^63 - 1 UINT64 values need BigInteger: Jackson's path has it
            case UINT64 -> integers(new long[n], 0, Long.MAX_VALUE);
            case FP16 -> floats(new float[n], 65504f);
            case FP32 -> floats(new float[n], Float.POSITIVE_INFINITY);
            case FP64 -> {
                kind = DOUBLE;
                data = new double[n];
            }
            case BYTES -> throw fallback();
        }
    }

    private void integers(Object array, long lowest, long highest) {
        kind = INT;
        data = array;
        min = lowest;
        max = highest;
    }

    private float floatLimit;

    private void floats(float[] array, float limit) {
        kind = FLOAT;
        data = array;
        floatLimit = limit;
    }

    /** Parses the scalar at {@link #i} into the next slot of {@link #data}. */
    private void value() {
        if (count == expected) {
            throw fallback();
        }
        switch (kind) {
            case FLOAT -> ((float[]) data)[count] = floatValue();
            case INT -> storeInteger(integerValue());
            case DOUBLE -> ((double[]) data)[count] = doubleValue();
            default -> ((boolean[]) data)[count] = boolValue();
        }
        count++;
    }

    private void storeInteger(long v) {
        switch (type) {
            case INT8, UINT8 -> ((byte[]) data)[count] = (byte) v;
            case INT16, UINT16 -> ((short[]) data)[count] = (short) v;
            case INT32, UINT32 -> ((int[]) data)[count] = (int) v;
            default -> ((long[]) data)[count] = v;
        }
    }

    private boolean boolValue() {
        if (literal("true")) {
            return true;
        }
        if (literal("false")) {
            return false;
        }
        throw fallback();
    }

    // The number just scanned: value = (negative ? -1 : 1) * mantissa * 10^exponent.
    private boolean negative;
    private long mantissa;
    private int significantDigits;
    private int exponent;
    private boolean integral;
    private int numberStart;

    private long integerValue() {
        scanNumber();
        // 19 digits beyond Long.MAX_VALUE wrap below zero; more digits never fit
        if (!integral || significantDigits > 19 || mantissa < 0) {
            throw fallback();
        }
        long v = negative ? -mantissa : mantissa;
        if (v < min || v > max) {
            throw fallback();
        }
        return v;
    }

    private float floatValue() {
        scanNumber();
        float f;
        if (mantissa == 0) {
            f = 0f;
        } else if (integral && significantDigits <= 18) {
            f = (float) mantissa; // a long converts to float correctly rounded
        } else {
            f = DecimalMath.nearestFloat(mantissa, significantDigits, exponent);
            if (Float.isNaN(f)) {
                f = NumberInput.parseFloat(scratch, 0, copyMagnitude(), true);
            }
        }
        return checkedFloat(negative ? -f : f);
    }

    private float checkedFloat(float f) {
        float magnitude = Math.abs(f);
        if (magnitude < floatLimit) {
            return f;
        }
        // FP32 refuses only what rounds to infinity; FP16's limit is the double value's, as on the Jackson path
        if (magnitude > floatLimit || Float.isInfinite(f) || NumberInput.parseDouble(scratch, 0, copyMagnitude(), true) > floatLimit) {
            throw fallback();
        }
        return f;
    }

    private double doubleValue() {
        scanNumber();
        double d;
        if (mantissa == 0) {
            d = 0;
        } else {
            d = significantDigits <= 18 ? DecimalMath.exactDouble(mantissa, exponent) : Double.NaN;
            if (Double.isNaN(d)) {
                d = NumberInput.parseDouble(scratch, 0, copyMagnitude(), true);
            }
        }
        if (Double.isInfinite(d)) {
            throw fallback();
        }
        return negative ? -d : d;
    }

    /** Copies the number just scanned, without its sign, into {@link #scratch} for the general parsers. */
    private int copyMagnitude() {
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
    private void scanNumber() {
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
    private int next() {
        while (i < end) {
            byte c = b[i];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return c;
            }
            i++;
        }
        return -1;
    }

    private int skipWhitespace() {
        next();
        return i;
    }

    private void expect(char c) {
        if (next() != c) {
            throw fallback();
        }
        i++;
    }

    /** After a member or element: true on ',', false on {@code close}, otherwise the document is not for us. */
    private boolean commaOr(char close) {
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

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw fallback();
        }
    }

    private static boolean once(boolean seen) {
        if (seen) {
            throw fallback(); // a repeated field: Jackson's path keeps its exact semantics
        }
        return true;
    }

    private String fieldName() {
        String name = string();
        expect(':');
        next();
        return name;
    }

    private boolean literal(String word) {
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

    private static String checkedText(String text) {
        if (SafeText.hasUnpairedSurrogate(text)) {
            throw fallback();
        }
        return text;
    }

    /** A string value at {@link #i}: plain ASCII directly, anything with escapes or other bytes through Jackson. */
    private String string() {
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
    private void skipValue() {
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
