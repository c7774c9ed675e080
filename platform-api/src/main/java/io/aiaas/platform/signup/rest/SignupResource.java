package io.aiaas.platform.signup.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.signup.service.SignedUpTenant;
import io.aiaas.platform.signup.service.SignupService;
import io.aiaas.platform.signup.service.SignupStatusView;
import io.aiaas.platform.tenant.service.CreateTenantRequest;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * Self-service sign-up: whether the calling person may create a tenant of their own and on which plan, and creating it
 * (docs/signup.md). Not {@code POST /api/v1/tenants}: a root resource at that path would take over the answers for
 * every {@code /api/v1/tenants/{slug}/...} path and method that no other resource serves (404 instead of 405).
 */
@Path("/api/v1/signup")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sign-up")
public class SignupResource {

    private final AccessService access;
    private final SignupService service;

    SignupResource(AccessService access, SignupService service) {
        this.access = access;
        this.service = service;
    }

    @GET
    @Operation(operationId = "getSignupStatus")
    @APIResponse(responseCode = "200", description = "open, plan_name (null when closed), max_tenants_per_person and"
            + " tenants_created (by this person)")
    @APIResponse(responseCode = "401", description = "No valid user token",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public SignupStatusView get() {
        return service.status(access.currentUser());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "signUp",
            summary = "Create a tenant: the caller becomes its admin, and it starts on the sign-up plan")
    @APIResponse(responseCode = "201", description = "The tenant; its API is under /api/v1/tenants/{slug}")
    @APIResponse(responseCode = "400", description = "validation_failed: slug or name breaks its rule",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No valid user token",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "signup_closed: the platform admins chose no sign-up plan",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "tenant_exists (the slug is taken) or signup_limit_reached"
            + " (this person already created max_tenants_per_person tenants)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public RestResponse<SignedUpTenant> create(@Valid @NotNull CreateTenantRequest body) {
        return RestResponse.status(RestResponse.Status.CREATED, service.signUp(body, access.currentUser()));
    }
}
