package io.aiaas.platform.me.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.me.service.MeService;
import io.aiaas.platform.me.service.MeView;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The calling person: who they are and which tenants they belong to (what the console starts from). */
@Path("/api/v1/me")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Me")
public class MeResource {

    private final AccessService access;
    private final MeService service;

    MeResource(AccessService access, MeService service) {
        this.access = access;
        this.service = service;
    }

    @GET
    @Operation(operationId = "getMe")
    @APIResponse(responseCode = "200", description = "The caller's subject, e-mail, email_verified, username,"
            + " platform_admin and tenants (slug, name, role, status), by slug")
    @APIResponse(responseCode = "401", description = "No valid user token",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public MeView me() {
        Caller caller = access.currentUser();
        return service.me(caller);
    }
}
