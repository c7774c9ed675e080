package io.aiaas.platform.model.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.access.Roles;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.common.web.Created;
import io.aiaas.platform.gateway.InferenceSchemas;
import io.aiaas.platform.model.service.CreateModelRequest;
import io.aiaas.platform.model.service.ModelDetail;
import io.aiaas.platform.model.service.ModelRollouts;
import io.aiaas.platform.model.service.ModelService;
import io.aiaas.platform.model.service.ModelView;
import io.aiaas.platform.model.service.PlacementPolicyRequest;
import io.aiaas.platform.model.service.RolloutRequest;
import io.aiaas.platform.model.service.UpdateModelRequest;
import io.aiaas.platform.model.service.VersionView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/** Admin API of the model registry (realm role platform-admin). */
@Path("/admin/v1/models")
@RolesAllowed(Roles.PLATFORM_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Models (admin)")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Not a platform admin",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class ModelAdminResource {

    private final AccessService access;
    private final ModelService service;
    private final ModelRollouts rollouts;

    ModelAdminResource(AccessService access, ModelService service, ModelRollouts rollouts) {
        this.access = access;
        this.service = service;
        this.rollouts = rollouts;
    }

    @POST
    @Operation(operationId = "adminCreateModel")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "Created, without versions; Location names the model")
    @APIResponse(responseCode = "400", description = "Invalid name or visibility, owner_tenant missing or unknown")
    @APIResponse(responseCode = "409", description = "model_exists: the name is taken")
    public RestResponse<ModelDetail> create(@Valid @NotNull CreateModelRequest body, UriInfo uri) {
        Caller caller = access.requirePlatformAdmin();
        ModelDetail created = service.create(body, caller);
        return Created.at(uri, created.name(), created);
    }

    @GET
    @Operation(operationId = "adminListModels")
    @APIResponse(responseCode = "200", description = "All models by name")
    public List<ModelView> list() {
        access.requirePlatformAdmin();
        return service.list();
    }

    @GET
    @Path("{name}")
    @Operation(operationId = "adminGetModel")
    @APIResponse(responseCode = "200", description = "The model card: its placement policy, every version with its "
            + "signature, warm-up, example request and answer, and placements (assigned by the control plane and as the "
            + "workers report them, with the reason of a failed load)")
    @APIResponse(responseCode = "404", description = "model_not_found")
    public ModelDetail get(@RestPath String name) {
        access.requirePlatformAdmin();
        return service.get(name);
    }

    @PATCH
    @Path("{name}")
    @Operation(operationId = "adminUpdateModel")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "The model card with the changes (absent fields stay as they "
            + "are; an empty description or owner_tenant clears it); every replica's gateway sees the new visibility "
            + "and owner when this answers")
    @APIResponse(responseCode = "400", description = "owner_tenant_required: private without an owner; "
            + "unknown_owner_tenant; validation_failed (visibility not public or private, a field too long)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "model_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public ModelDetail update(@RestPath String name, @Valid @NotNull UpdateModelRequest body) {
        Caller caller = access.requirePlatformAdmin();
        return service.update(name, body, caller);
    }

    @DELETE
    @Path("{name}")
    @Operation(operationId = "adminDeleteModel")
    @APIResponse(responseCode = "204", description = "Deleted: its versions are retired (no tenant can call them, "
            + "workers unload them) and the name is free for a new model; usage, invoices and audit keep naming it")
    @APIResponse(responseCode = "404", description = "model_not_found (also for a model already deleted)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public void delete(@RestPath String name) {
        Caller caller = access.requirePlatformAdmin();
        service.delete(name, caller);
    }

    @PUT
    @Path("{name}/placement")
    @Operation(operationId = "adminSetModelPlacement")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "The model card with the new policy; placement is planned again "
            + "at once (workers load or unload in their next heartbeat)")
    @APIResponse(responseCode = "400", description = "invalid_placement: max_replicas below min_replicas; a field out "
            + "of range, or device not gpu, cpu or any",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "model_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public ModelDetail putPlacement(@RestPath String name, @Valid @NotNull PlacementPolicyRequest body) {
        Caller caller = access.requirePlatformAdmin();
        return service.setPlacement(name, body, caller);
    }

    @PUT
    @Path("{name}/rollout")
    @Operation(operationId = "adminSetModelRollout")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "The model card with the new rollout: calls that name no version"
            + " go to stable_version (null: the newest version a worker serves), and canary_percent of them to"
            + " canary_version while a worker serves it; a tenant's pin and a call that names a version ignore it")
    @APIResponse(responseCode = "400", description = "invalid_rollout: a canary without its percent or the other way"
            + " round, or one version as both; validation_failed: a version not a positive integer, a percent not 1"
            + " to 99",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "model_not_found or version_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "version_retired: a retired version cannot take calls",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public ModelDetail putRollout(@RestPath String name, @Valid @NotNull RolloutRequest body) {
        Caller caller = access.requirePlatformAdmin();
        return rollouts.set(name, body, caller);
    }

    /** The body is read as a stream (Quarkus REST hands a blocking InputStream to this worker-thread method). */
    @POST
    @Path("{name}/versions")
    @Operation(operationId = "adminUploadModelVersion")
    @Consumes({MediaType.APPLICATION_OCTET_STREAM, "application/zip", "application/x-zip-compressed"})
    @RequestBody(description = "A self-contained .onnx file, or a zip archive of one .onnx file and its external data"
            + " files (models over 2 GB); which one is read from the bytes, not from the content type",
            content = {@Content(mediaType = MediaType.APPLICATION_OCTET_STREAM,
                    schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                            format = "binary")),
                @Content(mediaType = "application/zip",
                    schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                            format = "binary"))})
    @APIResponse(responseCode = "201", description = "Validated and READY; Location names the version. warmup says "
            + "whether zero-filled inputs ran (zeros) or not (skipped, with the reason): a model that refuses zeros is "
            + "still accepted; register an example request with PUT .../versions/{version}/example")
    @APIResponse(responseCode = "400", description = "invalid_model: not a loadable, self-contained ONNX model, nor a"
            + " zip archive of one whose tensors read only its own data files",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "model_not_found")
    @APIResponse(responseCode = "413", description = "payload_too_large: over aiaas.models.max-upload-bytes")
    @APIResponse(responseCode = "415", description = "Not application/octet-stream or application/zip")
    public RestResponse<VersionView> upload(@RestPath String name, InputStream body,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength, UriInfo uri) {
        Caller caller = access.requirePlatformAdmin();
        VersionView created = service.upload(name, body, contentLength == null ? -1 : contentLength, caller);
        return Created.at(uri, String.valueOf(created.version()), created);
    }

    /**
     * The example request is the version's warm-up and its model card's "what to send": it must run, and the
     * answer it gives is stored beside it.
     */
    @PUT
    @Path("{name}/versions/{version}/example")
    @Operation(operationId = "adminSetModelVersionExample")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequestBody(description = "An Open Inference Protocol v2 infer request for this version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = InferenceSchemas.InferRequest.class)))
    @APIResponse(responseCode = "200", description = "The version with its example request and answer; warmup is "
            + "now example, and workers warm it up with the example")
    @APIResponse(responseCode = "400", description = "invalid_example: not a valid infer request, or the model "
            + "refuses it (the message says why); invalid_version",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "model_not_found or version_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "version_retired",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "payload_too_large: over aiaas.models.max-example-bytes",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public VersionView putExample(@RestPath String name, @RestPath String version, byte[] body) {
        Caller caller = access.requirePlatformAdmin();
        return service.putExample(name, version, body, caller);
    }

    @DELETE
    @Path("{name}/versions/{version}")
    @Operation(operationId = "adminRetireModelVersion")
    @APIResponse(responseCode = "204", description = "Retired (also when it already was)")
    @APIResponse(responseCode = "400", description = "invalid_version: not a positive integer",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "model_not_found or version_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public void retire(@RestPath String name, @RestPath String version) {
        Caller caller = access.requirePlatformAdmin();
        service.retire(name, version, caller);
    }
}
