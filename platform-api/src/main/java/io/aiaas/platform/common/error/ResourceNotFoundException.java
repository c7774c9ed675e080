package io.aiaas.platform.common.error;

/** Thrown when a named thing does not exist or the caller may not know that it exists (404). */
public class ResourceNotFoundException extends ApiException {
    public ResourceNotFoundException(String code, String detail) {
        super(404, code, detail);
    }
}
