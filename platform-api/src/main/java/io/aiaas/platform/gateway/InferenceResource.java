package io.aiaas.platform.gateway;

import io.aiaas.platform.common.web.RequestIds;
import io.aiaas.platform.dispatch.RoutingTable;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Map;

/** The public Open Inference Protocol v2 endpoints, authenticated by API key; all work is in {@link GatewayService}. */
@Path("/v2")
public class InferenceResource {

    private final GatewayService gateway;
    private final RoutingTable routes;

    InferenceResource(GatewayService gateway, RoutingTable routes) {
        this.gateway = gateway;
        this.routes = routes;
    }

    @GET
    @Path("/health/live")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Boolean> live() {
        return Map.of("live", true);
    }

    /** Ready when this replica's routing table is current (so the database answers). */
    @GET
    @Path("/health/ready")
    @Produces(MediaType.APPLICATION_JSON)
    public Response ready() {
        if (routes.isFresh()) {
            return Response.ok(Map.of("ready", true)).build();
        }
        return Response.status(503).header("Retry-After", "1")
                .entity(Map.of("error", "routing table is stale: the database has not answered recently")).build();
    }

    @GET
    @Path("/models/{name}")
    public Response model(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("name") String name,
            RoutingContext rc) {
        return gateway.metadata(authorization, RequestIds.current(rc), name, null);
    }

    @GET
    @Path("/models/{name}/versions/{version}")
    public Response modelVersion(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("name") String name, @PathParam("version") String version, RoutingContext rc) {
        return gateway.metadata(authorization, RequestIds.current(rc), name, version);
    }

    @GET
    @Path("/models/{name}/ready")
    public Response modelReady(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("name") String name, RoutingContext rc) {
        return gateway.ready(authorization, RequestIds.current(rc), name, null);
    }

    @GET
    @Path("/models/{name}/versions/{version}/ready")
    public Response modelVersionReady(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @PathParam("name") String name, @PathParam("version") String version, RoutingContext rc) {
        return gateway.ready(authorization, RequestIds.current(rc), name, version);
    }

    @POST
    @Path("/models/{name}/infer")
    public Response infer(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, @PathParam("name") String name,
            RoutingContext rc, InputStream body) {
        return gateway.infer(authorization, RequestIds.current(rc), name, null, contentLength, body);
    }

    @POST
    @Path("/models/{name}/versions/{version}/infer")
    public Response inferVersion(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength, @PathParam("name") String name,
            @PathParam("version") String version, RoutingContext rc, InputStream body) {
        return gateway.infer(authorization, RequestIds.current(rc), name, version, contentLength, body);
    }
}
