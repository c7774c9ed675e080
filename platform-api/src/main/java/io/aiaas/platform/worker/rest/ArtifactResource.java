package io.aiaas.platform.worker.rest;

import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.model.service.ModelRefs;
import io.aiaas.platform.worker.auth.WorkerAuthenticated;
import io.aiaas.platform.worker.service.ArtifactStore;
import io.aiaas.platform.worker.service.ArtifactStore.Artifact;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Serves model files to workers, streamed from storage, with their sha256 for the worker to check. */
@Path("/internal/v1/artifacts")
@WorkerAuthenticated
@Tag(name = "Internal (workers)")
public class ArtifactResource {

    private final ArtifactStore artifacts;

    ArtifactResource(ArtifactStore artifacts) {
        this.artifacts = artifacts;
    }

    @GET
    @Path("/{name}/{version}")
    @Operation(operationId = "internalDownloadArtifact")
    @APIResponse(responseCode = "200", description = "The .onnx file or zip archive as uploaded, with its sha256 in"
            + " x-aiaas-sha256")
    @APIResponse(responseCode = "401", description = "No valid internal JWT")
    @APIResponse(responseCode = "404", description = "artifact_not_found: no such READY version")
    public Response download(@PathParam("name") String name, @PathParam("version") String version) {
        return artifacts.find(name, version)
                .map(ArtifactResource::file)
                .orElseThrow(() -> ApiException.notFound("artifact_not_found",
                        "model " + ModelRefs.shorten(name) + " has no ready version " + ModelRefs.shorten(version)));
    }

    private static Response file(Artifact artifact) {
        // A java.nio.file.Path entity is sent from the file by the server (no copy through the heap).
        return Response.ok(artifact.path(), "application/octet-stream")
                .header("x-aiaas-sha256", artifact.sha256())
                .build();
    }
}
