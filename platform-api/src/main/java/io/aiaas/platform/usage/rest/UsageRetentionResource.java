package io.aiaas.platform.usage.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.Roles;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.usage.persistence.UsageRetention;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin API: where the retention of raw usage rows stands (platform-admin). */
@Path("/admin/v1/usage/retention")
@RolesAllowed(Roles.PLATFORM_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Usage (admin)")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Not a platform admin",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class UsageRetentionResource {

    /**
     * @param retentionMonths this replica's setting (0: rows kept for ever)
     * @param keptFrom the first instant whose raw rows are all kept; null when none were removed
     * @param expiredMonths the months whose raw rows were removed ({@code YYYY-MM}), newest first, at most 120
     */
    public record Retention(int retentionMonths, Instant keptFrom, List<String> expiredMonths) {
    }

    private final AccessService access;
    private final UsageRetention retention;

    UsageRetentionResource(AccessService access, UsageRetention retention) {
        this.access = access;
        this.retention = retention;
    }

    @GET
    @Operation(operationId = "adminUsageRetention", summary = "The retention of raw usage rows: the setting, the first"
            + " instant kept and the months removed")
    @APIResponse(responseCode = "200", description = "Where it stands")
    public Retention get() {
        access.requirePlatformAdmin();
        return new Retention(retention.months(), retention.keptFrom().orElse(null),
                retention.expiredMonths(120).stream().map(Object::toString).toList());
    }
}
