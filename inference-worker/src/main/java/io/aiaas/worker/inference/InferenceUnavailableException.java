package io.aiaas.worker.inference;

import io.aiaas.worker.model.ModelKey;

/**
 * Thrown when a run failed for a reason of ours that a retry may cure (out of memory, the GPU, the version unloaded
 * meanwhile); answered 503 with {@code Retry-After}.
 */
public class InferenceUnavailableException extends RuntimeException {

    public InferenceUnavailableException(ModelKey key, String detail) {
        super("model '" + key.name() + "' version " + key.version() + " cannot run right now (" + detail
                + "); retry shortly");
    }
}
