package io.aiaas.platform.worker.auth;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The control plane's public keys as a JWK Set (RFC 7517), without authentication: workers fetch it when a token
 * names a key they do not know yet (a rotation).
 */
@Path("/internal/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Internal (workers)")
public class ControlPlaneKeysResource {

    private final ControlPlaneKeys keys;

    ControlPlaneKeysResource(ControlPlaneKeys keys) {
        this.keys = keys;
    }

    @GET
    @Operation(operationId = "internalGetControlPlaneKeys")
    @APIResponse(responseCode = "200", description = "JWK Set: the signing key and every other published key (ES256, P-256)")
    public Map<String, Object> keys() {
        return keys.published().toMap();
    }
}
