package io.aiaas.console.tenant;

import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.TenantApi;
import io.aiaas.console.api.tenant.Invitation;
import io.aiaas.console.api.tenant.Member;
import io.aiaas.console.api.tenant.RoleChange;
import io.aiaas.console.web.CurrentUser;
import io.aiaas.console.web.FormError;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * A tenant's people: members see who belongs; admins invite by e-mail, change roles and remove, unless the tenant is
 * closed (then everyone only reads).
 */
@Path("/t/{slug}/members")
@Produces(MediaType.TEXT_HTML)
public class MembersResource {

    private static final Set<String> ROLES = Set.of("admin", "member");
    /** What a redirected action did, in words; only these keys are accepted from the URL. */
    private static final Map<String, String> DONE = Map.of(
            "invited", "Added. They can sign in with that e-mail address (verified) and see this tenant.",
            "role", "The role is changed.",
            "removed", "Removed from the tenant.");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance members(String slug, Page page);
    }

    /**
     * The page.
     *
     * @param closed whether the tenant is closed: nobody can be added, changed or removed
     * @param done a notice about the last action, else null
     * @param email the invite form's e-mail after a failed invite, else null
     */
    public record Page(List<Member> members, boolean admin, boolean closed, FormError error, String done,
            String email, String role) {

        /** Whether the forms that change people show: an admin, of a tenant that is not closed. */
        public boolean manage() {
            return admin && !closed;
        }
    }

    private final CurrentUser user;
    private final TenantApi api;

    MembersResource(CurrentUser user, @RestClient TenantApi api) {
        this.user = user;
        this.api = api;
    }

    @GET
    public TemplateInstance list(@RestPath String slug, @RestQuery String done) {
        user.requireTenant(slug);
        return page(slug, FormError.NONE, done == null ? null : DONE.get(done), null, null);
    }

    @POST
    public Response invite(@RestPath String slug, @RestForm String email, @RestForm String role) {
        user.requireTenant(slug);
        if (email == null || email.isBlank()) {
            return rerender(slug, 400, FormError.of("invite-member", "Enter the person's e-mail address or account"
                    + " id."), email, role);
        }
        if (role == null || !ROLES.contains(role)) {
            return rerender(slug, 400, FormError.of("invite-member", "Choose a role: admin or member."), email, role);
        }
        try {
            api.invite(slug, Invitation.of(email, role));
        } catch (ApiProblem problem) {
            if (!FormError.inline(problem)) {
                throw problem;
            }
            return rerender(slug, FormError.status(problem), FormError.of("invite-member", problem), email, role);
        }
        return done(slug, "invited");
    }

    @POST
    @Path("{id}/role")
    public Response changeRole(@RestPath String slug, @RestPath UUID id, @RestForm String role) {
        user.requireTenant(slug);
        if (role == null || !ROLES.contains(role)) {
            return rerender(slug, 400, FormError.of("member-role-" + id, "Choose a role: admin or member."), null,
                    null);
        }
        try {
            api.changeRole(slug, id, new RoleChange(role));
        } catch (ApiProblem problem) {
            if (!FormError.inline(problem)) {
                throw problem;
            }
            return rerender(slug, FormError.status(problem), FormError.of("member-role-" + id, problem), null, null);
        }
        return done(slug, "role");
    }

    @POST
    @Path("{id}/remove")
    public Response remove(@RestPath String slug, @RestPath UUID id) {
        user.requireTenant(slug);
        try {
            api.removeMember(slug, id);
        } catch (ApiProblem problem) {
            if (!FormError.inline(problem)) {
                throw problem;
            }
            return rerender(slug, FormError.status(problem), FormError.of("remove-member-" + id, problem), null,
                    null);
        }
        return done(slug, "removed");
    }

    private TemplateInstance page(String slug, FormError error, String done, String email, String role) {
        return Templates.members(slug, new Page(api.members(slug), user.adminOf(slug), user.closed(slug), error,
                done, email, role));
    }

    private Response rerender(String slug, int status, FormError error, String email, String role) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(page(slug, error, null, email, role)).build();
    }

    private static Response done(String slug, String what) {
        return Response.seeOther(URI.create("/t/" + slug + "/members?done=" + what)).build();
    }
}
