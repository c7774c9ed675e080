package io.aiaas.worker.inference;

import io.aiaas.worker.model.ModelKey;

/** Thrown when a loaded model cannot run at all (not the input's fault, and a retry does not help); answered 500. */
public class InferenceFailedException extends RuntimeException {

    public InferenceFailedException(ModelKey key, String detail, Throwable cause) {
        super("model '" + key.name() + "' version " + key.version() + " cannot run: " + detail, cause);
    }
}
