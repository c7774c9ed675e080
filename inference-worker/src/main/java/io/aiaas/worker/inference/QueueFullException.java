package io.aiaas.worker.inference;

import io.aiaas.worker.model.ModelKey;

/** Thrown at once when a model version's queue holds as many requests as it may; answered 503 with Retry-After. */
public class QueueFullException extends InferenceUnavailableException {

    public QueueFullException(ModelKey key, int capacity) {
        super(key, "its queue is full: " + capacity + " requests are waiting");
    }
}
