package io.aiaas.worker.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.aiaas.engine.TensorType;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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

    TensorDataBuffer(String tensorName, TensorType type, int expected) {
        this.tensorName = tensorName;
        this.type = type;
        this.expected = expected;
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
    abstract Object toArray();

    /** Adds the scalar value the parser is positioned on. */
    final void add(JsonParser p) throws IOException {
        if (size == expected) {
            throw error("data has more than the " + expected + " values its shape calls for");
        }
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            throw error("data contains null; " + type + " expects " + kind());
        }
        ensureCapacity();
        put(p);
        size++;
    }

    abstract void put(JsonParser p) throws IOException;

    abstract void ensureCapacity();

    abstract String kind();

    final int grownCapacity(int current) {
        long grown = Math.max(INITIAL_CAPACITY, (long) current * 2);
        return (int) Math.min(grown, expected);
    }

    final ProtocolException error(String detail) {
        return new ProtocolException("input '" + tensorName + "': " + detail);
    }

    final long integer(JsonParser p, long min, long max) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw error("value " + describe(p) + " is not valid for " + type + ", which expects integers");
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw outOfRange(p.getText(), min, max);
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

    final double number(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw error("value " + describe(p) + " is not valid for " + type + ", which expects numbers");
        }
        double value = p.getDoubleValue();
        if (Double.isInfinite(value)) {
            // a literal beyond double's range (JSON has no infinity) would otherwise run as +-Inf
            throw outOfRange(p.getText(), -Double.MAX_VALUE, Double.MAX_VALUE);
        }
        return value;
    }

    static String describe(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        String text = token == JsonToken.VALUE_STRING ? '"' + p.getText() + '"' : p.getText();
        return text.length() > 40 ? text.substring(0, 40) + "..." : text;
    }

    private static final class BoolBuffer extends TensorDataBuffer {
        private boolean[] data = new boolean[0];

        BoolBuffer(String name, int expected) {
            super(name, TensorType.BOOL, expected);
        }

        @Override
        void put(JsonParser p) throws IOException {
            JsonToken token = p.currentToken();
            if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
                throw error("value " + describe(p) + " is not valid for BOOL, which expects true or false");
            }
            data[size] = token == JsonToken.VALUE_TRUE;
        }

        @Override
        void ensureCapacity() {
            if (size == data.length) {
                data = Arrays.copyOf(data, grownCapacity(data.length));
            }
        }

        @Override
        String kind() {
            return "true or false";
        }

        @Override
        Object toArray() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }

    private static final class ByteBuffer extends TensorDataBuffer {
        private byte[] data = new byte[0];

        ByteBuffer(String name, TensorType type, int expected) {
            super(name, type, expected);
        }

        @Override
        void put(JsonParser p) throws IOException {
            data[size] = type == TensorType.UINT8 ? (byte) integer(p, 0, 255) : (byte) integer(p, Byte.MIN_VALUE, Byte.MAX_VALUE);
        }

        @Override
        void ensureCapacity() {
            if (size == data.length) {
                data = Arrays.copyOf(data, grownCapacity(data.length));
            }
        }

        @Override
        String kind() {
            return "integers";
        }

        @Override
        Object toArray() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }

    private static final class ShortBuffer extends TensorDataBuffer {
        private short[] data = new short[0];

        ShortBuffer(String name, TensorType type, int expected) {
            super(name, type, expected);
        }

        @Override
        void put(JsonParser p) throws IOException {
            data[size] = type == TensorType.UINT16 ? (short) integer(p, 0, 65535) : (short) integer(p, Short.MIN_VALUE, Short.MAX_VALUE);
        }

        @Override
        void ensureCapacity() {
            if (size == data.length) {
                data = Arrays.copyOf(data, grownCapacity(data.length));
            }
        }

        @Override
        String kind() {
            return "integers";
        }

        @Override
        Object toArray() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }

    private static final class IntBuffer extends TensorDataBuffer {
        private int[] data = new int[0];

        IntBuffer(String name, TensorType type, int expected) {
            super(name, type, expected);
        }

        @Override
        void put(JsonParser p) throws IOException {
            data[size] = type == TensorType.UINT32 ? (int) integer(p, 0, 0xFFFF_FFFFL) : (int) integer(p, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }

        @Override
        void ensureCapacity() {
            if (size == data.length) {
                data = Arrays.copyOf(data, grownCapacity(data.length));
            }
        }

        @Override
        String kind() {
            return "integers";
        }

        @Override
        Object toArray() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }

    private static final class LongBuffer extends TensorDataBuffer {
        private long[] data = new long[0];

        LongBuffer(String name, TensorType type, int expected) {
            super(name, type, expected);
        }

        @Override
        void put(JsonParser p) throws IOException {
            if (type == TensorType.INT64) {
                data[size] = integer(p, Long.MIN_VALUE, Long.MAX_VALUE);
                return;
            }
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw error("value " + describe(p) + " is not valid for UINT64, which expects integers");
            }
            BigInteger value = p.getBigIntegerValue();
            if (value.signum() < 0 || value.compareTo(UINT64_MAX) > 0) {
                throw outOfRange(value.toString(), 0, UINT64_MAX);
            }
            // Carried as the same 64 bits in a signed long, as the engine expects.
            data[size] = value.longValue();
        }

        @Override
        void ensureCapacity() {
            if (size == data.length) {
                data = Arrays.copyOf(data, grownCapacity(data.length));
            }
        }

        @Override
        String kind() {
            return "integers";
        }

        @Override
        Object toArray() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }

    private static final class FloatBuffer extends TensorDataBuffer {
        private float[] data = new float[0];

        FloatBuffer(String name, TensorType type, int expected) {
            super(name, type, expected);
        }

        @Override
        void put(JsonParser p) throws IOException {
            double value = number(p);
            double max = type == TensorType.FP16 ? FP16_MAX : Float.MAX_VALUE;
            if (Math.abs(value) > max) {
                throw type == TensorType.FP16 ? outOfRange(p.getText(), -65504, 65504) : outOfRange(p.getText(), -Float.MAX_VALUE, Float.MAX_VALUE);
            }
            data[size] = (float) value;
        }

        @Override
        void ensureCapacity() {
            if (size == data.length) {
                data = Arrays.copyOf(data, grownCapacity(data.length));
            }
        }

        @Override
        String kind() {
            return "numbers";
        }

        @Override
        Object toArray() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }

    private static final class DoubleBuffer extends TensorDataBuffer {
        private double[] data = new double[0];

        DoubleBuffer(String name, int expected) {
            super(name, TensorType.FP64, expected);
        }

        @Override
        void put(JsonParser p) throws IOException {
            data[size] = number(p);
        }

        @Override
        void ensureCapacity() {
            if (size == data.length) {
                data = Arrays.copyOf(data, grownCapacity(data.length));
            }
        }

        @Override
        String kind() {
            return "numbers";
        }

        @Override
        Object toArray() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }

    private static final class BytesBuffer extends TensorDataBuffer {
        private byte[][] data = new byte[0][];

        BytesBuffer(String name, int expected) {
            super(name, TensorType.BYTES, expected);
        }

        @Override
        void put(JsonParser p) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw error("value " + describe(p) + " is not valid for BYTES, which expects strings");
            }
            data[size] = p.getText().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        void ensureCapacity() {
            if (size == data.length) {
                data = Arrays.copyOf(data, grownCapacity(data.length));
            }
        }

        @Override
        String kind() {
            return "strings";
        }

        @Override
        Object toArray() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }
}
