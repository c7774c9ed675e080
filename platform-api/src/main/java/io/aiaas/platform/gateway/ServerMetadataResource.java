package io.aiaas.platform.gateway;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The Open Inference Protocol's server metadata, {@code GET /v2} (what Triton's and KServe's clients ask with
 * {@code get_server_metadata()}); the same answer as the gRPC {@code ServerMetadata}. Needs no key.
 */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Inference (Open Inference Protocol v2)")
public class ServerMetadataResource {

    /** The extensions of the protocol the gateway speaks beyond its core. */
    public static final List<String> EXTENSIONS = List.of("binary_tensor_data");
    /** The server's name in the protocol's metadata. */
    public static final String NAME = "aiaas";

    /** The protocol's server metadata answer. */
    @Schema(name = "ServerMetadata")
    public record ServerMetadata(String name, String version, List<String> extensions) {
    }

    private final ServerMetadata metadata;

    ServerMetadataResource(
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        this.metadata = new ServerMetadata(NAME, version, EXTENSIONS);
    }

    @GET
    @Operation(operationId = "serverMetadata",
            summary = "Server metadata: name, version and protocol extensions; needs no key")
    @APIResponse(responseCode = "200", description = "The server's metadata",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ServerMetadata.class)))
    public ServerMetadata metadata() {
        return metadata;
    }
}
