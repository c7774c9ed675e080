package io.aiaas.console.tenant;

import io.aiaas.console.api.TenantApi;
import io.aiaas.console.api.tenant.Invoice;
import io.aiaas.console.api.tenant.LineUsage;
import io.aiaas.console.web.CurrentUser;
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
 * A tenant's invoices and credit notes: the list, one invoice with its lines, its CSV, and for each usage line the
 * calls behind it, a page at a time.
 */
@Path("/t/{slug}/invoices")
@Produces(MediaType.TEXT_HTML)
public class InvoicesResource {

    /** Calls per page of a line's drill-down. */
    static final int PAGE_SIZE = 100;
    /** A request id as the API's cursor: anything else is not passed on. */
    private static final Pattern CURSOR = Pattern.compile("[0-9a-fA-F-]{36}");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance invoices(String slug, List<Invoice> invoices);

        static native TemplateInstance invoice(String slug, Invoice invoice);

        static native TemplateInstance lineUsage(String slug, Invoice invoice, Invoice.Line line, LineUsage usage,
                boolean firstPage);
    }

    private final CurrentUser user;
    private final TenantApi api;

    InvoicesResource(CurrentUser user, @RestClient TenantApi api) {
        this.user = user;
        this.api = api;
    }

    @GET
    public TemplateInstance list(@RestPath String slug) {
        user.requireTenant(slug);
        return Templates.invoices(slug, api.invoices(slug));
    }

    @GET
    @Path("{id}")
    public TemplateInstance invoice(@RestPath String slug, @RestPath String id) {
        user.requireTenant(slug);
        return Templates.invoice(slug, api.invoice(slug, id));
    }

    /** The invoice as CSV from platform-api, under the file name it gives. */
    @GET
    @Path("{id}.csv")
    @Produces("text/csv")
    public Response csv(@RestPath String slug, @RestPath String id) {
        user.requireTenant(slug);
        return UsageResource.passThrough(api.invoiceCsv(slug, id), "invoice-" + id + ".csv");
    }

    /** The billable calls behind one usage line, {@value #PAGE_SIZE} at a time ({@code after}: the cursor). */
    @GET
    @Path("{id}/lines/{lineNo}/usage")
    public TemplateInstance lineUsage(@RestPath String slug, @RestPath String id, @RestPath int lineNo,
            @RestQuery String after) {
        user.requireTenant(slug);
        String cursor = after != null && CURSOR.matcher(after).matches() ? after : null;
        Invoice invoice = api.invoice(slug, id);
        Invoice.Line line = invoice.lines().stream().filter(l -> l.lineNo() == lineNo).findFirst().orElse(null);
        LineUsage usage = api.lineUsage(slug, id, lineNo, cursor, PAGE_SIZE);
        return Templates.lineUsage(slug, invoice, line, usage, cursor == null);
    }
}
