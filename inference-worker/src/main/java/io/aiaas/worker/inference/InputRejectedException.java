package io.aiaas.worker.inference;

import io.aiaas.worker.model.ModelKey;

/**
 * Thrown when a model refused the values of a request that passed validation (ONNX Runtime's reason, cleaned);
 * answered 400 naming the model.
 */
public class InputRejectedException extends RuntimeException {

    public InputRejectedException(ModelKey key, String detail) {
        super("model '" + key.name() + "' version " + key.version() + " rejected the input: " + detail);
    }
}
