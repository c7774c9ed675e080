package io.aiaas.platform.model.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.access.Roles;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.model.service.ModelDetail;
import io.aiaas.platform.model.service.ModelGrants;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/** Sharing a private model with a tenant besides its owner (realm role platform-admin). */
@Path("/admin/v1/models/{name}/grants/{slug}")
@RolesAllowed(Roles.PLATFORM_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Models (admin)")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Not a platform admin",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "model_not_found or tenant_not_found",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class ModelGrantAdminResource {

    private final AccessService access;
    private final ModelGrants grants;

    ModelGrantAdminResource(AccessService access, ModelGrants grants) {
        this.access = access;
        this.grants = grants;
    }

    @PUT
    @Operation(operationId = "adminGrantModel", summary = "Share a model with a tenant")
    @APIResponse(responseCode = "200", description = "The model card with its grants. From this commit on the tenant "
            + "may call the model's versions, see its card and pin a version, as its owner may (while the model is "
            + "public every tenant may anyway); granting again changes nothing")
    @APIResponse(responseCode = "400", description = "invalid_grant: the tenant owns the model, or is closed",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public ModelDetail grant(@RestPath String name, @RestPath String slug) {
        Caller caller = access.requirePlatformAdmin();
        return grants.grant(name, access.requireMember(slug), caller);
    }

    @DELETE
    @Operation(operationId = "adminRevokeModelGrant", summary = "Stop sharing a model with a tenant")
    @APIResponse(responseCode = "204", description = "The tenant's calls to the model get 404 from this commit on, "
            + "unless the model is public or its own (also when it had no grant)")
    public void revoke(@RestPath String name, @RestPath String slug) {
        Caller caller = access.requirePlatformAdmin();
        grants.revoke(name, access.requireMember(slug), caller);
    }
}
