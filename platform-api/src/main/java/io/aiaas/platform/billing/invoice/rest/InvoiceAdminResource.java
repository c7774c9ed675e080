package io.aiaas.platform.billing.invoice.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.Caller;
import io.aiaas.platform.access.Roles;
import io.aiaas.platform.billing.invoice.service.CloseReport;
import io.aiaas.platform.billing.invoice.service.CreditNoteRequest;
import io.aiaas.platform.billing.invoice.service.InvoiceIds;
import io.aiaas.platform.billing.invoice.service.InvoiceService;
import io.aiaas.platform.billing.invoice.service.InvoiceView;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.error.Problem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

/** Admin API: closing periods, all invoices, finalizing or voiding drafts, credit notes (realm role platform-admin). */
@Path("/admin/v1")
@RolesAllowed(Roles.PLATFORM_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Invoices (admin)")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = "Not a platform admin",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class InvoiceAdminResource {

    private final AccessService access;
    private final InvoiceService service;

    InvoiceAdminResource(AccessService access, InvoiceService service) {
        this.access = access;
        this.service = service;
    }

    @POST
    @Path("billing/close")
    @Operation(operationId = "adminCloseBillingPeriod")
    @APIResponse(responseCode = "200", description = "What was closed; closing again creates nothing new")
    @APIResponse(responseCode = "400", description = "invalid_parameter: period missing or not YYYY-MM",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "period_open: the period has not ended yet",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public CloseReport close(@Parameter(description = "YYYY-MM", required = true) @RestQuery String period,
            @Parameter(description = "true: create drafts to finalize or void one by one") @RestQuery String draft) {
        Caller caller = access.requirePlatformAdmin();
        if (period == null || period.isBlank()) {
            throw ApiException.badRequest("invalid_parameter", "period is required, e.g. period=2026-11");
        }
        boolean drafts = draft != null && switch (draft.trim()) {
            case "true" -> true;
            case "false", "" -> false;
            default -> throw ApiException.badRequest("invalid_parameter", "draft must be true or false");
        };
        return service.closePeriod(InvoiceIds.period(period), caller.actor(), drafts);
    }

    @GET
    @Path("invoices")
    @Operation(operationId = "adminListInvoices")
    @APIResponse(responseCode = "200", description = "Invoices and credit notes without lines (at most 500)")
    @APIResponse(responseCode = "400", description = "invalid_parameter: period not YYYY-MM, an unknown payment state",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "tenant_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public List<InvoiceView> list(@Parameter(description = "a tenant's slug") @RestQuery String tenant,
            @Parameter(description = "YYYY-MM") @RestQuery String period,
            @Parameter(description = TenantInvoiceResource.PAYMENT) @RestQuery String payment) {
        access.requirePlatformAdmin();
        return service.adminList(tenant, period, payment);
    }

    @GET
    @Path("invoices/{id}")
    @Operation(operationId = "adminGetInvoice")
    @APIResponse(responseCode = "200", description = "The invoice with its lines")
    @APIResponse(responseCode = "404", description = "invoice_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public InvoiceView get(@RestPath String id) {
        access.requirePlatformAdmin();
        return service.adminGet(id);
    }

    @POST
    @Path("invoices/{id}/finalize")
    @Operation(operationId = "adminFinalizeInvoice")
    @APIResponse(responseCode = "200", description = "The finalized invoice")
    @APIResponse(responseCode = "404", description = "invoice_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "invoice_void",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public InvoiceView finalizeDraft(@RestPath String id) {
        Caller caller = access.requirePlatformAdmin();
        return service.finalizeDraft(id, caller);
    }

    @POST
    @Path("invoices/{id}/void")
    @Operation(operationId = "adminVoidInvoice")
    @APIResponse(responseCode = "200", description = "The voided draft")
    @APIResponse(responseCode = "404", description = "invoice_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "invoice_finalized: only a draft can be voided",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public InvoiceView voidDraft(@RestPath String id) {
        Caller caller = access.requirePlatformAdmin();
        return service.voidDraft(id, caller);
    }

    @POST
    @Path("invoices/{id}/credit-notes")
    @Operation(operationId = "adminCreateCreditNote")
    @Consumes(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "201", description = "The credit note, finalized; Location names it")
    @APIResponse(responseCode = "400", description = "Invalid amount_micros or reason",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "invoice_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "invoice_not_finalized or credit_exceeds_invoice",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public RestResponse<InvoiceView> creditNote(@RestPath String id, @Valid @NotNull CreditNoteRequest body,
            UriInfo uri) {
        Caller caller = access.requirePlatformAdmin();
        InvoiceView note = service.creditNote(id, body, caller);
        return RestResponse.ResponseBuilder.create(RestResponse.Status.CREATED, note)
                .location(uri.getBaseUriBuilder().path("admin/v1/invoices").path(note.id().toString()).build())
                .build();
    }
}
