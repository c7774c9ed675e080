package io.aiaas.platform.common.error;

/** Thrown when a request body exceeds the configured cap (413). */
public class PayloadTooLargeException extends ApiException {
    public PayloadTooLargeException(String detail) {
        super(413, "payload_too_large", detail);
    }
}
