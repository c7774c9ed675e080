package io.aiaas.worker.rest;

import io.aiaas.protocol.SafeText;
import io.aiaas.worker.config.WorkerConfig;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Locale;

/**
 * The {@code {"error": ...}} body for failures that happen outside JAX-RS, on the Vert.x router: Quarkus' own body
 * limit (a chunked body past {@code max-body-size}), a route that fails before a resource runs. Without it those
 * answers would have an empty or HTML body.
 */
@ApplicationScoped
public class JsonErrorRoutes {

    private static final Logger LOG = Logger.getLogger(JsonErrorRoutes.class);

    private final long maxBytes;

    public JsonErrorRoutes(WorkerConfig config) {
        this.maxBytes = config.maxRequestBytes();
    }

    void register(@Observes Router router) {
        // Failure handlers run in route order: ahead of Quarkus' own, which answers HTML or an empty body.
        router.route().order(-1001).failureHandler(this::failure);
        // Failures no route's handler takes, e.g. a path that cannot be percent-decoded (no route can match it).
        for (int status : new int[] {400, 404, 405, 406, 413, 414, 415, 500, 501, 503}) {
            router.errorHandler(status, this::failure);
        }
    }

    private void failure(RoutingContext ctx) {
        if (ctx.response().headWritten() || ctx.response().ended()) {
            return;
        }
        Throwable failure = ctx.failure();
        int status = failure instanceof HttpException http ? http.getStatusCode()
                : ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        String message;
        if (status == 413) {
            message = new RequestTooLargeException(maxBytes).getMessage();
        } else if (status == 404) {
            message = "no endpoint at " + SafeText.forMessage(ctx.request().path(), 200);
        } else if (status >= 500) {
            LOG.errorf(failure, "request to %s failed with %d", ctx.request().path(), status);
            message = "internal error";
        } else {
            message = HttpResponseStatus.valueOf(status).reasonPhrase().toLowerCase(Locale.ROOT);
        }
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", message).encode());
    }
}
