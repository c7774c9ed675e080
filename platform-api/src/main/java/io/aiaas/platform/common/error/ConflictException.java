package io.aiaas.platform.common.error;

/** Thrown when a create or change clashes with what exists, such as a duplicate name (409). */
public class ConflictException extends ApiException {
    public ConflictException(String code, String detail) {
        super(409, code, detail);
    }
}
