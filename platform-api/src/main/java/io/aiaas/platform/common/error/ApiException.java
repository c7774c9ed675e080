package io.aiaas.platform.common.error;

/**
 * Base of the domain exceptions: each carries the HTTP status and a stable machine-readable code for the error body.
 */
public abstract class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    protected ApiException(int status, String code, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The human title of the problem kind; the status phrase unless a subclass knows better. */
    public String title() {
        return ErrorBodies.reasonPhrase(status);
    }
}
