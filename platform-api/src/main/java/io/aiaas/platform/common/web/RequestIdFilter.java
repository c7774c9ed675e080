package io.aiaas.platform.common.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Gives every HTTP request an id before any other handler runs (REST, health, 404s, auth failures alike) and
 * sets it as the {@code x-request-id} response header and in the logging MDC ({@link RequestIds#MDC_KEY}). gRPC calls on the same port are left to the gRPC service, which
 * gives each call its id (io.aiaas.platform.gateway.grpc.GrpcCallInterceptor) and sends it back as metadata.
 */
@ApplicationScoped
public class RequestIdFilter {

    // high priority: runs before the security and REST handlers, so even their early answers carry the header
    private static final int PRIORITY = 10_000;

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            String type = rc.request().getHeader("Content-Type");
            if (type != null && type.startsWith("application/grpc") && rc.request().version() == HttpVersion.HTTP_2) {
                rc.next();
                return;
            }
            String id = RequestIds.newId();
            rc.put(RequestIds.PROPERTY, id);
            RequestIds.toMdc(id); // kept in the request's own Vert.x context, which ends with the request
            rc.response().headers().set(RequestIds.HEADER, id);
            rc.next();
        }, PRIORITY);
    }

    /** Mirrors the id into the JAX-RS request properties for code that only sees a ContainerRequestContext. */
    @ServerRequestFilter(preMatching = true)
    public void exposeToJaxRs(ContainerRequestContext request, RoutingContext rc) {
        request.setProperty(RequestIds.PROPERTY, RequestIds.current(rc));
    }
}
