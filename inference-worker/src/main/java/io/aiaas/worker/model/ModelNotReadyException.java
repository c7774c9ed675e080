package io.aiaas.worker.model;

/** Thrown when a model version is known here but still loading, or failed to load. */
public class ModelNotReadyException extends RuntimeException {

    public ModelNotReadyException(String message) {
        super(message);
    }
}
