package io.aiaas.worker.rest;

/** Thrown when a path segment or a request body cannot be what the endpoint needs; answered 400 with the message. */
public class BadRequestException extends RuntimeException {

    public BadRequestException(String message) {
        super(message);
    }
}
