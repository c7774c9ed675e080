package io.aiaas.platform.gateway;

/** Thrown inside the gateway for a call that ends with an error status and {@code {"error": message}}. */
public class GatewayException extends RuntimeException {

    private final int status;
    private final String code;

    public GatewayException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    /** Stable machine-readable reason, stored as the usage row's error code. */
    public String code() {
        return code;
    }
}
