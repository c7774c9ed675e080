package io.aiaas.platform.tenant.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.tenant.service.TenantService;
import io.aiaas.platform.tenant.service.TimeZoneRequest;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Tenant API: the tenant's admins move its billing periods to another time zone (members read it in
 * {@code GET .../plan}).
 */
@Path("/api/v1/tenants/{slug}/time-zone")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Plans")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "tenant_not_found: no such tenant, or the caller is not a member",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class TenantTimeZoneResource {

    private final AccessService access;
    private final TenantService tenants;

    TenantTimeZoneResource(AccessService access, TenantService tenants) {
        this.access = access;
        this.tenants = tenants;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "setTimeZone", summary = "Move the tenant's billing periods to another time zone (an"
            + " IANA id): from now on, unless that zone is still in a month that has ended in the current one")
    @APIResponse(responseCode = "200", description = "The tenant's time zone now")
    @APIResponse(responseCode = "400", description = "validation_failed, invalid_json, invalid_time_zone",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "Not an admin of the tenant",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "tenant_closed, time_zone_change_too_early (the detail says"
            + " from when it can be changed)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public TimeZoneRequest set(@RestPath String slug, @Valid @NotNull TimeZoneRequest body) {
        TenantAccess tenant = access.requireTenantAdmin(slug);
        return new TimeZoneRequest(tenants.changeTimeZone(tenant.slug(), body.timeZone(), tenant.caller(),
                Instant.now()));
    }
}
