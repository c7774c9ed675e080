package io.aiaas.platform.billing.payment.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.Roles;
import io.aiaas.platform.billing.payment.service.PaymentService;
import io.aiaas.platform.billing.payment.service.ReceivablesView;
import io.aiaas.platform.common.error.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

/** Admin API: what tenants owe the platform, per currency (platform-admin). */
@Path("/admin/v1/billing/receivables")
@RolesAllowed(Roles.PLATFORM_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Invoices (admin)")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Not a platform admin",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class ReceivablesAdminResource {

    private final AccessService access;
    private final PaymentService payments;

    ReceivablesAdminResource(AccessService access, PaymentService payments) {
        this.access = access;
        this.payments = payments;
    }

    @GET
    @Operation(operationId = "adminGetReceivables", summary = "Invoiced, credited, paid, refunded, outstanding,"
            + " overdue and refund due, per currency, over the finalized invoices of a period or of all")
    @APIResponse(responseCode = "200", description = "One entry per currency with finalized invoices")
    @APIResponse(responseCode = "400", description = "invalid_parameter: period not YYYY-MM",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public ReceivablesView receivables(@Parameter(description = "YYYY-MM; absent: every period") @RestQuery String period) {
        access.requirePlatformAdmin();
        return payments.receivables(period);
    }
}
