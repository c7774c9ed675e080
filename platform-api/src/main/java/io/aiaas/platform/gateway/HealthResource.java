package io.aiaas.platform.gateway;

import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.error.ErrorBodies;
import io.aiaas.platform.dispatch.RoutingTable;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The Open Inference Protocol health probes of the gateway; they need no API key. */
@Path("/v2/health")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Inference (Open Inference Protocol v2)")
public class HealthResource {

    private final RoutingTable routes;

    HealthResource(RoutingTable routes) {
        this.routes = routes;
    }

    @GET
    @Path("/live")
    @Operation(operationId = "serverLive", summary = "Liveness; needs no key")
    @APIResponse(responseCode = "200", description = "Alive")
    public Map<String, Boolean> live() {
        return Map.of("live", true);
    }

    /** Ready when this replica's routing table is current (so the database answers). */
    @GET
    @Path("/ready")
    @Operation(operationId = "serverReady", summary = "Readiness; needs no key")
    @APIResponse(responseCode = "200", description = "Ready")
    @APIResponse(responseCode = "503", description = "The routing table is stale",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = InferenceResource.ErrorBody.class)))
    public Response ready() {
        if (routes.isFresh()) {
            return Response.ok(Map.of("ready", true)).build();
        }
        return ErrorBodies.response("/v2/health/ready", ApiException.unavailable("routing_stale",
                "routing table is stale: the database has not answered recently"));
    }
}
