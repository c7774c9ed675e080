package io.aiaas.platform.worker.rest;

import io.aiaas.platform.worker.auth.WorkerAuthenticated;
import io.aiaas.platform.worker.service.ArtifactStore;
import io.aiaas.platform.worker.service.ArtifactStore.Artifact;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Serves model files to workers, streamed from storage, with their sha256 for the worker to check. */
@Path("/internal/v1/artifacts")
@WorkerAuthenticated
public class ArtifactResource {

    private final ArtifactStore artifacts;

    ArtifactResource(ArtifactStore artifacts) {
        this.artifacts = artifacts;
    }

    @GET
    @Path("/{name}/{version}")
    public Response download(@PathParam("name") String name, @PathParam("version") String version) {
        int number;
        try {
            number = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            return notFound("version must be an integer");
        }
        return artifacts.find(name, number)
                .map(ArtifactResource::file)
                .orElseGet(() -> notFound("model " + name + " has no ready version " + version));
    }

    private static Response file(Artifact artifact) {
        // A java.nio.file.Path entity is sent from the file by the server (no copy through the heap).
        return Response.ok(artifact.path(), "application/octet-stream")
                .header("x-aiaas-sha256", artifact.sha256())
                .build();
    }

    private static Response notFound(String detail) {
        return Response.status(404).type("application/problem+json")
                .entity(Map.of("type", "urn:aiaas:problem:artifact_not_found", "title", "Not Found", "status", 404,
                        "detail", detail, "code", "artifact_not_found"))
                .build();
    }
}
