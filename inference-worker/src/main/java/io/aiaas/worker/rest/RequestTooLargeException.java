package io.aiaas.worker.rest;

/** Thrown when a request body is larger than {@code aiaas.worker.max-request-bytes}. */
public class RequestTooLargeException extends RuntimeException {

    public RequestTooLargeException(long limit) {
        super("request body is larger than " + limit + " bytes");
    }
}
