package io.aiaas.console.web;

import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.Me;
import io.aiaas.console.api.SignupApi;
import io.aiaas.console.api.signup.SignupStatus;
import io.aiaas.console.signup.SignupForm;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** The landing page, the signed-out page, and /home, which sends a signed-in person to where they work. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class HomeResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance landing(String apiUrl);

        static native TemplateInstance signedOut();

        static native TemplateInstance noTenant(String apiUrl, SignupForm signup);
    }

    private final CurrentUser user;
    private final SignupApi signup;
    private final Formats fmt;
    private final String apiUrl;

    HomeResource(CurrentUser user, @RestClient SignupApi signup, Formats fmt,
            @ConfigProperty(name = "aiaas.console.api-url") String apiUrl) {
        this.user = user;
        this.signup = signup;
        this.fmt = fmt;
        this.apiUrl = apiUrl;
    }

    @GET
    public Object landing() {
        if (user.signedIn()) {
            return Response.seeOther(URI.create("/home")).build();
        }
        return Templates.landing(apiUrl);
    }

    @GET
    @Path("signed-out")
    public TemplateInstance signedOut() {
        return Templates.signedOut();
    }

    /**
     * Platform admins start on the tenants list, members on their first tenant's overview (the first one not closed,
     * when there is one: a closed tenant is only read); someone without a tenant is offered the sign-up form when
     * sign-up is open, and told to ask an administrator otherwise.
     */
    @GET
    @Path("home")
    @Authenticated
    public Object home() {
        Me me = user.me();
        if (me.platformAdmin()) {
            return Response.seeOther(URI.create("/admin/tenants")).build();
        }
        if (!me.tenants().isEmpty()) {
            Me.Membership first = me.tenants().stream().filter(t -> !t.closed()).findFirst()
                    .orElse(me.tenants().get(0));
            return Response.seeOther(URI.create("/t/" + first.slug())).build();
        }
        return Templates.noTenant(apiUrl, SignupForm.blank(offer(), fmt.zoneName()));
    }

    /**
     * The sign-up offer. When platform-api answers it with an error (e.g. a version without sign-up), the page reads as
     * with sign-up closed: it still tells the person what to do instead of failing.
     */
    private SignupStatus offer() {
        try {
            return signup.status();
        } catch (ApiProblem problem) {
            if (problem.status() == 401) {
                throw problem;
            }
            return SignupStatus.CLOSED;
        }
    }
}
