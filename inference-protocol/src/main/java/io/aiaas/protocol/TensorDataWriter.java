package io.aiaas.protocol;

import com.fasterxml.jackson.core.io.NumberOutput;
import io.aiaas.engine.Tensor;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes the elements of a numeric or BOOL tensor as the inside of a JSON array ({@code 1,2,3}) straight into the
 * output stream through one buffer: integers and floats are formatted in place, with no object per value (floats
 * by {@link FloatText} and {@link DoubleText}, the digits of Schubfach). BYTES is not written here.
 */
final class TensorDataWriter {

    private static final int BUFFER_SIZE = 16 * 1024;
    private static final int ROOM = 32; // the longest value, with its comma

    private final OutputStream out;
    private final boolean quoteNonFinite;
    private byte[] buf = new byte[0];
    private final FloatText floatText = new FloatText();
    private final DoubleText doubleText = new DoubleText();
    private int pos;

    /**
     * @param quoteNonFinite whether NaN and the infinities are written as strings ({@code "NaN"}), as Jackson's
     *                       {@code WRITE_NAN_AS_STRINGS} does by default, or as bare tokens
     */
    TensorDataWriter(OutputStream out, boolean quoteNonFinite) {
        this.out = out;
        this.quoteNonFinite = quoteNonFinite;
    }

    /** Below this many values the generator's own writes cost less than the flush between its tokens. */
    static final int MIN_ELEMENTS = 64;

    /** Whether this writer writes the tensor: numeric or BOOL, and large enough to be worth it. */
    static boolean handles(Tensor tensor) {
        return tensor.type() != io.aiaas.engine.TensorType.BYTES && tensor.elementCount() >= MIN_ELEMENTS;
    }

    /** Writes the values, then flushes the buffer into the stream (the stream itself is not flushed). */
    void write(Tensor tensor) throws IOException {
        Object data = tensor.data();
        int wanted = (int) Math.min(BUFFER_SIZE, (long) ROOM * (tensor.elementCount() + 1));
        if (buf.length < wanted) {
            buf = new byte[wanted]; // small tensors (most answers) need a small buffer
        }
        switch (tensor.type()) {
            case BOOL -> {
                boolean[] values = (boolean[]) data;
                for (int k = 0; k < values.length; k++) {
                    room(k);
                    pos = ascii(values[k] ? "true" : "false", pos);
                }
            }
            case INT8 -> {
                byte[] values = (byte[]) data;
                for (int k = 0; k < values.length; k++) {
                    room(k);
                    pos = NumberOutput.outputInt(values[k], buf, pos);
                }
            }
            case UINT8 -> {
                byte[] values = (byte[]) data;
                for (int k = 0; k < values.length; k++) {
                    room(k);
                    pos = NumberOutput.outputInt(Byte.toUnsignedInt(values[k]), buf, pos);
                }
            }
            case INT16 -> {
                short[] values = (short[]) data;
                for (int k = 0; k < values.length; k++) {
                    room(k);
                    pos = NumberOutput.outputInt(values[k], buf, pos);
                }
            }
            case UINT16 -> {
                short[] values = (short[]) data;
                for (int k = 0; k < values.length; k++) {
                    room(k);
                    pos = NumberOutput.outputInt(Short.toUnsignedInt(values[k]), buf, pos);
                }
            }
            case INT32 -> {
                int[] values = (int[]) data;
                for (int k = 0; k < values.length; k++) {
                    room(k);
                    pos = NumberOutput.outputInt(values[k], buf, pos);
                }
            }
            case UINT32 -> {
                int[] values = (int[]) data;
                for (int k = 0; k < values.length; k++) {
                    room(k);
                    pos = NumberOutput.outputLong(Integer.toUnsignedLong(values[k]), buf, pos);
                }
            }
            case INT64 -> {
                long[] values = (long[]) data;
                for (int k = 0; k < values.length; k++) {
                    room(k);
                    pos = NumberOutput.outputLong(values[k], buf, pos);
                }
            }
            case UINT64 -> {
                long[] values = (long[]) data;
                for (int k = 0; k < values.length; k++) {
                    room(k);
                    pos = unsignedLong(values[k], pos);
                }
            }
            case FP16, FP32 -> {
                float[] values = (float[]) data;
                for (int k = 0; k < values.length; k++) {
                    room(k);
                    float v = values[k];
                    pos = Float.isFinite(v) ? floatText.write(v, buf, pos) : nonFinite(v, pos);
                }
            }
            case FP64 -> {
                double[] values = (double[]) data;
                for (int k = 0; k < values.length; k++) {
                    room(k);
                    double v = values[k];
                    pos = Double.isFinite(v) ? doubleText.write(v, buf, pos) : nonFinite(v, pos);
                }
            }
            case BYTES -> throw new IllegalArgumentException("BYTES tensors are written by Jackson");
        }
        out.write(buf, 0, pos);
        pos = 0;
    }

    /** Makes room for one more value and writes its separator. */
    private void room(int index) throws IOException {
        if (pos > buf.length - ROOM) {
            out.write(buf, 0, pos);
            pos = 0;
        }
        if (index > 0) {
            buf[pos++] = ',';
        }
    }

    private int unsignedLong(long v, int at) {
        if (v >= 0) {
            return NumberOutput.outputLong(v, buf, at);
        }
        long high = (v >>> 1) / 5; // v / 10 as unsigned
        int low = (int) (v - high * 10);
        at = NumberOutput.outputLong(high, buf, at);
        buf[at] = (byte) ('0' + low);
        return at + 1;
    }

    private int nonFinite(double v, int at) {
        String token = Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
        if (quoteNonFinite) {
            buf[at++] = '"';
        }
        at = ascii(token, at);
        if (quoteNonFinite) {
            buf[at++] = '"';
        }
        return at;
    }

    private int ascii(String s, int at) {
        for (int k = 0; k < s.length(); k++) {
            buf[at++] = (byte) s.charAt(k);
        }
        return at;
    }
}
