package io.aiaas.platform.common.error;

/** Thrown when an authenticated caller lacks the role an operation needs (403). */
public class AccessDeniedException extends ApiException {
    public AccessDeniedException(String detail) {
        super(403, "forbidden", detail);
    }
}
