package io.aiaas.console.admin;

import io.aiaas.console.api.AdminApi;
import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.tenant.AuditPage;
import io.aiaas.console.web.CurrentUser;
import io.aiaas.console.web.FormError;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Admin page of the audit log of every tenant and of the platform itself: who changed what, newest first,
 * {@value #PAGE_SIZE} a page, filtered by tenant (a slug) and by action (exact, or a prefix such as {@code api_key.*}).
 * Platform admins only; platform-api enforces it too.
 */
@Path("/admin/audit")
@Produces(MediaType.TEXT_HTML)
public class AdminAuditResource {

    static final int PAGE_SIZE = 50;
    /** The filter form ({@code #admin-audit-filter}); a filter platform-api refuses shows in its error. */
    static final String FILTER = "admin-audit-filter";
    private static final String PATH = "/admin/audit";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance audit(Page page);
    }

    /**
     * The page.
     *
     * @param tenant the tenant filter as typed (a slug), "" for every tenant and the platform
     * @param action the action filter as typed, "" for none
     * @param before the cursor this page was read from, null on the newest page
     * @param nextBefore the cursor of the next (older) page, null on the last
     */
    public record Page(List<AuditPage.Entry> entries, String tenant, String action, Long before, Long nextBefore,
            FormError error) {

        public boolean firstPage() {
            return before == null;
        }

        /** The URL of the next (older) page with the same filters, else null. */
        public String next() {
            return nextBefore == null ? null
                    : PATH + "?before=" + nextBefore + (filters().isEmpty() ? "" : "&" + filters());
        }

        /** The newest page: with the same filters, or without any when platform-api refused them. */
        public String newest() {
            return error.any() || filters().isEmpty() ? PATH : PATH + "?" + filters();
        }

        /** The query of the CSV download of every entry the filters keep ("" without any; platform-api checks them). */
        public String csvQuery() {
            return filters().isEmpty() ? "" : "?" + filters();
        }

        private String filters() {
            List<String> filters = new ArrayList<>();
            if (!tenant.isEmpty()) {
                filters.add("tenant=" + URLEncoder.encode(tenant, StandardCharsets.UTF_8));
            }
            if (!action.isEmpty()) {
                filters.add("action=" + URLEncoder.encode(action, StandardCharsets.UTF_8));
            }
            return String.join("&", filters);
        }
    }

    private final CurrentUser user;
    private final AdminApi api;

    AdminAuditResource(CurrentUser user, @RestClient AdminApi api) {
        this.user = user;
        this.api = api;
    }

    /**
     * A page of the log. A filter platform-api refuses (400 {@code invalid_parameter}) and a tenant it does not know
     * (404 {@code tenant_not_found}) are shown beside the form in its words, with no entries, the page answering with
     * that status; any other problem goes to the error pages.
     */
    @GET
    public Response audit(@RestQuery String tenant, @RestQuery String action, @RestQuery Long before) {
        user.requirePlatformAdmin();
        String slug = trim(tenant);
        String filter = trim(action);
        AuditPage entries;
        try {
            entries = api.audit(slug.isEmpty() ? null : slug, filter.isEmpty() ? null : filter, null, null, before,
                    PAGE_SIZE);
        } catch (ApiProblem problem) {
            if (problem.status() != 400 && !"tenant_not_found".equals(problem.code())) {
                throw problem;
            }
            FormError error = FormError.of(FILTER, problem);
            return error.page(Templates.audit(new Page(List.of(), slug, filter, before, null, error)));
        }
        return FormError.NONE.page(Templates.audit(new Page(entries.entries(), slug, filter, before,
                entries.nextBefore(), FormError.NONE)));
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
