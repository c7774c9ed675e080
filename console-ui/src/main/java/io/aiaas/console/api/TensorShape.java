package io.aiaas.console.api;

import java.util.List;

/** How the pages write a tensor's shape from platform-api's signatures, so that every page says it alike. */
public final class TensorShape {

    private TensorShape() {
    }

    /**
     * The shape as people write it, e.g. {@code [-1, 4]}; {@code []} is a scalar. No shape at all (null) is a tensor
     * whose rank the model leaves open, so it is "any shape", never {@code []}.
     */
    public static String text(List<Long> shape) {
        return shape == null ? "any shape" : shape.toString();
    }
}
