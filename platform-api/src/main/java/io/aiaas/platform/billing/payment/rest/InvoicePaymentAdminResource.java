package io.aiaas.platform.billing.payment.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.access.Roles;
import io.aiaas.platform.billing.invoice.service.InvoiceService;
import io.aiaas.platform.billing.invoice.service.InvoiceView;
import io.aiaas.platform.billing.payment.service.PaymentService;
import io.aiaas.platform.billing.payment.service.RecordPaymentRequest;
import io.aiaas.platform.common.error.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/** Admin API: recording that an invoice was paid, and removing a payment recorded by mistake (platform-admin). */
@Path("/admin/v1/invoices/{id}/payment")
@RolesAllowed(Roles.PLATFORM_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Invoices (admin)")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Not a platform admin",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "invoice_not_found",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class InvoicePaymentAdminResource {

    private final AccessService access;
    private final PaymentService payments;
    private final InvoiceService invoices;

    InvoicePaymentAdminResource(AccessService access, PaymentService payments, InvoiceService invoices) {
        this.access = access;
        this.payments = payments;
        this.invoices = invoices;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record that a finalized invoice was paid in full (what is due: its total plus its credit"
            + " notes); the tenant's webhook gets invoice.paid")
    @APIResponse(responseCode = "200", description = "The invoice, its payment.status paid")
    @APIResponse(responseCode = "400", description = "validation_failed, invalid_json, invalid_paid_at (in the future"
            + " or before the day the invoice was finalized)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "invoice_not_finalized (a draft, void invoice or credit note),"
            + " invoice_paid (paid already), nothing_due",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public InvoiceView record(@RestPath String id, @Valid @NotNull RecordPaymentRequest body) {
        Caller caller = access.requirePlatformAdmin();
        payments.record(id, body, caller);
        return invoices.adminGet(id);
    }

    @DELETE
    @Operation(summary = "Remove a payment recorded by mistake (a transfer that bounced): the invoice is open or"
            + " overdue again")
    @APIResponse(responseCode = "200", description = "The invoice without its payment")
    @APIResponse(responseCode = "404", description = "invoice_not_found, payment_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public InvoiceView remove(@RestPath String id) {
        Caller caller = access.requirePlatformAdmin();
        payments.remove(id, caller);
        return invoices.adminGet(id);
    }
}
