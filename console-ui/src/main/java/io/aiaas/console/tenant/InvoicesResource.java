package io.aiaas.console.tenant;

import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.TenantApi;
import io.aiaas.console.api.tenant.Invoice;
import io.aiaas.console.api.tenant.LineUsage;
import io.aiaas.console.api.tenant.TenantCredits;
import io.aiaas.console.web.CurrentUser;
import io.aiaas.console.web.FileDownload;
import io.aiaas.console.web.Parallel;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * A tenant's invoices and credit notes: the list (with the upcoming invoice's total so far, and the credit the tenant
 * was given and what is left of it), the upcoming invoice, one invoice with who issued it and who it is addressed to,
 * its lines, its CSV, and for each usage line the calls behind it, a page at a time (or, once platform-api's retention
 * removed that month's raw rows, why they can no longer be shown).
 */
@Path("/t/{slug}/invoices")
@Produces(MediaType.TEXT_HTML)
public class InvoicesResource {

    /** Calls per page of a line's drill-down. */
    static final int PAGE_SIZE = 100;
    /** A request id as the API's cursor: anything else is not passed on. */
    private static final Pattern CURSOR = Pattern.compile("[0-9a-fA-F-]{36}");
    /** platform-api's code for raw usage rows its retention removed (the drill-down of an old month's line). */
    static final String USAGE_ROWS_EXPIRED = "usage_rows_expired";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance invoices(String slug, List<Invoice> invoices, Credit credit,
                Upcoming upcoming);

        static native TemplateInstance upcoming(String slug, Invoice invoice, boolean askProfile);

        static native TemplateInstance invoice(String slug, Invoice invoice, boolean askProfile);

        static native TemplateInstance lineUsage(String slug, Invoice invoice, int lineNo, Invoice.Line line,
                LineUsage usage, boolean firstPage, String expired);
    }

    /**
     * The tenant's credit grants with the balances left per currency, or why they could not be read (the invoices
     * show anyway).
     */
    public record Credit(TenantCredits credits, String error) {

        /** Whether the page has anything to say about credit: a tenant never given any sees no section. */
        public boolean shown() {
            return error != null || !credits.grants().isEmpty();
        }
    }

    /** The open period's invoice so far, or why it could not be read (the invoices show anyway). */
    public record Upcoming(Invoice invoice, String error) {
    }

    private final CurrentUser user;
    private final TenantApi api;
    private final Parallel parallel;

    InvoicesResource(CurrentUser user, @RestClient TenantApi api, Parallel parallel) {
        this.user = user;
        this.api = api;
        this.parallel = parallel;
    }

    @GET
    public TemplateInstance list(@RestPath String slug) {
        user.requireTenant(slug);
        // all at once: the page waits for the slowest, not their sum
        var credit = parallel.start(() -> credit(slug));
        var upcoming = parallel.start(() -> upcomingSoFar(slug));
        List<Invoice> invoices = api.invoices(slug, null);
        return Templates.invoices(slug, invoices, credit.get(), upcoming.get());
    }

    private Credit credit(String slug) {
        try {
            return new Credit(api.credits(slug), null);
        } catch (ApiProblem problem) {
            return new Credit(new TenantCredits(List.of(), List.of()), problem.shownInstead());
        }
    }

    private Upcoming upcomingSoFar(String slug) {
        try {
            return new Upcoming(api.upcomingInvoice(slug), null);
        } catch (ApiProblem problem) {
            return new Upcoming(null, problem.shownInstead());
        }
    }

    /**
     * The open period's invoice as it would be if the period ended now, computed by platform-api on each call. A
     * literal path, so JAX-RS matches it before {@code {id}}: the word is never taken for an invoice id.
     */
    @GET
    @Path("upcoming")
    public TemplateInstance upcoming(@RestPath String slug) {
        user.requireTenant(slug);
        Invoice invoice = api.upcomingInvoice(slug);
        return Templates.upcoming(slug, invoice, askProfile(slug, invoice));
    }

    @GET
    @Path("{id}")
    public TemplateInstance invoice(@RestPath String slug, @RestPath String id) {
        user.requireTenant(slug);
        Invoice invoice = api.invoice(slug, id);
        return Templates.invoice(slug, invoice, askProfile(slug, invoice));
    }

    /**
     * Whether the page suggests setting the billing details: the invoice is addressed to no one (the tenant had none
     * when it was created) and this person could set them, an admin of a tenant that is not closed.
     */
    private boolean askProfile(String slug, Invoice invoice) {
        return invoice.billTo() == null && user.adminOf(slug) && !user.closed(slug);
    }

    /** The invoice as CSV from platform-api, under the file name it gives. */
    @GET
    @Path("{id}.csv")
    @Produces("text/csv")
    public Response csv(@RestPath String slug, @RestPath String id) {
        user.requireTenant(slug);
        return FileDownload.passThrough(api.invoiceCsv(slug, id), "text/csv; charset=utf-8", "invoice-" + id + ".csv");
    }

    /** The invoice as a PDF from platform-api (it draws it), under the file name it gives. */
    @GET
    @Path("{id}.pdf")
    @Produces("application/pdf")
    public Response pdf(@RestPath String slug, @RestPath String id) {
        user.requireTenant(slug);
        return FileDownload.passThrough(api.invoicePdf(slug, id), "application/pdf", "invoice-" + id + ".pdf");
    }

    /**
     * The billable calls behind one usage line, {@value #PAGE_SIZE} at a time ({@code after}: the cursor). When
     * platform-api's retention removed the raw rows of the invoice's month (410 {@code usage_rows_expired}), the page
     * says so with platform-api's detail, answering 410 too: the invoice and its line are still there, its calls are
     * not.
     */
    @GET
    @Path("{id}/lines/{lineNo}/usage")
    public Response lineUsage(@RestPath String slug, @RestPath String id, @RestPath int lineNo,
            @RestQuery String after) {
        user.requireTenant(slug);
        String cursor = after != null && CURSOR.matcher(after).matches() ? after : null;
        Invoice invoice = api.invoice(slug, id);
        Invoice.Line line = invoice.lines().stream().filter(l -> l.lineNo() == lineNo).findFirst().orElse(null);
        try {
            LineUsage usage = api.lineUsage(slug, id, lineNo, cursor, PAGE_SIZE);
            return html(200, Templates.lineUsage(slug, invoice, lineNo, line, usage, cursor == null, null));
        } catch (ApiProblem problem) {
            if (problem.status() != 410 || !USAGE_ROWS_EXPIRED.equals(problem.code())) {
                throw problem;
            }
            String detail = problem.detail() != null && !problem.detail().isBlank() ? problem.detail()
                    : "The calls of this period were removed by the platform's usage retention.";
            return html(410, Templates.lineUsage(slug, invoice, lineNo, line, null, cursor == null, detail));
        }
    }

    private static Response html(int status, TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page).build();
    }
}
