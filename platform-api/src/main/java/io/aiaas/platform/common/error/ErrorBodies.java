package io.aiaas.platform.common.error;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Builds every error response, choosing the body by path: {@code {"error"}} under /v2, RFC 9457 elsewhere.
 */
public final class ErrorBodies {

    public static final String PROBLEM_JSON = "application/problem+json";
    public static final MediaType PROBLEM_JSON_TYPE = MediaType.valueOf(PROBLEM_JSON);
    private static final String TYPE_PREFIX = "urn:aiaas:problem:";

    private ErrorBodies() {
    }

    /** True for paths that speak the Open Inference Protocol. */
    public static boolean isInferencePath(String path) {
        return path != null && (path.equals("/v2") || path.startsWith("/v2/"));
    }

    public static Response response(String path, int status, String code, String title, String detail) {
        return response(path, status, code, title, detail, null);
    }

    public static Response response(String path, int status, String code, String title, String detail,
            List<Problem.Violation> violations) {
        if (isInferencePath(path)) {
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new InferenceError(detail)).build();
        }
        return Response.status(status).type(PROBLEM_JSON_TYPE)
                .entity(new Problem(TYPE_PREFIX + code, title, status, detail, code, violations)).build();
    }

    /** The standard reason phrase of a status, or a generic one for statuses JAX-RS does not name. */
    public static String reasonPhrase(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        if (known != null) {
            return known.getReasonPhrase();
        }
        return status == 422 ? "Unprocessable Content" : status >= 500 ? "Server Error" : "Client Error";
    }
}
