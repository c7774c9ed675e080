package io.aiaas.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.io.NumberInput;
import io.aiaas.engine.TensorType;

/**
 * The tensor level of {@link FastRequestDecoder}: reads one tensor's {@code data}, flat or nested as its shape,
 * straight into the typed array of its datatype, each value checked against the datatype's range as on the Jackson
 * path.
 */
abstract class TensorDataScanner extends JsonScanner {

    private static final int BOOL = 0, INT = 1, FLOAT = 2, DOUBLE = 3;

    // the tensor being filled
    private int kind;
    TensorType type;
    private long min;
    private long max;
    Object data;
    private int count;
    private int expected;
    private float floatLimit;

    TensorDataScanner(JsonFactory factory, int maxStringLength, byte[] b, int offset, int length) {
        super(factory, maxStringLength, b, offset, length);
    }

    /**
     * The {@code data} value at {@link #i}, flat, nested or a lone scalar, into a new array of {@link #type} held in
     * {@link #data}; it must hold exactly as many values as {@code shape} says.
     */
    final void data(long[] shape) {
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
}
