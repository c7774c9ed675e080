package io.aiaas.worker.inference;

import org.jboss.logging.MDC;

import java.util.Collection;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The request id of the call a thread works for, kept in the logging MDC under {@value #KEY} so that every log line of
 * the call carries it (the JSON console log prints it as {@code mdc.request_id}). On a request's Vert.x context the
 * MDC lives in that context and follows the call onto the worker thread that runs it; threads of our own (the
 * batchers) set it around the work they do for a call with {@link #open}.
 */
public final class RequestMdc {

    /** The MDC key; the same on the control plane. */
    public static final String KEY = "request_id";

    private RequestMdc() {
    }

    /** The id of the call this thread works for, or null. */
    public static String current() {
        Object id = MDC.get(KEY);
        return id == null ? null : id.toString();
    }

    /** Sets {@code id} (null: none) until the scope closes, which puts back what was there before. */
    public static Scope open(String id) {
        Object before = MDC.get(KEY);
        set(id);
        return () -> set(before == null ? null : before.toString());
    }

    /** One id standing for the calls of a batch: their ids joined by commas, so a search for one id finds the line. */
    public static String joined(Collection<String> ids) {
        return ids.stream().filter(Objects::nonNull).distinct().collect(Collectors.joining(","));
    }

    /** Sets {@code id} (null: none) for the rest of this thread's or Vert.x context's work. */
    public static void set(String id) {
        if (id == null || id.isEmpty()) {
            MDC.remove(KEY);
        } else {
            MDC.put(KEY, id);
        }
    }

    /** An open request id; closing it never throws. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
