package io.aiaas.platform.billing.invoice.rest;

import io.aiaas.platform.access.AccessService;
import io.aiaas.platform.access.TenantAccess;
import io.aiaas.platform.billing.invoice.service.InvoiceCsv;
import io.aiaas.platform.billing.invoice.service.InvoicePdf;
import io.aiaas.platform.billing.invoice.service.InvoicePrinter;
import io.aiaas.platform.billing.invoice.service.InvoiceService;
import io.aiaas.platform.billing.invoice.service.InvoiceUsageRows;
import io.aiaas.platform.billing.invoice.service.InvoiceView;
import io.aiaas.platform.billing.invoice.service.UsageRowPage;
import io.aiaas.platform.common.error.Problem;
import io.aiaas.platform.common.web.Csv;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
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

/** Tenant API: a tenant's invoices and credit notes, the upcoming invoice, and the usage behind each line. */
@Path("/api/v1/tenants/{slug}/invoices")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Invoices")
@APIResponse(responseCode = "401", description = "No valid user token",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "404", description = "tenant_not_found: no such tenant, or the caller is not a member",
        content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
public class TenantInvoiceResource {

    /** The {@code payment} filter of invoice lists, for the OpenAPI document. */
    static final String PAYMENT = "only finalized invoices in this payment state: unpaid (anything left to pay: open,"
            + " partially_paid or overdue), open, partially_paid, overdue, paid, nothing_due or refund_due";

    private final AccessService access;
    private final InvoiceService service;
    private final InvoiceUsageRows usageRows;
    private final InvoicePrinter printer;

    TenantInvoiceResource(AccessService access, InvoiceService service, InvoiceUsageRows usageRows,
            InvoicePrinter printer) {
        this.access = access;
        this.service = service;
        this.usageRows = usageRows;
        this.printer = printer;
    }

    @GET
    @Operation(operationId = "listInvoices")
    @APIResponse(responseCode = "200", description = "Invoices and credit notes without lines, newest period first")
    @APIResponse(responseCode = "400", description = "invalid_parameter: an unknown payment state",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public List<InvoiceView> list(@RestPath String slug, @Parameter(description = PAYMENT) @RestQuery String payment) {
        TenantAccess tenant = access.requireMember(slug);
        return service.list(tenant, payment);
    }

    @GET
    @Path("upcoming")
    @Operation(operationId = "getUpcomingInvoice")
    @APIResponse(responseCode = "200", description = "The open period's invoice as it stands now (state PREVIEW)")
    public InvoiceView upcoming(@RestPath String slug) {
        TenantAccess tenant = access.requireMember(slug);
        return service.upcoming(tenant);
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getInvoice")
    @APIResponse(responseCode = "200", description = "The invoice with its lines")
    @APIResponse(responseCode = "404", description = "invoice_not_found (also for another tenant's invoice)",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public InvoiceView get(@RestPath String slug, @RestPath String id) {
        TenantAccess tenant = access.requireMember(slug);
        return service.get(tenant, id);
    }

    @GET
    @Path("{id}.csv")
    @Operation(operationId = "getInvoiceCsv")
    @Produces("text/csv")
    @APIResponse(responseCode = "200", description = "The invoice as CSV: header, one record per line, total",
            content = @Content(mediaType = "text/csv"))
    @APIResponse(responseCode = "404", description = "invoice_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public RestResponse<String> csv(@RestPath String slug, @RestPath String id) {
        TenantAccess tenant = access.requireMember(slug);
        InvoiceCsv csv = service.csv(tenant, id);
        return Csv.attachment(csv.filename(), csv.body());
    }

    @GET
    @Path("{id}.pdf")
    @Operation(operationId = "getInvoicePdf")
    @Produces("application/pdf")
    @APIResponse(responseCode = "200", description = "The invoice as a PDF document (A4): parties, period, lines,"
            + " total, tax and payment, the same figures as its JSON; a draft or void one says so on every page",
            content = @Content(mediaType = "application/pdf"))
    @APIResponse(responseCode = "404", description = "invoice_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public RestResponse<byte[]> pdf(@RestPath String slug, @RestPath String id) {
        TenantAccess tenant = access.requireMember(slug);
        InvoicePdf.File pdf = printer.print(service.get(tenant, id));
        return RestResponse.ResponseBuilder.ok(pdf.bytes(), "application/pdf")
                .header("Content-Disposition", "attachment; filename=\"" + pdf.filename() + "\"").build();
    }

    @GET
    @Path("{id}/lines/{lineNo}/usage")
    @Operation(operationId = "listInvoiceLineUsage")
    @APIResponse(responseCode = "200", description = "Billable usage rows behind the line, by request id")
    @APIResponse(responseCode = "400", description = "invalid_parameter (after, limit) or not_a_usage_line",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "invoice_not_found or invoice_line_not_found",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(implementation = Problem.class)))
    public UsageRowPage usage(@RestPath String slug, @RestPath String id, @RestPath String lineNo,
            @Parameter(description = "request id: the next of the previous page") @RestQuery String after,
            @Parameter(description = "1 to 1000, default 100") @RestQuery String limit) {
        TenantAccess tenant = access.requireMember(slug);
        return usageRows.usage(tenant, id, lineNo, after, limit);
    }
}
