package io.aiaas.protocol;

/** Thrown when an Open Inference Protocol request body is malformed; the message names the tensor or field at fault. */
public class ProtocolException extends RuntimeException {

    public ProtocolException(String message) {
        super(message);
    }
}
