package io.aiaas.platform.model.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.access.Roles;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.model.service.ModelSunsets;
import io.aiaas.platform.model.service.SunsetRequest;
import io.aiaas.platform.model.service.VersionView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
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

/** A model version's sunset (realm role platform-admin): deprecated now, retired by the platform at its date. */
@Path("/admin/v1/models/{name}/versions/{version}/sunset")
@RolesAllowed(Roles.PLATFORM_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Models (admin)")
@APIResponse(responseCode = "400", description = "invalid_version: not a positive integer",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Not a platform admin",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "model_not_found or version_not_found",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "409", description = "version_retired",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class ModelSunsetAdminResource {

    private final AccessService access;
    private final ModelSunsets sunsets;

    ModelSunsetAdminResource(AccessService access, ModelSunsets sunsets) {
        this.access = access;
        this.sunsets = sunsets;
    }

    @PUT
    @Operation(operationId = "adminScheduleModelVersionSunset", summary = "Deprecate a version and set when the "
            + "platform retires it")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "The version with its deprecation. From now on calls that name "
            + "it, or a tenant's pin to it, carry Deprecation and Sunset headers (and Link rel=successor-version); "
            + "every tenant that may call it gets a model_version.deprecated webhook event; at sunset_at it is retired")
    @APIResponse(responseCode = "400", description = "invalid_sunset: sunset_at missing, not an ISO-8601 instant with"
            + " its offset, not in the future or more than ten years ahead, or a note over 500 characters;"
            + " invalid_successor: not a callable version of this model, the version itself, or retired first",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public VersionView schedule(@RestPath String name, @RestPath String version, @NotNull SunsetRequest body) {
        Caller caller = access.requirePlatformAdmin();
        return sunsets.schedule(name, version, body, caller);
    }

    @DELETE
    @Operation(operationId = "adminCancelModelVersionSunset", summary = "Cancel a version's sunset")
    @APIResponse(responseCode = "204", description = "Not deprecated any more (also when it was not); tenants that"
            + " may call it get a model_version.deprecation_cancelled webhook event")
    public void cancel(@RestPath String name, @RestPath String version) {
        Caller caller = access.requirePlatformAdmin();
        sunsets.cancel(name, version, caller);
    }
}
