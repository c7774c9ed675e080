package io.aiaas.platform.common.web;

import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The request id that every response carries in {@code x-request-id}. An incoming id is reused when it is a UUID
 * (so it can key usage rows); anything else is replaced by a fresh random UUID.
 */
public final class RequestIds {

    /** Response (and accepted request) header. */
    public static final String HEADER = "x-request-id";
    /**
     * Name under which the id of the current request is stored: a {@link RoutingContext} data entry and a JAX-RS
     * {@code ContainerRequestContext} property. The value is a canonical lower-case UUID string.
     */
    public static final String PROPERTY = "io.aiaas.requestId";

    private static final Pattern UUID_PATTERN =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private RequestIds() {
    }

    /** The id to use for a request that came with the given header value (may be null). */
    public static String accept(String incoming) {
        if (incoming != null && UUID_PATTERN.matcher(incoming.trim()).matches()) {
            return incoming.trim().toLowerCase();
        }
        return UUID.randomUUID().toString();
    }

    /** The id of the request being handled in this routing context, or null outside a request. */
    public static String current(RoutingContext rc) {
        return rc == null ? null : rc.get(PROPERTY);
    }
}
