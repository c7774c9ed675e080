package io.aiaas.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A named, typed tensor whose data is one flat row-major Java array: BOOL {@code boolean[]}, INT8/UINT8
 * {@code byte[]}, INT16/UINT16 {@code short[]}, INT32/UINT32 {@code int[]}, INT64/UINT64 {@code long[]}, FP16 and
 * FP32 {@code float[]}, FP64 {@code double[]}, BYTES {@code byte[][]}. Unsigned values keep their bits in the
 * signed array of the same width. The arrays are shared, not copied: do not modify them after handing them over.
 */
public final class Tensor {

    private final String name;
    private final TensorType type;
    private final long[] shape;
    private final Object data;

    private Tensor(String name, TensorType type, long[] shape, Object data) {
        this.name = name;
        this.type = type;
        this.shape = shape;
        this.data = data;
    }

    /**
     * Builds a tensor after checking that the array class fits the datatype and its length equals the product
     * of the shape.
     *
     * @throws InvalidInputException naming the tensor when the data does not fit
     */
    public static Tensor of(String name, TensorType type, long[] shape, Object data) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(shape, "shape");
        if (data == null || data.getClass() != arrayClass(type)) {
            throw new InvalidInputException("tensor '" + name + "' of datatype " + type + " needs a "
                    + arrayClass(type).getSimpleName() + " but got "
                    + (data == null ? "null" : data.getClass().getSimpleName()));
        }
        long expected = elementCount(name, shape);
        int actual = java.lang.reflect.Array.getLength(data);
        if (expected != actual) {
            throw new InvalidInputException("tensor '" + name + "' has " + actual + " elements but shape "
                    + Arrays.toString(shape) + " needs " + expected);
        }
        if (type == TensorType.BYTES) {
            for (byte[] element : (byte[][]) data) {
                if (element == null) {
                    throw new InvalidInputException("tensor '" + name + "' contains a null BYTES element");
                }
            }
        }
        return new Tensor(name, type, shape.clone(), data);
    }

    public static Tensor ofBool(String name, long[] shape, boolean[] data) {
        return of(name, TensorType.BOOL, shape, data);
    }

    public static Tensor ofInt8(String name, long[] shape, byte[] data) {
        return of(name, TensorType.INT8, shape, data);
    }

    public static Tensor ofUint8(String name, long[] shape, byte[] data) {
        return of(name, TensorType.UINT8, shape, data);
    }

    public static Tensor ofInt16(String name, long[] shape, short[] data) {
        return of(name, TensorType.INT16, shape, data);
    }

    public static Tensor ofUint16(String name, long[] shape, short[] data) {
        return of(name, TensorType.UINT16, shape, data);
    }

    public static Tensor ofInt32(String name, long[] shape, int[] data) {
        return of(name, TensorType.INT32, shape, data);
    }

    public static Tensor ofUint32(String name, long[] shape, int[] data) {
        return of(name, TensorType.UINT32, shape, data);
    }

    public static Tensor ofInt64(String name, long[] shape, long[] data) {
        return of(name, TensorType.INT64, shape, data);
    }

    public static Tensor ofUint64(String name, long[] shape, long[] data) {
        return of(name, TensorType.UINT64, shape, data);
    }

    public static Tensor ofFp16(String name, long[] shape, float[] data) {
        return of(name, TensorType.FP16, shape, data);
    }

    public static Tensor ofFp32(String name, long[] shape, float[] data) {
        return of(name, TensorType.FP32, shape, data);
    }

    public static Tensor ofFp64(String name, long[] shape, double[] data) {
        return of(name, TensorType.FP64, shape, data);
    }

    public static Tensor ofBytes(String name, long[] shape, byte[][] data) {
        return of(name, TensorType.BYTES, shape, data);
    }

    /** BYTES tensor from Java strings, encoded as UTF-8. */
    public static Tensor ofStrings(String name, long[] shape, String... data) {
        byte[][] bytes = new byte[data.length][];
        for (int i = 0; i < data.length; i++) {
            bytes[i] = data[i].getBytes(StandardCharsets.UTF_8);
        }
        return of(name, TensorType.BYTES, shape, bytes);
    }

    /** A tensor of zeros (false, empty byte strings) of the given shape. */
    public static Tensor zeros(String name, TensorType type, long[] shape) {
        int count = Math.toIntExact(elementCount(name, shape));
        Object data = switch (type) {
            case BOOL -> new boolean[count];
            case INT8, UINT8 -> new byte[count];
            case INT16, UINT16 -> new short[count];
            case INT32, UINT32 -> new int[count];
            case INT64, UINT64 -> new long[count];
            case FP16, FP32 -> new float[count];
            case FP64 -> new double[count];
            case BYTES -> {
                byte[][] empty = new byte[count][];
                Arrays.fill(empty, new byte[0]);
                yield empty;
            }
        };
        return new Tensor(name, type, shape.clone(), data);
    }

    /** The Java array class that carries data of the given datatype. */
    public static Class<?> arrayClass(TensorType type) {
        return switch (type) {
            case BOOL -> boolean[].class;
            case INT8, UINT8 -> byte[].class;
            case INT16, UINT16 -> short[].class;
            case INT32, UINT32 -> int[].class;
            case INT64, UINT64 -> long[].class;
            case FP16, FP32 -> float[].class;
            case FP64 -> double[].class;
            case BYTES -> byte[][].class;
        };
    }

    /**
     * Product of the dimensions (1 for a scalar).
     *
     * @throws InvalidInputException naming the tensor when a dimension is negative or the count overflows an int
     */
    public static long elementCount(String name, long[] shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new InvalidInputException("tensor '" + name + "' has a negative dimension in shape "
                        + Arrays.toString(shape));
            }
            try {
                count = Math.multiplyExact(count, dim);
            } catch (ArithmeticException e) {
                count = Long.MAX_VALUE;
            }
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException("tensor '" + name + "' with shape " + Arrays.toString(shape)
                    + " is too large");
        }
        return count;
    }

    public String name() {
        return name;
    }

    public TensorType type() {
        return type;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int elementCount() {
        return java.lang.reflect.Array.getLength(data);
    }

    /** The flat data array; its class is {@link #arrayClass(TensorType)} of {@link #type()}. */
    public Object data() {
        return data;
    }

    public boolean[] booleans() {
        return as(boolean[].class);
    }

    public byte[] bytes() {
        return as(byte[].class);
    }

    public short[] shorts() {
        return as(short[].class);
    }

    public int[] ints() {
        return as(int[].class);
    }

    public long[] longs() {
        return as(long[].class);
    }

    public float[] floats() {
        return as(float[].class);
    }

    public double[] doubles() {
        return as(double[].class);
    }

    public byte[][] byteStrings() {
        return as(byte[][].class);
    }

    /** BYTES elements decoded as UTF-8. */
    public String[] strings() {
        byte[][] raw = byteStrings();
        String[] strings = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            strings[i] = new String(raw[i], StandardCharsets.UTF_8);
        }
        return strings;
    }

    private <T> T as(Class<T> arrayType) {
        if (!arrayType.isInstance(data)) {
            throw new IllegalStateException("tensor '" + name + "' is " + type + ", its data is not a "
                    + arrayType.getSimpleName());
        }
        return arrayType.cast(data);
    }

    @Override
    public String toString() {
        return "Tensor[" + name + " " + type + Arrays.toString(shape) + "]";
    }
}
