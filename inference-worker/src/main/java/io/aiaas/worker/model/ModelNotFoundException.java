package io.aiaas.worker.model;

/** Thrown when a model, or the asked version of it, is not loaded on this worker. */
public class ModelNotFoundException extends RuntimeException {

    public ModelNotFoundException(String message) {
        super(message);
    }
}
