package io.aiaas.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Joins tensors of several requests along their first dimension and splits a batched output back: the data is
 * copied row block by row block, so every caller gets exactly the values it would get alone (for models whose rows
 * are computed independently).
 */
public final class TensorBatches {

    private TensorBatches() {
    }

    /**
     * One tensor named {@code name} whose first dimension is the sum of the parts' and whose data is the parts'
     * data one after the other.
     *
     * @throws IllegalArgumentException when the parts differ in datatype, rank or any dimension but the first
     */
    public static Tensor concat(String name, List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        Tensor first = parts.get(0);
        long[] shape = first.shape();
        if (shape.length == 0) {
            throw new IllegalArgumentException("a scalar has no batch dimension");
        }
        int total = 0;
        long rows = 0;
        for (Tensor part : parts) {
            long[] s = part.shape();
            if (part.type() != first.type() || s.length != shape.length
                    || !Arrays.equals(s, 1, s.length, shape, 1, shape.length)) {
                throw new IllegalArgumentException("tensor " + part + " does not stack onto " + first);
            }
            rows += s[0];
            total = Math.addExact(total, part.elementCount());
        }
        Object data = java.lang.reflect.Array.newInstance(Tensor.arrayClass(first.type()).getComponentType(), total);
        int offset = 0;
        for (Tensor part : parts) {
            int n = part.elementCount();
            System.arraycopy(part.data(), 0, data, offset, n);
            offset += n;
        }
        shape[0] = rows;
        return Tensor.of(name, first.type(), shape, data);
    }

    /**
     * Splits {@code batched} along its first dimension into blocks of {@code rows[i]} rows.
     *
     * @throws IllegalArgumentException when the first dimension is not the sum of {@code rows}
     */
    public static List<Tensor> split(Tensor batched, long[] rows) {
        long[] shape = batched.shape();
        long sum = Arrays.stream(rows).sum();
        if (shape.length == 0 || shape[0] != sum) {
            throw new IllegalArgumentException("output " + batched + " does not have " + sum + " rows");
        }
        long rowSize = 1;
        for (int i = 1; i < shape.length; i++) {
            rowSize *= shape[i];
        }
        Class<?> component = Tensor.arrayClass(batched.type()).getComponentType();
        List<Tensor> parts = new ArrayList<>(rows.length);
        int offset = 0;
        for (long r : rows) {
            int n = Math.toIntExact(r * rowSize);
            Object data = java.lang.reflect.Array.newInstance(component, n);
            System.arraycopy(batched.data(), offset, data, 0, n);
            offset += n;
            long[] partShape = shape.clone();
            partShape[0] = r;
            parts.add(Tensor.of(batched.name(), batched.type(), partShape, data));
        }
        return parts;
    }
}
