package io.aiaas.platform.common.error;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.aiaas.platform.common.json.StrictJson;
import io.aiaas.platform.common.persistence.Jdbc;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import io.aiaas.platform.common.web.RequestIds;
import io.quarkus.oidc.OIDCException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one mapper family: turns every exception that leaves a resource into the error body of its API, with a
 * stable code and never a stack trace or class name.
 */
public class ExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ExceptionMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e, RoutingContext rc) {
        if (e.getCause() != null) {
            LOG.warnf("%s in %s (request id %s): %s", e.code(), path(rc), RequestIds.current(rc), e.getCause());
        }
        return ErrorBodies.response(path(rc), e);
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, RoutingContext rc) {
        List<ConstraintViolation<?>> all = List.copyOf(e.getConstraintViolations());
        if (all.stream().anyMatch(ExceptionMappers::isReturnValue)) {
            return unexpected(e, rc);
        }
        List<Problem.Violation> violations = all.stream()
                .map(v -> new Problem.Violation(field(v.getPropertyPath()), v.getMessage()))
                .sorted(Comparator.comparing(Problem.Violation::field))
                .toList();
        String detail = violations.stream().map(v -> v.field() + ": " + v.message())
                .collect(Collectors.joining("; "));
        return ErrorBodies.response(path(rc), 400, "validation_failed", "Invalid request", detail, violations);
    }

    // Quarkus ships its own mapper for this subtype, which would win over the JsonProcessingException one below
    @ServerExceptionMapper
    public Response jsonShape(MismatchedInputException e, RoutingContext rc) {
        return jsonError(e, rc);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, RoutingContext rc) {
        return jsonError(e, rc);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, RoutingContext rc) {
        return challenge(ErrorBodies.response(path(rc), 401, "unauthorized", "Unauthorized",
                "A valid bearer token is required"));
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, RoutingContext rc) {
        return challenge(ErrorBodies.response(path(rc), 401, "unauthorized", "Unauthorized",
                "The bearer token is missing, invalid or expired"));
    }

    @ServerExceptionMapper
    public Response identityProviderDown(OIDCException e, RoutingContext rc) {
        LOG.warnf("Identity provider unavailable while handling %s (request id %s): %s", path(rc),
                RequestIds.current(rc), e.getMessage());
        return ErrorBodies.response(path(rc), 503, "identity_provider_unavailable", "Service Unavailable",
                "The identity provider (Keycloak) cannot be reached to verify the token; try again shortly");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, RoutingContext rc) {
        return ErrorBodies.response(path(rc), 403, "forbidden", "Forbidden",
                "The caller lacks the role this operation needs");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, RoutingContext rc) {
        Response original = e.getResponse();
        int status = original == null ? 500 : original.getStatus();
        if (status >= 500) {
            return unexpected(e, rc);
        }
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (status == 400 && cause instanceof JsonProcessingException json) {
                return jsonError(json, rc); // Quarkus REST wraps some parse errors (e.g. a truncated body)
            }
        }
        String method = rc == null ? "" : rc.request().method().name();
        String detail = switch (status) {
            case 404 -> "No resource at " + method + " " + path(rc);
            case 405 -> "Method " + method + " is not allowed on " + path(rc);
            case 406 -> "None of the accepted media types can be produced";
            case 415 -> "Content type " + contentType(rc) + " is not supported here";
            case 413 -> "The request body is too large";
            case 401 -> "A valid bearer token is required";
            case 403 -> "The caller may not do this";
            default -> status == 400 && "POST PUT PATCH".contains(method)
                    ? "The request body could not be read" : "The request is not valid";
        };
        Response mapped = ErrorBodies.response(path(rc), status, codeFor(status), ErrorBodies.reasonPhrase(status),
                detail);
        if (status == 405 && original.getHeaderString(HttpHeaders.ALLOW) != null) {
            return Response.fromResponse(mapped).header(HttpHeaders.ALLOW, original.getHeaderString(HttpHeaders.ALLOW))
                    .build();
        }
        return status == 401 ? challenge(mapped) : mapped;
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, RoutingContext rc) {
        String requestId = RequestIds.current(rc);
        if (e instanceof VirtualMachineError) {
            // out of memory (or stack) is ours and passes: the same request may well succeed in a moment
            LOG.errorf(e, "Out of resources in %s (request id %s)", path(rc), requestId);
            return api(ApiException.unavailable("out_of_resources", "The server ran short of resources; retry"
                    + " shortly (request id " + requestId + ")"), rc);
        }
        LOG.errorf(e, "Unexpected error in %s (request id %s)", path(rc), requestId);
        return ErrorBodies.response(path(rc), 500, "internal_error", "Internal Server Error",
                "An unexpected error occurred; quote request id " + requestId + " when reporting it");
    }

    private static Response jsonError(JsonProcessingException e, RoutingContext rc) {
        String detail;
        if (e instanceof JsonParseException || !(e instanceof JsonMappingException mapping)) {
            // the parser's own words name the token (a duplicate field, an unexpected character), never our classes
            String what = e.getOriginalMessage() == null ? "" : ": " + e.getOriginalMessage().split("\n")[0];
            detail = e.getLocation() == null ? "The request body is not valid JSON" + what
                    : "The request body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")" + what;
        } else {
            String field = mapping.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            if (e instanceof StrictJson.RejectedTextException) {
                detail = "Field '" + field + "' " + e.getOriginalMessage();
            } else if (e instanceof UnrecognizedPropertyException unknown) {
                detail = "Field '" + field + "' is not known here; the fields are " + unknown.getKnownPropertyIds();
            } else if (field.isEmpty()) {
                detail = "The request body does not have the expected structure";
            } else if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
                detail = "Field '" + field + "' must be " + describe(mismatch.getTargetType());
            } else {
                detail = "Field '" + field + "' has a value of the wrong type or format";
            }
        }
        return ErrorBodies.response(path(rc), 400, "invalid_json", "Invalid request body", detail);
    }

    /** The JSON shape a Java type is read from, in words for the client. */
    private static String describe(Class<?> type) {
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == java.math.BigInteger.class) {
            return type == int.class || type == Integer.class ? "an integer from " + Integer.MIN_VALUE + " to "
                    + Integer.MAX_VALUE : "an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "an ISO-8601 date-time with offset, such as 2026-01-31T00:00:00Z";
        }
        if (type == java.util.UUID.class) {
            return "a UUID";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    /**
     * A statement that failed below JPA: a value that slipped past validation (400), a conflict (409), or the
     * database being unavailable (503); see {@link Jdbc#translate}. Anything else is ours (500).
     */
    @ServerExceptionMapper
    public Response persistence(PersistenceException e, RoutingContext rc) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof SQLException sql) {
                RuntimeException translated = Jdbc.translate(sql);
                if (translated instanceof ApiException api) {
                    return api(api, rc);
                }
                break;
            }
        }
        return unexpected(e, rc);
    }

    private static Response challenge(Response response) {
        return Response.fromResponse(response).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    private static boolean isReturnValue(ConstraintViolation<?> v) {
        for (Path.Node node : v.getPropertyPath()) {
            if (node.getKind() == ElementKind.RETURN_VALUE) {
                return true;
            }
        }
        return false;
    }

    /**
     * The JSON-facing name of the violated field: its property path as the client writes it (names from
     * {@link io.aiaas.platform.common.validation.JsonFieldNames}, list positions as {@code [i]}, e.g.
     * {@code prices[0].per_1k_requests.tiering}), or the parameter name for plain parameters.
     */
    private static String field(Path path) {
        String parameter = null;
        StringBuilder properties = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = toSnakeCase(node.getName());
                continue;
            }
            if (node.getKind() != ElementKind.PROPERTY && node.getKind() != ElementKind.CONTAINER_ELEMENT) {
                continue;
            }
            if (node.isInIterable() && (node.getIndex() != null || node.getKey() != null)) {
                // the position in the list (or the map key) this node's value sits at
                properties.append('[').append(node.getIndex() != null ? node.getIndex() : node.getKey()).append(']');
            }
            if (node.getKind() == ElementKind.PROPERTY && node.getName() != null) {
                properties.append(properties.length() == 0 ? "" : ".").append(node.getName());
            }
        }
        if (properties.length() > 0) {
            return parameter == null || properties.charAt(0) != '[' ? properties.toString() : parameter + properties;
        }
        return parameter == null ? "request" : parameter;
    }

    private static String toSnakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 409 -> "conflict";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> "client_error";
        };
    }

    private static String path(RoutingContext rc) {
        return rc == null ? "" : rc.normalizedPath();
    }

    private static String contentType(RoutingContext rc) {
        String type = rc == null ? null : rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
        return type == null ? "(none)" : type;
    }
}
