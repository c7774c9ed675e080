package io.aiaas.worker.rest;

import io.aiaas.worker.inference.RequestMdc;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Puts the id of each call into the logging MDC ({@link RequestMdc}) before anything else handles it, so that every
 * log line of the call carries it: the id the control plane forwards in {@value #HEADER} (the one in its own logs and
 * usage row), or a fresh one for a call without a usable id. The id goes back in the same response header.
 */
@ApplicationScoped
public class RequestIdRoute {

    /** The header the control plane forwards the call's id in (platform-api dispatch/WorkerClient). */
    public static final String HEADER = "x-request-id";
    /** What an id may look like: it is printed in log lines, so no spaces, quotes or line breaks. */
    private static final Pattern USABLE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    void register(@Observes Router router) {
        // ahead of InternalAuthFilter (-1000), so that even a refused call's lines carry its id
        router.route().order(-1100).handler(this::tag);
    }

    private void tag(RoutingContext ctx) {
        String id = ctx.request().getHeader(HEADER);
        if (id == null || !USABLE.matcher(id).matches()) {
            id = UUID.randomUUID().toString();
        }
        RequestMdc.set(id); // kept in the request's own Vert.x context, which ends with the request
        ctx.response().putHeader(HEADER, id);
        ctx.next();
    }
}
