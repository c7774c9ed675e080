package io.aiaas.engine;

/** Thrown when ONNX Runtime fails while running a model on inputs that passed validation. */
public class InferenceException extends EngineException {
    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
