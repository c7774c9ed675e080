package io.aiaas.internalauth;

/** Thrown when an internal token is malformed, unsigned, wrongly signed, expired, or meant for someone else. */
public class InvalidTokenException extends RuntimeException {
    public InvalidTokenException(String message) {
        super(message);
    }

    public InvalidTokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
