package io.aiaas.platform.common.error;

/** Thrown when the request is well-formed but its content is not acceptable, naming the problem (400). */
public class InvalidRequestException extends ApiException {
    public InvalidRequestException(String code, String detail) {
        super(400, code, detail);
    }
}
