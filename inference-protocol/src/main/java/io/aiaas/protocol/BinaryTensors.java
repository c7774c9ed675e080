package io.aiaas.protocol;

import io.aiaas.engine.Tensor;
import io.aiaas.engine.TensorType;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Tensor data in the binary tensor data extension's layout (Triton's, KServe's): little-endian, row-major, no padding;
 * BOOL one byte (0 or 1), FP16 IEEE half precision, BYTES each element as a 4-byte little-endian unsigned length and
 * its bytes.
 */
public final class BinaryTensors {

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int CHUNK = 64 * 1024;

    private BinaryTensors() {
    }

    /** The size of the tensor's binary data in bytes (its {@code binary_data_size}). */
    public static long byteSize(Tensor tensor) {
        if (tensor.type() == TensorType.BYTES) {
            long size = 0;
            for (byte[] element : tensor.byteStrings()) {
                size += 4L + element.length;
            }
            return size;
        }
        return (long) tensor.elementCount() * tensor.type().elementBytes();
    }

    /** The tensor's binary data in one array. */
    public static byte[] toBytes(Tensor tensor) {
        long size = byteSize(tensor);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor '" + tensor.name() + "' is too large for one array");
        }
        byte[] out = new byte[(int) size];
        int count = tensor.elementCount();
        fill(tensor, 0, count, out, 0);
        return out;
    }

    /** Writes the tensor's binary data through a bounded buffer (the stream is not flushed). */
    public static void write(Tensor tensor, OutputStream out) throws IOException {
        if (tensor.type() == TensorType.BYTES || tensor.type() == TensorType.INT8 || tensor.type() == TensorType.UINT8) {
            if (tensor.type() != TensorType.BYTES) {
                out.write(tensor.bytes());
                return;
            }
            byte[] length = new byte[4];
            for (byte[] element : tensor.byteStrings()) {
                INT.set(length, 0, element.length);
                out.write(length);
                out.write(element);
            }
            return;
        }
        int width = tensor.type().elementBytes();
        int perChunk = CHUNK / width;
        int count = tensor.elementCount();
        byte[] buffer = new byte[(int) Math.min(CHUNK, (long) count * width)];
        for (int from = 0; from < count; from += perChunk) {
            int to = Math.min(count, from + perChunk);
            fill(tensor, from, to, buffer, 0);
            out.write(buffer, 0, (to - from) * width);
        }
    }

    /** Writes elements [from, to) of a tensor into {@code out} at {@code at}. */
    private static void fill(Tensor tensor, int from, int to, byte[] out, int at) {
        Object data = tensor.data();
        switch (tensor.type()) {
            case BOOL -> {
                boolean[] values = (boolean[]) data;
                for (int k = from; k < to; k++) {
                    out[at++] = values[k] ? (byte) 1 : (byte) 0;
                }
            }
            case INT8, UINT8 -> System.arraycopy((byte[]) data, from, out, at, to - from);
            case INT16, UINT16 -> {
                short[] values = (short[]) data;
                for (int k = from; k < to; k++, at += 2) {
                    SHORT.set(out, at, values[k]);
                }
            }
            case INT32, UINT32 -> {
                int[] values = (int[]) data;
                for (int k = from; k < to; k++, at += 4) {
                    INT.set(out, at, values[k]);
                }
            }
            case INT64, UINT64 -> {
                long[] values = (long[]) data;
                for (int k = from; k < to; k++, at += 8) {
                    LONG.set(out, at, values[k]);
                }
            }
            case FP16 -> {
                float[] values = (float[]) data;
                for (int k = from; k < to; k++, at += 2) {
                    SHORT.set(out, at, Half.fromFloat(values[k]));
                }
            }
            case FP32 -> {
                float[] values = (float[]) data;
                for (int k = from; k < to; k++, at += 4) {
                    // raw bits, so that every NaN payload leaves as it came
                    INT.set(out, at, Float.floatToRawIntBits(values[k]));
                }
            }
            case FP64 -> {
                double[] values = (double[]) data;
                for (int k = from; k < to; k++, at += 8) {
                    LONG.set(out, at, Double.doubleToRawLongBits(values[k]));
                }
            }
            case BYTES -> {
                for (byte[] element : tensor.byteStrings()) {
                    INT.set(out, at, element.length);
                    System.arraycopy(element, 0, out, at + 4, element.length);
                    at += 4 + element.length;
                }
            }
        }
    }

    /**
     * Reads a tensor from {@code length} bytes of {@code body} at {@code offset}.
     *
     * @throws ProtocolException when the bytes do not hold exactly the elements the shape calls for
     */
    public static Tensor read(String name, TensorType type, long[] shape, byte[] body, int offset, int length) {
        String label = "input '" + SafeText.forMessage(name, 100) + "'";
        long elements = 1;
        for (long dim : shape) {
            elements *= dim;
            if (elements > Integer.MAX_VALUE - 8) {
                throw new ProtocolException(label + ": shape " + InferenceRequestDecoder.shapeText(shape) + " is too large");
            }
        }
        int count = (int) elements;
        if (type == TensorType.BYTES) {
            return Tensor.of(name, type, shape, readBytes(label, shape, count, body, offset, length));
        }
        long expected = elements * type.elementBytes();
        if (expected != length) {
            throw new ProtocolException(label + ": binary_data_size " + length + " does not match shape "
                    + InferenceRequestDecoder.shapeText(shape) + " of " + type.name() + ", which takes " + expected
                    + " bytes");
        }
        Object data = switch (type) {
            case BOOL -> {
                boolean[] values = new boolean[count];
                for (int k = 0; k < count; k++) {
                    byte v = body[offset + k];
                    if (v != 0 && v != 1) {
                        throw new ProtocolException(label + ": BOOL element " + k + " is " + Byte.toUnsignedInt(v)
                                + "; binary BOOL elements are 0 or 1");
                    }
                    values[k] = v == 1;
                }
                yield values;
            }
            case INT8, UINT8 -> java.util.Arrays.copyOfRange(body, offset, offset + count);
            case INT16, UINT16 -> {
                short[] values = new short[count];
                for (int k = 0, at = offset; k < count; k++, at += 2) {
                    values[k] = (short) SHORT.get(body, at);
                }
                yield values;
            }
            case INT32, UINT32 -> {
                int[] values = new int[count];
                for (int k = 0, at = offset; k < count; k++, at += 4) {
                    values[k] = (int) INT.get(body, at);
                }
                yield values;
            }
            case INT64, UINT64 -> {
                long[] values = new long[count];
                for (int k = 0, at = offset; k < count; k++, at += 8) {
                    values[k] = (long) LONG.get(body, at);
                }
                yield values;
            }
            case FP16 -> {
                float[] values = new float[count];
                for (int k = 0, at = offset; k < count; k++, at += 2) {
                    values[k] = Half.toFloat((short) SHORT.get(body, at));
                }
                yield values;
            }
            case FP32 -> {
                float[] values = new float[count];
                for (int k = 0, at = offset; k < count; k++, at += 4) {
                    values[k] = (float) FLOAT.get(body, at);
                }
                yield values;
            }
            case FP64 -> {
                double[] values = new double[count];
                for (int k = 0, at = offset; k < count; k++, at += 8) {
                    values[k] = (double) DOUBLE.get(body, at);
                }
                yield values;
            }
            case BYTES -> throw new IllegalStateException("handled above");
        };
        return Tensor.of(name, type, shape, data);
    }

    private static byte[][] readBytes(String label, long[] shape, int count, byte[] body, int offset, int length) {
        // Every element takes at least its 4-byte length: a shape the bytes cannot fill allocates nothing.
        if ((long) count * 4 > length) {
            throw new ProtocolException(label + ": " + length + " bytes of binary data cannot hold the " + count
                    + " BYTES elements shape " + InferenceRequestDecoder.shapeText(shape) + " calls for");
        }
        List<byte[]> elements = new ArrayList<>(count);
        int at = offset;
        int end = offset + length;
        while (at < end) {
            if (end - at < 4) {
                throw new ProtocolException(label + ": binary BYTES data ends inside the length of element "
                        + elements.size());
            }
            long size = Integer.toUnsignedLong((int) INT.get(body, at));
            at += 4;
            if (size > end - at) {
                throw new ProtocolException(label + ": BYTES element " + elements.size() + " declares " + size
                        + " bytes but only " + (end - at) + " remain in its binary data");
            }
            elements.add(java.util.Arrays.copyOfRange(body, at, at + (int) size));
            at += (int) size;
        }
        if (elements.size() != count) {
            throw new ProtocolException(label + ": binary data holds " + elements.size() + " BYTES elements but shape "
                    + InferenceRequestDecoder.shapeText(shape) + " calls for " + count);
        }
        return elements.toArray(new byte[0][]);
    }

    /** IEEE 754 half precision, as ONNX Runtime converts it (round to nearest, ties to even). */
    static final class Half {
        private Half() {
        }

        static float toFloat(short half) {
            int h = half & 0xFFFF;
            int sign = (h & 0x8000) << 16;
            int exponent = (h >>> 10) & 0x1F;
            int mantissa = h & 0x3FF;
            if (exponent == 0x1F) {
                return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
            }
            if (exponent == 0) {
                // zero or subnormal: mantissa * 2^-24, exact in float
                float magnitude = mantissa * 0x1p-24f;
                return sign == 0 ? magnitude : -magnitude;
            }
            return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
        }

        static short fromFloat(float value) {
            int bits = Float.floatToRawIntBits(value);
            int sign = (bits >>> 16) & 0x8000;
            int exponent = (bits >>> 23) & 0xFF;
            int mantissa = bits & 0x7F_FFFF;
            if (exponent == 0xFF) {
                // infinity, or NaN keeping its top payload bits (and at least one, so it stays a NaN)
                int payload = mantissa >>> 13;
                return (short) (sign | 0x7C00 | (mantissa != 0 && payload == 0 ? 0x200 : payload));
            }
            int e = exponent - 127 + 15;
            if (e >= 0x1F) {
                return (short) (sign | 0x7C00); // beyond the largest half: infinity
            }
            if (e <= 0) {
                if (e < -10) {
                    return (short) sign; // below half the smallest subnormal: zero
                }
                int m = mantissa | 0x80_0000; // with the implicit bit
                int shift = 14 - e;
                int half = m >>> shift;
                int rest = m & ((1 << shift) - 1);
                int midpoint = 1 << (shift - 1);
                if (rest > midpoint || (rest == midpoint && (half & 1) != 0)) {
                    half++;
                }
                return (short) (sign | half);
            }
            int half = (e << 10) | (mantissa >>> 13);
            int rest = mantissa & 0x1FFF;
            if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
                half++; // may carry into the exponent, up to infinity: still correct
            }
            return (short) (sign | half);
        }
    }
}
