package io.aiaas.platform.common.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The one factory of error bodies, chosen by path: the Open Inference Protocol's {@code {"error": "..."}} under /v2,
 * RFC 9457 problem details ({@code type} {@code urn:aiaas:problem:<code>}) everywhere else. Bodies are written here
 * as bytes, so what leaves is exactly what metering counts.
 */
public final class ErrorBodies {

    public static final String PROBLEM_JSON = "application/problem+json";
    public static final MediaType PROBLEM_JSON_TYPE = MediaType.valueOf(PROBLEM_JSON);
    /** Prefix of every problem {@code type}; the code follows it. */
    public static final String TYPE_PREFIX = "urn:aiaas:problem:";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorBodies() {
    }

    /** True for paths that speak the Open Inference Protocol. */
    public static boolean isInferencePath(String path) {
        return path != null && (path.equals("/v2") || path.startsWith("/v2/"));
    }

    /** The answer to an {@link ApiException} on the given path, with Retry-After or a Bearer challenge as fits. */
    public static Response response(String path, ApiException e) {
        Response.ResponseBuilder builder = builder(path, e.status(), e.code(), e.title(), e.getMessage(),
                e.violations());
        if (e.retryAfterSeconds() != null) {
            builder.header("Retry-After", e.retryAfterSeconds());
        }
        if (e.status() == 401) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return builder.build();
    }

    public static Response response(String path, int status, String code, String title, String detail) {
        return response(path, status, code, title, detail, null);
    }

    public static Response response(String path, int status, String code, String title, String detail,
            List<Problem.Violation> violations) {
        return builder(path, status, code, title, detail, violations).build();
    }

    /**
     * Ends a Vert.x exchange with the error body of its path, for answers given before any REST resource runs (a
     * body over its limit, a client that stalls); {@code Connection: close} tells the client not to reuse it.
     */
    public static void end(RoutingContext rc, int status, String code, String detail) {
        String path = rc.normalizedPath();
        boolean inference = isInferencePath(path);
        byte[] body = bytes(path, status, code, reasonPhrase(status), detail, null);
        if (rc.response().ended() || rc.response().closed()) {
            return;
        }
        rc.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, inference ? MediaType.APPLICATION_JSON : PROBLEM_JSON)
                .putHeader("Connection", "close")
                .end(Buffer.buffer(body));
    }

    private static Response.ResponseBuilder builder(String path, int status, String code, String title, String detail,
            List<Problem.Violation> violations) {
        MediaType type = isInferencePath(path) ? MediaType.APPLICATION_JSON_TYPE : PROBLEM_JSON_TYPE;
        return Response.status(status).type(type).entity(bytes(path, status, code, title, detail, violations));
    }

    private static byte[] bytes(String path, int status, String code, String title, String detail,
            List<Problem.Violation> violations) {
        Object body = isInferencePath(path) ? new InferenceError(detail, code)
                : new Problem(TYPE_PREFIX + code, title, status, detail, code, violations);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an error body", e);
        }
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
