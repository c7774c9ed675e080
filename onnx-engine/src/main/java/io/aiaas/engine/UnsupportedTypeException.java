package io.aiaas.engine;

/** Thrown when a tensor's datatype cannot be handed to or read from this ONNX Runtime build. */
public class UnsupportedTypeException extends InvalidInputException {
    public UnsupportedTypeException(String message) {
        super(message);
    }
}
