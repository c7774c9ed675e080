package io.aiaas.worker.security;

import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.InvalidTokenException;
import io.aiaas.internalauth.Issuers;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;

/**
 * Requires an internal JWT from the control plane on every path except the probes and the Prometheus scrape at
 * {@code /q/metrics} (counters only; docs/observability.md): ES256, issuer
 * {@code aiaas-platform}, audience = this worker's identity id (a token captured from another worker is refused),
 * signed by a key of the control plane's JWK Set. A token naming a key this worker does not know makes it fetch the
 * set again (rate-limited), off the event loop; so does a set older than its max age, without holding the call.
 * It sits on the Vert.x router rather than in JAX-RS so that non-JAX-RS paths (/q/openapi, unknown ones) are covered too.
 */
@ApplicationScoped
public class InternalAuthFilter {

    private final InternalTokens tokens = new InternalTokens();
    private final WorkerIdentity identity;

    public InternalAuthFilter(WorkerIdentity identity) {
        this.identity = identity;
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
            reject(ctx, 401, "missing bearer token");
            return;
        }
        Optional<WorkerIdentity.Enrolled> me = identity.enrolled();
        if (me.isEmpty()) {
            reject(ctx, 503, "worker is not enrolled with the control plane yet");
            return;
        }
        String token = header.substring(7).trim();
        String keyId;
        try {
            keyId = InternalTokens.keyId(token);
        } catch (InvalidTokenException e) {
            reject(ctx, 401, "invalid token: " + e.getMessage());
            return;
        }
        boolean unknownKey = identity.controlPlaneKeys().find(keyId).isEmpty();
        if ((unknownKey || identity.keysStale()) && identity.mayRefreshKeys()) {
            if (unknownKey) {
                // the control plane may have switched to its next key: fetch the set, then decide
                ctx.vertx().executeBlocking(identity::refreshKeys, false)
                        .onComplete(done -> verify(ctx, token, me.get()));
                return;
            }
            ctx.vertx().executeBlocking(identity::refreshKeys, false);
        }
        verify(ctx, token, me.get());
    }

    private void verify(RoutingContext ctx, String token, WorkerIdentity.Enrolled me) {
        try {
            tokens.verify(token, identity.controlPlaneKeys(), me.id().toString(), Issuers.PLATFORM);
        } catch (InvalidTokenException e) {
            reject(ctx, 401, "invalid token: " + e.getMessage());
            return;
        }
        ctx.next();
    }

    private static void reject(RoutingContext ctx, int status, String message) {
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader(status == 401 ? "WWW-Authenticate" : "Retry-After", status == 401 ? "Bearer" : "1")
                .end(new JsonObject().put("error", message).encode());
    }
}
