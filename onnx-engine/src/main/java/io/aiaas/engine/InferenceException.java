package io.aiaas.engine;

/**
 * Thrown when a model cannot run at all although it loaded (an operator ONNX Runtime does not implement for these
 * types, an output it cannot hand back): neither the caller's inputs nor a passing shortage, so a retry does not help.
 */
public class InferenceException extends EngineException {
    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
