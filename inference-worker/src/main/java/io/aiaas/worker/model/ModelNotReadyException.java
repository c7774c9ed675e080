package io.aiaas.worker.model;

/** Thrown when a model version is known here but still loading, or failed to load. */
public class ModelNotReadyException extends RuntimeException {

    private final boolean loading;

    public ModelNotReadyException(String message, boolean loading) {
        super(message);
        this.loading = loading;
    }

    /** True while the version is loading, so that asking again shortly can succeed. */
    public boolean loading() {
        return loading;
    }
}
