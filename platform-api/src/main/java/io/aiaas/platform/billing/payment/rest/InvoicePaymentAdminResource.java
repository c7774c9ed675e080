package io.aiaas.platform.billing.payment.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.access.Roles;
import io.aiaas.platform.billing.invoice.service.InvoiceService;
import io.aiaas.platform.billing.invoice.service.InvoiceView;
import io.aiaas.platform.billing.payment.service.PaymentService;
import io.aiaas.platform.billing.payment.service.RecordPaymentRequest;
import io.aiaas.platform.billing.payment.service.RecordRefundRequest;
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

/**
 * Admin API: an invoice's payment ledger (platform-admin): recording a payment (all that is left or part of it), a
 * refund of what a tenant overpaid, and removing an entry recorded by mistake. Each answers the invoice, its
 * {@code payment} object showing where it now stands.
 */
@Path("/admin/v1")
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
    @Path("invoices/{id}/payments")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminRecordInvoicePayment", summary = "Record a payment of a finalized invoice: amount_minor,"
            + " or all that is left to pay (its total plus its credit notes, minus payments, plus refunds); the"
            + " tenant's webhook gets invoice.paid when nothing is left, invoice.payment_received otherwise")
    @APIResponse(responseCode = "200", description = "The invoice, its payment.status paid or, with something left,"
            + " partially_paid or overdue")
    @APIResponse(responseCode = "400", description = "validation_failed (amount_minor not positive), invalid_json,"
            + " invalid_paid_at (in the future or before the day the invoice was finalized)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "invoice_not_finalized (a draft, void invoice or credit note),"
            + " invoice_paid (nothing left to pay), nothing_due, payment_exceeds_balance",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public InvoiceView recordPayment(@RestPath String id, @Valid @NotNull RecordPaymentRequest body) {
        Caller caller = access.requirePlatformAdmin();
        payments.record(id, body, caller);
        return invoices.adminGet(id);
    }

    @POST
    @Path("invoices/{id}/refunds")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminRecordInvoiceRefund", summary = "Record a refund of what the tenant paid beyond what the"
            + " invoice now asks (a credit note issued after payment): amount_minor, or all that is owed back; the"
            + " tenant's webhook gets invoice.refunded")
    @APIResponse(responseCode = "200", description = "The invoice, its payment.status paid once nothing is owed back")
    @APIResponse(responseCode = "400", description = "validation_failed (amount_minor not positive), invalid_json,"
            + " invalid_refunded_at (in the future or before the day the invoice was finalized)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "invoice_not_finalized, nothing_to_refund,"
            + " refund_exceeds_balance",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public InvoiceView recordRefund(@RestPath String id, @Valid @NotNull RecordRefundRequest body) {
        Caller caller = access.requirePlatformAdmin();
        payments.refund(id, body, caller);
        return invoices.adminGet(id);
    }

    @DELETE
    @Path("invoices/{id}/payments/{entryId}")
    @Operation(operationId = "adminRemoveInvoicePaymentEntry", summary = "Remove a payment or refund recorded by mistake (a"
            + " transfer that bounced): the invoice stands as it would without it")
    @APIResponse(responseCode = "200", description = "The invoice without that entry")
    @APIResponse(responseCode = "404", description = "invoice_not_found, payment_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public InvoiceView removeEntry(@RestPath String id, @RestPath String entryId) {
        Caller caller = access.requirePlatformAdmin();
        payments.remove(id, entryId, caller);
        return invoices.adminGet(id);
    }

    @POST
    @Path("invoices/{id}/payment")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "adminRecordInvoicePaymentInFull", summary = "The first version of recording a payment, kept"
            + " for its clients: the same as POST .../payments", deprecated = true)
    @APIResponse(responseCode = "200", description = "The invoice, its payment.status paid")
    @APIResponse(responseCode = "400", description = "validation_failed, invalid_json, invalid_paid_at",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "invoice_not_finalized, invoice_paid, nothing_due,"
            + " payment_exceeds_balance",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public InvoiceView record(@RestPath String id, @Valid @NotNull RecordPaymentRequest body) {
        return recordPayment(id, body);
    }

    @DELETE
    @Path("invoices/{id}/payment")
    @Operation(operationId = "adminRemoveLatestInvoicePayment", summary = "The first version of removing a payment, kept for"
            + " its clients: removes the invoice's latest payment", deprecated = true)
    @APIResponse(responseCode = "200", description = "The invoice without that payment")
    @APIResponse(responseCode = "404", description = "invoice_not_found, payment_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public InvoiceView remove(@RestPath String id) {
        Caller caller = access.requirePlatformAdmin();
        payments.removeLatestPayment(id, caller);
        return invoices.adminGet(id);
    }
}
