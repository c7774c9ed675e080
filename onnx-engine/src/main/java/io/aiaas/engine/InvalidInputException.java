package io.aiaas.engine;

/** Thrown when the caller's tensors do not fit the model; the message names the tensor and the problem. */
public class InvalidInputException extends EngineException {
    public InvalidInputException(String message) {
        super(message);
    }
}
