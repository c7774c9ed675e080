package io.aiaas.platform.common.web;

import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/**
 * The request id that every response carries in {@code x-request-id}: always a fresh random UUID made here, never
 * one a client sent, because it keys the call's usage row and a client must not be able to make two calls share one
 * (clients correlate their own ids through the Open Inference Protocol {@code id} field, which is echoed).
 */
public final class RequestIds {

    /** Response header. */
    public static final String HEADER = "x-request-id";
    /**
     * Name under which the id of the current request is stored: a {@link RoutingContext} data entry and a JAX-RS
     * {@code ContainerRequestContext} property. The value is a canonical lower-case UUID string.
     */
    public static final String PROPERTY = "io.aiaas.requestId";

    private RequestIds() {
    }

    /** A new request id. */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** The id of the request being handled in this routing context, or null outside a request. */
    public static String current(RoutingContext rc) {
        return rc == null ? null : rc.get(PROPERTY);
    }
}
