package io.aiaas.engine;

/** Thrown when a model file cannot be loaded: not parseable, references external data, or the session fails. */
public class ModelLoadException extends EngineException {
    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
