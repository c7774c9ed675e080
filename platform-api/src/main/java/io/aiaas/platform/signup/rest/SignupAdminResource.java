package io.aiaas.platform.signup.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.access.Roles;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.signup.service.ChangeSignupRequest;
import io.aiaas.platform.signup.service.SignupPolicyView;
import io.aiaas.platform.signup.service.SignupService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin API for self-service sign-up: the plan new tenants start on, or closed (docs/signup.md). */
@Path("/admin/v1/signup")
@RolesAllowed(Roles.PLATFORM_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Sign-up (admin)")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Not a platform admin",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class SignupAdminResource {

    private final AccessService access;
    private final SignupService service;

    SignupAdminResource(AccessService access, SignupService service) {
        this.access = access;
        this.service = service;
    }

    @GET
    @Operation(operationId = "adminGetSignupPolicy")
    @APIResponse(responseCode = "200", description = "Whether sign-up is open, its plan and the per-person limit")
    public SignupPolicyView get() {
        access.requirePlatformAdmin();
        return service.policy();
    }

    @PUT
    @Operation(operationId = "adminSetSignupPolicy",
            summary = "Open sign-up on a plan (plan_id), or close it (plan_id null), and set how many tenants one"
            + " person may create")
    @APIResponse(responseCode = "200", description = "The policy now")
    @APIResponse(responseCode = "400", description = "validation_failed (max_tenants_per_person missing or not 1-100)"
            + " or unknown_plan",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "plan_archived: an archived plan takes no new tenants",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public SignupPolicyView put(@Valid @NotNull ChangeSignupRequest body) {
        Caller caller = access.requirePlatformAdmin();
        return service.change(body, caller);
    }
}
