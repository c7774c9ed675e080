package io.aiaas.engine;

/**
 * Thrown when a run fails for a reason of ours that a retry may cure: out of memory, the execution provider (CUDA)
 * failing, or the model closed while the call waited. The message names the kind of failure, never ONNX Runtime's
 * internals.
 */
public class EngineUnavailableException extends EngineException {
    public EngineUnavailableException(String message) {
        super(message);
    }

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
