package io.aiaas.platform.common.error;

import java.util.List;

/**
 * The one exception that ends a request with an error: an HTTP status, a stable machine-readable code and a detail
 * for people. Every resource, filter and service throws it (through the factories below), and {@link ErrorBodies}
 * turns it into the error body of the API it happened on.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final Integer retryAfterSeconds;
    private final List<Problem.Violation> violations;

    private ApiException(int status, String code, String detail, Integer retryAfterSeconds, Throwable cause) {
        this(status, code, detail, retryAfterSeconds, cause, null);
    }

    private ApiException(int status, String code, String detail, Integer retryAfterSeconds, Throwable cause,
            List<Problem.Violation> violations) {
        super(detail, cause, false, false);
        this.status = status;
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
        this.violations = violations == null || violations.isEmpty() ? null : List.copyOf(violations);
    }

    /** Any status; prefer the named factories. */
    public static ApiException of(int status, String code, String detail) {
        return new ApiException(status, code, detail, null, null);
    }

    /** 400: the request is well-formed but its content is not acceptable. */
    public static ApiException badRequest(String code, String detail) {
        return of(400, code, detail);
    }

    /** 400, keeping the cause for the log (a value that slipped past validation). */
    public static ApiException badRequest(String code, String detail, Throwable cause) {
        return new ApiException(400, code, detail, null, cause);
    }

    /**
     * 400 naming the fields that break rules Bean Validation cannot state (they cross fields); the body lists them
     * as {@code violations}, the same shape as a Bean Validation failure.
     */
    public static ApiException invalid(String code, List<Problem.Violation> violations) {
        String detail = String.join("; ", violations.stream().map(v -> v.field() + ": " + v.message()).toList());
        return new ApiException(400, code, detail, null, null, violations);
    }

    /** 401: no usable credentials. */
    public static ApiException unauthorized(String code, String detail) {
        return of(401, code, detail);
    }

    /** 403: the caller is known but may not do this. */
    public static ApiException forbidden(String code, String detail) {
        return of(403, code, detail);
    }

    /** 404: the thing does not exist, or the caller may not know that it exists. */
    public static ApiException notFound(String code, String detail) {
        return of(404, code, detail);
    }

    /** 409: the change clashes with what exists. */
    public static ApiException conflict(String code, String detail) {
        return of(409, code, detail);
    }

    /** 409 with {@code Retry-After}: the thing is busy now, and the same request can succeed later. */
    public static ApiException conflict(String code, String detail, int retryAfterSeconds) {
        return new ApiException(409, code, detail, retryAfterSeconds, null);
    }

    /** 413: the body is over a limit. */
    public static ApiException tooLarge(String detail) {
        return of(413, "payload_too_large", detail);
    }

    /** 429 with {@code Retry-After}: a rate limit, quota or budget refuses the call now. */
    public static ApiException tooManyRequests(String code, String detail, long retryAfterSeconds) {
        return new ApiException(429, code, detail, (int) Math.max(1, Math.min(retryAfterSeconds, Integer.MAX_VALUE)),
                null);
    }

    /** 503 with {@code Retry-After: 1}: our side cannot serve this now, and a retry can succeed. */
    public static ApiException unavailable(String code, String detail) {
        return new ApiException(503, code, detail, 1, null);
    }

    /** 503 with {@code Retry-After}: busy now, a retry after that many seconds can succeed. */
    public static ApiException unavailable(String code, String detail, int retryAfterSeconds) {
        return new ApiException(503, code, detail, Math.max(1, retryAfterSeconds), null);
    }

    /** 503 with {@code Retry-After: 1}, keeping the cause for the log. */
    public static ApiException unavailable(String code, String detail, Throwable cause) {
        return new ApiException(503, code, detail, 1, cause);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Seconds for the {@code Retry-After} header, or null when a retry is not advised. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The fields at fault, or null. */
    public List<Problem.Violation> violations() {
        return violations;
    }

    /** The human title of the problem kind: the status phrase. */
    public String title() {
        return ErrorBodies.reasonPhrase(status);
    }
}
