package io.aiaas.console.signup;

import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.SignupApi;
import io.aiaas.console.api.signup.SignedUpTenant;
import io.aiaas.console.api.signup.SignupRequest;
import io.aiaas.console.web.FormError;
import io.aiaas.console.web.Formats;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;

/**
 * Self-service sign-up: any signed-in person creates a tenant of their own (and becomes its admin) when the platform
 * admins opened sign-up. The same form is on the no-tenant page of /home; both post here. platform-api decides
 * everything (open or closed, the per-person limit, the slug rules) and its refusals are shown beside the form.
 */
@Path("/signup")
@Produces(MediaType.TEXT_HTML)
@Authenticated
public class SignupResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signup(SignupForm signup);
    }

    private final SignupApi api;
    private final Formats fmt;

    SignupResource(@RestClient SignupApi api, Formats fmt) {
        this.api = api;
        this.fmt = fmt;
    }

    @GET
    public TemplateInstance page() {
        return Templates.signup(SignupForm.blank(api.status(), fmt.zoneName()));
    }

    /**
     * Creates the tenant and opens it; a refusal shows the form again as it was sent. An empty time zone is left out
     * (platform-api then bills in UTC).
     */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String slug, @RestForm String name, @RestForm("time_zone") String timeZone) {
        String s = trim(slug);
        String n = trim(name);
        String z = trim(timeZone);
        try {
            SignedUpTenant created = api.createTenant(new SignupRequest(s, n, z.isEmpty() ? null : z));
            return Response.seeOther(UriBuilder.fromPath("/t/{slug}").build(created.slug())).build();
        } catch (ApiProblem problem) {
            if (!FormError.inline(problem)) {
                throw problem;
            }
            FormError error = refused(problem);
            // read again: a refusal (closed, limit reached) may be because the offer changed since the page was shown
            return error.page(Templates.signup(new SignupForm(api.status(), s, n, z, error)));
        }
    }

    /**
     * The API's message and field errors; a taken slug is also marked on the slug input, an unknown time zone on the
     * time zone's.
     */
    private static FormError refused(ApiProblem problem) {
        FormError base = FormError.of(SignupForm.ID, problem);
        String field = switch (problem.code() == null ? "" : problem.code()) {
            case "tenant_exists" -> "slug";
            case "invalid_time_zone" -> "time_zone";
            default -> null;
        };
        if (field == null) {
            return base;
        }
        Map<String, String> fields = new LinkedHashMap<>(base.fields());
        fields.putIfAbsent(field, field.equals("slug") ? "already taken: choose another"
                : "not a time zone: an IANA id such as Europe/Paris, or empty for UTC");
        return new FormError(base.form(), base.message(), fields, base.status());
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
