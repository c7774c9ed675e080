package io.aiaas.console.admin;

import io.aiaas.console.api.AdminApi;
import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.web.CurrentUser;
import io.aiaas.console.web.FormError;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The access section of a model's admin page: share the model with a tenant besides its owner
 * ({@code PUT /admin/v1/models/{name}/grants/{slug}}), or stop sharing it ({@code DELETE …}). The page itself, with
 * its other forms, is {@link AdminModelsResource}; a refusal re-renders it (through {@link ModelDetailPage}) with the
 * problem beside the form or the button, and the section is {@link GrantSection}. Platform admins only; platform-api
 * enforces it too.
 */
@Path("/admin/models")
@Produces(MediaType.TEXT_HTML)
public class AdminModelGrantsResource {

    private final CurrentUser user;
    private final AdminApi api;
    private final ModelDetailPage page;

    AdminModelGrantsResource(CurrentUser user, @RestClient AdminApi api) {
        this.user = user;
        this.api = api;
        this.page = new ModelDetailPage(api);
    }

    /**
     * Shares the model with the tenant chosen (form field {@code tenant}, a slug); back at the section. No tenant
     * chosen is refused before the call; platform-api's refusals (the owner or a closed tenant: 400
     * {@code invalid_grant}; 404 {@code tenant_not_found}) come back beside the form, the tenant still chosen.
     */
    @POST
    @Path("{name}/grants")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response grant(@RestPath String name, @RestForm String tenant) {
        user.requirePlatformAdmin();
        String slug = tenant == null ? "" : tenant.trim();
        if (slug.isEmpty()) {
            FormError error = FormError.invalid(GrantSection.GRANT, "Choose the tenant to share the model with.",
                    Map.of("tenant", "choose a tenant"));
            return error.page(page.render(api.model(name), error, "", null));
        }
        try {
            api.grant(name, slug);
            return backAtSection(name);
        } catch (ApiProblem problem) {
            return refused(name, problem, FormError.of(GrantSection.GRANT, problem), slug, null);
        }
    }

    /**
     * Stops sharing the model with that tenant (no error when it was not shared); while the model is private, the
     * tenant's calls to it get 404 from then on. Back at the section; a refusal is shown beside the button.
     */
    @POST
    @Path("{name}/grants/{slug}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revoke(@RestPath String name, @RestPath String slug) {
        user.requirePlatformAdmin();
        try {
            api.revokeGrant(name, slug);
            return backAtSection(name);
        } catch (ApiProblem problem) {
            return refused(name, problem, FormError.of(GrantSection.revokeIdOf(slug), problem), null, slug);
        }
    }

    private static Response backAtSection(String name) {
        return Response.seeOther(UriBuilder.fromPath("/admin/models/{name}").fragment("grants-section").build(name))
                .build();
    }

    /** An unknown model is the 404 page, an expired session or a failing platform-api the error pages. */
    private Response refused(String name, ApiProblem problem, FormError error, String chosen, String revoked) {
        if (problem.status() >= 500 || problem.status() == 401 || "model_not_found".equals(problem.code())) {
            throw problem;
        }
        return error.page(page.render(api.model(name), error, chosen, revoked));
    }
}
