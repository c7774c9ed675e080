package io.aiaas.platform.worker.enrolment.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.common.web.PathIds;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.common.web.Created;
import io.aiaas.platform.worker.enrolment.service.EnrolmentService;
import io.aiaas.platform.worker.enrolment.service.EnrolmentViews.CreateEnrolmentToken;
import io.aiaas.platform.worker.enrolment.service.EnrolmentViews.CreatedEnrolmentToken;
import io.aiaas.platform.worker.enrolment.service.EnrolmentViews.EnrolmentTokenView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Platform admins issue, list and revoke worker enrolment tokens. A token is shown once; only its SHA-256 is stored.
 */
@Path("/admin/v1/workers/enrolment-tokens")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Workers (admin)")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Not a platform admin",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class EnrolmentTokensResource {

    private final AccessService access;
    private final EnrolmentService service;

    EnrolmentTokensResource(AccessService access, EnrolmentService service) {
        this.access = access;
        this.service = service;
    }

    @POST
    @Operation(operationId = "adminCreateEnrolmentToken")
    @APIResponse(responseCode = "201", description = "Created; the only response that shows the token")
    @APIResponse(responseCode = "400", description = "Missing name, uses not 1..10000, expiry out of range",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public RestResponse<CreatedEnrolmentToken> create(@Valid @NotNull CreateEnrolmentToken request, UriInfo uri) {
        Caller caller = access.requirePlatformAdmin();
        CreatedEnrolmentToken created = service.create(caller, request);
        return Created.at(uri, created.id().toString(), created);
    }

    @GET
    @Operation(operationId = "adminListEnrolmentTokens")
    @APIResponse(responseCode = "200", description = "Enrolment tokens, newest first, without their secrets")
    public List<EnrolmentTokenView> tokens() {
        access.requirePlatformAdmin();
        return service.list();
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "adminRevokeEnrolmentToken")
    @APIResponse(responseCode = "204", description = "Revoked (again: no error)")
    @APIResponse(responseCode = "404", description = "enrolment_token_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public void revoke(@RestPath String id) {
        Caller caller = access.requirePlatformAdmin();
        service.revoke(caller, PathIds.uuid(id, "enrolment_token_not_found"));
    }
}
