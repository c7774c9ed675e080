package io.aiaas.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import io.aiaas.engine.TensorType;

import java.io.IOException;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Collects the JSON values of one tensor into a growable flat Java array of the tensor's element type,
 * checking each value against the datatype's range as it is read.
 */
abstract class TensorDataBuffer {

    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final double FP16_MAX = 65504.0;
    // Grow in steps so that a huge declared shape cannot make us allocate before the values are there.
    private static final int INITIAL_CAPACITY = 1024;

    final String tensorName;
    final TensorType type;
    final int expected;
    int size;
    /** The flat array of the element type (boolean[], byte[], ..., byte[][]), of which {@link #size} are filled. */
    Object data;
    private int capacity;
    private final String kind;

    TensorDataBuffer(String tensorName, TensorType type, int expected, Class<?> elementType, String kind) {
        this.tensorName = tensorName;
        this.type = type;
        this.expected = expected;
        this.data = Array.newInstance(elementType, 0);
        this.kind = kind;
    }

    static TensorDataBuffer create(String tensorName, TensorType type, int expected) {
        return switch (type) {
            case BOOL -> new BoolBuffer(tensorName, expected);
            case UINT8, INT8 -> new ByteBuffer(tensorName, type, expected);
            case UINT16, INT16 -> new ShortBuffer(tensorName, type, expected);
            case UINT32, INT32 -> new IntBuffer(tensorName, type, expected);
            case UINT64, INT64 -> new LongBuffer(tensorName, type, expected);
            case FP16, FP32 -> new FloatBuffer(tensorName, type, expected);
            case FP64 -> new DoubleBuffer(tensorName, expected);
            case BYTES -> new BytesBuffer(tensorName, expected);
        };
    }

    /** The flat array holding exactly {@link #size} values. */
    final Object toArray() {
        return size == capacity ? data : copy(size);
    }

    /** Adds the scalar value the parser is positioned on. */
    final void add(JsonParser p) throws IOException {
        if (size == expected) {
            throw error("data has more than the " + expected + " values its shape calls for");
        }
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            throw error("data contains null; " + type + " expects " + kind);
        }
        if (size == capacity) {
            capacity = grownCapacity(capacity);
            data = copy(capacity);
        }
        put(p);
        size++;
    }

    /** Stores the scalar value the parser is positioned on at index {@link #size} of {@link #data}. */
    abstract void put(JsonParser p) throws IOException;

    private int grownCapacity(int current) {
        long grown = Math.max(INITIAL_CAPACITY, (long) current * 2);
        return (int) Math.min(grown, expected);
    }

    // Only on growth and at the end, never per value: the typed stores in put() stay plain array writes.
    private Object copy(int length) {
        Object copy = Array.newInstance(data.getClass().getComponentType(), length);
        System.arraycopy(data, 0, copy, 0, Math.min(size, length));
        return copy;
    }

    final ProtocolException error(String detail) {
        return new ProtocolException("input '" + SafeText.forMessage(tensorName, 100) + "': " + detail);
    }

    final long integer(JsonParser p, long min, long max) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw error("value " + describe(p) + " is not valid for " + type + ", which expects integers");
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw outOfRange(SafeText.forMessage(p.getText(), 40), min, max);
        }
        long value = p.getLongValue();
        if (value < min || value > max) {
            throw outOfRange(Long.toString(value), min, max);
        }
        return value;
    }

    final ProtocolException outOfRange(String value, Object min, Object max) {
        return error("value " + value + " is out of range for " + type + " (" + min + ".." + max + ")");
    }

    /**
     * The number the parser is on, exactly as {@link Double#parseDouble} reads its text (so {@code -0} is -0.0),
     * refusing a literal beyond double's range.
     */
    final double number(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw error("value " + describe(p) + " is not valid for " + type + ", which expects numbers");
        }
        double value = NumberInput.parseDouble(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), true);
        if (Double.isInfinite(value)) {
            // a literal beyond double's range (JSON has no infinity) would otherwise run as +-Inf
            throw floatOutOfRange(SafeText.forMessage(p.getText(), 40));
        }
        return value;
    }

    /** A number beyond this floating-point type's range, which the message states (not double's for FP32). */
    final ProtocolException floatOutOfRange(String text) {
        return switch (type) {
            case FP16 -> outOfRange(text, -65504, 65504);
            case FP32 -> outOfRange(text, -Float.MAX_VALUE, Float.MAX_VALUE);
            default -> outOfRange(text, -Double.MAX_VALUE, Double.MAX_VALUE);
        };
    }

    static String describe(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        String text = token == JsonToken.VALUE_STRING ? '"' + p.getText() + '"' : p.getText();
        return SafeText.forMessage(text, 40);
    }

    private static final class BoolBuffer extends TensorDataBuffer {
        BoolBuffer(String name, int expected) {
            super(name, TensorType.BOOL, expected, boolean.class, "true or false");
        }

        @Override
        void put(JsonParser p) throws IOException {
            JsonToken token = p.currentToken();
            if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
                throw error("value " + describe(p) + " is not valid for BOOL, which expects true or false");
            }
            ((boolean[]) data)[size] = token == JsonToken.VALUE_TRUE;
        }
    }

    private static final class ByteBuffer extends TensorDataBuffer {
        ByteBuffer(String name, TensorType type, int expected) {
            super(name, type, expected, byte.class, "integers");
        }

        @Override
        void put(JsonParser p) throws IOException {
            ((byte[]) data)[size] = type == TensorType.UINT8 ? (byte) integer(p, 0, 255) : (byte) integer(p, Byte.MIN_VALUE, Byte.MAX_VALUE);
        }
    }

    private static final class ShortBuffer extends TensorDataBuffer {
        ShortBuffer(String name, TensorType type, int expected) {
            super(name, type, expected, short.class, "integers");
        }

        @Override
        void put(JsonParser p) throws IOException {
            ((short[]) data)[size] = type == TensorType.UINT16 ? (short) integer(p, 0, 65535) : (short) integer(p, Short.MIN_VALUE, Short.MAX_VALUE);
        }
    }

    private static final class IntBuffer extends TensorDataBuffer {
        IntBuffer(String name, TensorType type, int expected) {
            super(name, type, expected, int.class, "integers");
        }

        @Override
        void put(JsonParser p) throws IOException {
            ((int[]) data)[size] = type == TensorType.UINT32 ? (int) integer(p, 0, 0xFFFF_FFFFL) : (int) integer(p, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
    }

    private static final class LongBuffer extends TensorDataBuffer {
        LongBuffer(String name, TensorType type, int expected) {
            super(name, type, expected, long.class, "integers");
        }

        @Override
        void put(JsonParser p) throws IOException {
            if (type == TensorType.INT64) {
                ((long[]) data)[size] = integer(p, Long.MIN_VALUE, Long.MAX_VALUE);
                return;
            }
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw error("value " + describe(p) + " is not valid for UINT64, which expects integers");
            }
            BigInteger value = p.getBigIntegerValue();
            if (value.signum() < 0 || value.compareTo(UINT64_MAX) > 0) {
                throw outOfRange(SafeText.forMessage(value.toString(), 40), 0, UINT64_MAX);
            }
            // Carried as the same 64 bits in a signed long, as the engine expects.
            ((long[]) data)[size] = value.longValue();
        }
    }

    private static final class FloatBuffer extends TensorDataBuffer {
        FloatBuffer(String name, TensorType type, int expected) {
            super(name, type, expected, float.class, "numbers");
        }

        @Override
        void put(JsonParser p) throws IOException {
            double value = number(p);
            // parsed as float, not (float) of the double: rounding twice can miss the nearest float
            float f = NumberInput.parseFloat(p.getTextCharacters(), p.getTextOffset(), p.getTextLength(), true);
            if (type == TensorType.FP16 ? Math.abs(value) > FP16_MAX : Float.isInfinite(f)) {
                // FP32: out of range when it rounds beyond the largest float, so 3.4028235E38 (its text) is in
                throw floatOutOfRange(SafeText.forMessage(p.getText(), 40));
            }
            ((float[]) data)[size] = f;
        }
    }

    private static final class DoubleBuffer extends TensorDataBuffer {
        DoubleBuffer(String name, int expected) {
            super(name, TensorType.FP64, expected, double.class, "numbers");
        }

        @Override
        void put(JsonParser p) throws IOException {
            ((double[]) data)[size] = number(p);
        }
    }

    private static final class BytesBuffer extends TensorDataBuffer {
        BytesBuffer(String name, int expected) {
            super(name, TensorType.BYTES, expected, byte[].class, "strings");
        }

        @Override
        void put(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw error("value " + describe(p) + " is not valid for BYTES, which expects strings");
            }
            // UTF-8 would silently turn an unpaired surrogate into '?': refuse it instead of changing the data
            String text = InferenceRequestDecoder.text(p, "input '" + tensorName + "': element " + size);
            ((byte[][]) data)[size] = text.getBytes(StandardCharsets.UTF_8);
        }
    }
}
