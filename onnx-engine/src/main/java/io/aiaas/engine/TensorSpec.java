package io.aiaas.engine;

import java.util.Arrays;
import java.util.Objects;

/** Name, datatype and shape of a model input or output; -1 marks a dynamic dimension, {@code []} a scalar. */
public record TensorSpec(String name, TensorType datatype, long[] shape) {

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(datatype, "datatype");
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public boolean isScalar() {
        return shape.length == 0;
    }

    /** Whether a concrete shape fits this spec: same rank, equal fixed dimensions. */
    public boolean accepts(long[] concrete) {
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
        return name + " " + datatype + Arrays.toString(shape);
    }
}
