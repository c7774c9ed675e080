package io.aiaas.platform.common.web;

import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import org.jboss.logging.MDC;

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
    /**
     * The logging MDC key of the id, so that every log line of the call carries it (mdc.request_id in the JSON console
     * log). On a request's Vert.x context the MDC lives in that context and follows the call to the worker threads and
     * event-loop callbacks that run on it; plain executors carry it with {@link #withMdc}.
     */
    public static final String MDC_KEY = "request_id";

    private RequestIds() {
    }

    /** A new request id. */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** Puts {@code id} into the logging MDC of the current request's Vert.x context. */
    public static void toMdc(String id) {
        MDC.put(MDC_KEY, id);
    }

    /** The request id in the logging MDC here, or null. */
    public static String inMdc() {
        Object id = MDC.get(MDC_KEY);
        return id == null ? null : id.toString();
    }

    /**
     * {@code task} with {@code id} in the MDC of the thread that runs it (a thread of a plain executor), and the thread's
     * previous value back afterwards.
     */
    public static Runnable withMdc(String id, Runnable task) {
        return () -> {
            Object before = MDC.get(MDC_KEY);
            MDC.put(MDC_KEY, id);
            try {
                task.run();
            } finally {
                if (before == null) {
                    MDC.remove(MDC_KEY);
                } else {
                    MDC.put(MDC_KEY, before);
                }
            }
        };
    }

    /** The id of the request being handled in this routing context, or null outside a request. */
    public static String current(RoutingContext rc) {
        return rc == null ? null : rc.get(PROPERTY);
    }
}
