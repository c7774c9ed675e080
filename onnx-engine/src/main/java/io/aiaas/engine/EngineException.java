package io.aiaas.engine;

/** Base of the engine's exceptions; unchecked so that callers map them in one place. */
public class EngineException extends RuntimeException {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
