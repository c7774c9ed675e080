package io.aiaas.worker.inference;

import io.aiaas.worker.model.ModelKey;

/** Thrown when the caller hung up while its request waited in a batching queue: nobody reads the answer. */
public class CallerGaveUpException extends InferenceUnavailableException {

    public CallerGaveUpException(ModelKey key) {
        super(key, "the caller gave up while it waited");
    }
}
