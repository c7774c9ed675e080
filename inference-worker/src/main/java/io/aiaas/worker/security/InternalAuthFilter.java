package io.aiaas.worker.security;

import io.aiaas.internalauth.Audiences;
import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.InvalidTokenException;
import io.aiaas.internalauth.Issuers;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Requires an internal JWT with audience {@code aiaas-worker}, issued by the control plane, on every path except the probes
 * and the Prometheus scrape at {@code /q/metrics} (counters only, no model data; docs/observability.md).
 * It sits on the Vert.x router rather than in JAX-RS so that non-JAX-RS paths (/q/openapi, unknown ones) are covered too.
 */
@ApplicationScoped
public class InternalAuthFilter {

    private final InternalTokens tokens;

    public InternalAuthFilter(InternalTokens tokens) {
        this.tokens = tokens;
    }

    void register(@Observes Router router) {
        router.route().order(-1000).handler(this::check);
    }

    static boolean open(String path) {
        return path.equals("/v2/health/live") || path.equals("/v2/health/ready")
                || path.equals("/q/health") || path.startsWith("/q/health/")
                || path.equals("/q/metrics");
    }

    private void check(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (open(path)) {
            ctx.next();
            return;
        }
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            reject(ctx, "missing bearer token");
            return;
        }
        try {
            tokens.verify(header.substring(7).trim(), Audiences.WORKER, Issuers.PLATFORM);
        } catch (InvalidTokenException e) {
            reject(ctx, "invalid token: " + e.getMessage());
            return;
        }
        ctx.next();
    }

    private static void reject(RoutingContext ctx, String message) {
        ctx.response().setStatusCode(401)
                .putHeader("Content-Type", "application/json")
                .putHeader("WWW-Authenticate", "Bearer")
                .end(new JsonObject().put("error", message).encode());
    }
}
