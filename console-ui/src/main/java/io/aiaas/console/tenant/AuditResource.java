package io.aiaas.console.tenant;

import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.TenantApi;
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
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * A tenant's audit log for its admins: who changed what, newest first, {@value #PAGE_SIZE} a page, filtered by
 * action (exact, or a prefix such as {@code api_key.*}). Members are told the log is for admins; the API is not asked.
 */
@Path("/t/{slug}/audit")
@Produces(MediaType.TEXT_HTML)
public class AuditResource {

    static final int PAGE_SIZE = 50;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance audit(String slug, Page page);
    }

    /**
     * The page.
     *
     * @param admin whether the log is shown at all (tenant admins and platform admins)
     * @param action the filter as typed, "" for none
     * @param firstPage whether this is the newest page
     * @param next the URL of the next (older) page, else null
     */
    public record Page(boolean admin, List<AuditPage.Entry> entries, String action, boolean firstPage, String next,
            String newest, FormError error) {

        /** The query of the CSV download of every entry the filter keeps ("" without one; platform-api checks it). */
        public String csvQuery() {
            return action.isEmpty() ? "" : "?action=" + URLEncoder.encode(action, StandardCharsets.UTF_8);
        }
    }

    private final CurrentUser user;
    private final TenantApi api;

    AuditResource(CurrentUser user, @RestClient TenantApi api) {
        this.user = user;
        this.api = api;
    }

    @GET
    public Response audit(@RestPath String slug, @RestQuery String action, @RestQuery Long before) {
        user.requireTenant(slug);
        String filter = action == null ? "" : action.trim();
        if (!user.adminOf(slug)) {
            return html(200, new Page(false, List.of(), filter, true, null, null, FormError.NONE), slug);
        }
        AuditPage entries;
        try {
            entries = api.audit(slug, filter.isEmpty() ? null : filter, null, null, before, PAGE_SIZE);
        } catch (ApiProblem problem) {
            if (problem.status() != 400) {
                throw problem;
            }
            return html(400, new Page(true, List.of(), filter, before == null, null, newest(slug, ""),
                    FormError.of("audit-filter", problem)), slug);
        }
        String next = entries.nextBefore() == null ? null : "/t/" + slug + "/audit?before=" + entries.nextBefore()
                + (filter.isEmpty() ? "" : "&action=" + URLEncoder.encode(filter, StandardCharsets.UTF_8));
        return html(200, new Page(true, entries.entries(), filter, before == null, next, newest(slug, filter),
                FormError.NONE), slug);
    }

    private static String newest(String slug, String filter) {
        return "/t/" + slug + "/audit" + (filter.isEmpty() ? ""
                : "?action=" + URLEncoder.encode(filter, StandardCharsets.UTF_8));
    }

    private static Response html(int status, Page page, String slug) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.audit(slug, page)).build();
    }
}
