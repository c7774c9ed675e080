package io.aiaas.engine;

import java.util.Arrays;
import java.util.Objects;

/**
 * Name, datatype and shape of a model input or output: -1 marks a dynamic dimension, {@code []} a scalar, and a
 * null shape an unknown rank (the model declares no shape at all, so any shape is accepted).
 */
public record TensorSpec(String name, TensorType datatype, long[] shape) {

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(datatype, "datatype");
        shape = shape == null ? null : shape.clone();
    }

    /** A tensor whose rank the model leaves unknown: it accepts any shape. */
    public static TensorSpec anyRank(String name, TensorType datatype) {
        return new TensorSpec(name, datatype, null);
    }

    /** The dimensions (-1 = dynamic), {@code []} for a scalar, null when the rank is unknown. */
    @Override
    public long[] shape() {
        return shape == null ? null : shape.clone();
    }

    /** False when the model declares no shape, so that any rank is accepted. */
    public boolean rankKnown() {
        return shape != null;
    }

    /** The number of dimensions, -1 when the rank is unknown. */
    public int rank() {
        return shape == null ? -1 : shape.length;
    }

    /** True for a declared zero-dimensional tensor (not for an unknown rank). */
    public boolean isScalar() {
        return shape != null && shape.length == 0;
    }

    /** Whether a concrete shape fits this spec: any shape for an unknown rank, else same rank and fixed dimensions. */
    public boolean accepts(long[] concrete) {
        if (shape == null) {
            return true;
        }
        if (concrete.length != shape.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] >= 0 && shape[i] != concrete[i]) {
                return false;
            }
        }
        return true;
    }

    /** The shape as the error messages and documents spell it: {@code [-1, 3]}, {@code []} or {@code any rank}. */
    public String shapeText() {
        return shape == null ? "any rank" : Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TensorSpec spec && name.equals(spec.name) && datatype == spec.datatype
                && Arrays.equals(shape, spec.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, datatype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return name + " " + datatype + (shape == null ? "[any rank]" : Arrays.toString(shape));
    }
}
