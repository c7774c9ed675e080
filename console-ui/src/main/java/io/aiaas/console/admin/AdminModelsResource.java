package io.aiaas.console.admin;

import io.aiaas.console.api.AdminApi;
import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.admin.ModelChange;
import io.aiaas.console.api.admin.ModelDetail;
import io.aiaas.console.api.admin.ModelSummary;
import io.aiaas.console.api.admin.ModelVersion;
import io.aiaas.console.api.admin.NewModel;
import io.aiaas.console.api.admin.RolloutRequest;
import io.aiaas.console.api.admin.SunsetRequest;
import io.aiaas.console.api.admin.Tenant;
import io.aiaas.console.web.CurrentUser;
import io.aiaas.console.web.FormError;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Admin pages of models: the list with a create form, and one model with its versions, each version's state on each
 * worker, its rollout (a stable version and a canary, drawn per call or sticky per tenant, with an automatic rollback
 * or none, and a shadow version: {@link RolloutForm}; a warning when the canary's or the shadow's signature differs:
 * {@link SignatureDiff}), retirement, sunsets (a version retired by the platform at a time set here, with a successor
 * and a note for the tenants: {@link SunsetForm}, {@link SunsetSection}), and the upload of a new version. The upload
 * is the one endpoint a page script calls with a body: the .onnx file is streamed through to platform-api (never held
 * in memory) and the answer is JSON. The tenants a model is shared with are {@link AdminModelGrantsResource}'s; both
 * render the page through {@link ModelDetailPage}.
 */
@Path("/admin/models")
@Produces(MediaType.TEXT_HTML)
public class AdminModelsResource {

    static final String CREATE = "create-model";
    static final String RETIRE = "retire-version";
    static final String EDIT = "edit-model";
    static final String ROLLOUT = "edit-rollout";
    static final String PROMOTE = "promote-canary-form";
    static final String CLEAR = "clear-rollout-form";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<ModelSummary> models, List<Tenant> tenants, NewModel form,
                FormError error, String deleted);

        static native TemplateInstance detail(ModelDetail model, List<Tenant> tenants, NewModel form,
                RolloutForm rollout, FormError error, SignatureDiff canarySignature, SignatureDiff shadowSignature,
                SunsetSection sunsets, GrantSection grants);

        /** The versions table alone, which the page polls while a new version is being placed on the workers. */
        static native TemplateInstance detail$versions(ModelDetail model);
    }

    private final CurrentUser user;
    private final AdminApi api;
    private final ModelDetailPage page;

    AdminModelsResource(CurrentUser user, @RestClient AdminApi api) {
        this.user = user;
        this.api = api;
        this.page = new ModelDetailPage(api);
    }

    /** The list; {@code deleted} names the model just deleted, for the notice that says so. */
    @GET
    public TemplateInstance list(@RestQuery String deleted) {
        user.requirePlatformAdmin();
        return Templates.list(api.models(), api.tenants(), new NewModel("", "", "public", ""), FormError.NONE,
                deleted == null || deleted.isBlank() ? null : deleted);
    }

    /** Creates a model without versions; a private one names the tenant that owns it. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String name, @RestForm String description, @RestForm String visibility,
            @RestForm("owner_tenant") String ownerTenant) {
        user.requirePlatformAdmin();
        String vis = blankToNull(visibility);
        NewModel model = new NewModel(trim(name), blankToNull(description), vis,
                "private".equals(vis) ? blankToNull(ownerTenant) : null);
        try {
            ModelDetail created = api.createModel(model);
            return Response.seeOther(UriBuilder.fromPath("/admin/models/{name}").build(created.name())).build();
        } catch (ApiProblem problem) {
            if (problem.status() >= 500 || problem.status() == 401) {
                throw problem;
            }
            FormError error = FormError.of(CREATE, problem);
            NewModel typed = new NewModel(trim(name), trim(description), vis == null ? "public" : vis, trim(ownerTenant));
            return error.page(Templates.list(api.models(), api.tenants(), typed, error, null));
        }
    }

    @GET
    @Path("{name}")
    public TemplateInstance detail(@RestPath String name) {
        user.requirePlatformAdmin();
        return detailPage(api.model(name), FormError.NONE, null, null);
    }

    /** Saves the settings form: description, visibility and owner (PATCH of every field, as the form holds it). */
    @POST
    @Path("{name}/settings")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(@RestPath String name, @RestForm String description, @RestForm String visibility,
            @RestForm("owner_tenant") String ownerTenant) {
        user.requirePlatformAdmin();
        try {
            api.updateModel(name, new ModelChange(trim(description), blankToNull(visibility), trim(ownerTenant)));
            return Response.seeOther(UriBuilder.fromPath("/admin/models/{name}").build(name)).build();
        } catch (ApiProblem problem) {
            if (problem.status() >= 500 || problem.status() == 401 || "model_not_found".equals(problem.code())) {
                throw problem;
            }
            FormError error = FormError.of(EDIT, problem);
            NewModel typed = new NewModel(name, trim(description), visibility, trim(ownerTenant));
            return error.page(detailPage(api.model(name), error, typed, null));
        }
    }

    /**
     * Saves the rollout form: the whole rollout, replaced ({@code PUT /admin/v1/models/{name}/rollout}); back at the
     * section. Inputs that are not whole numbers, and platform-api's refusals, come back beside the form as typed.
     */
    @POST
    @Path("{name}/rollout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response rollout(@RestPath String name, @RestForm("stable_version") String stable,
            @RestForm("canary_version") String canary, @RestForm("canary_percent") String percent,
            @RestForm("canary_by") String by, @RestForm("rollback_error_percent") String rollbackPercent,
            @RestForm("rollback_window") String rollbackWindow, @RestForm("shadow_version") String shadow,
            @RestForm("shadow_percent") String shadowPercent) {
        user.requirePlatformAdmin();
        RolloutForm typed = RolloutForm.typed(stable, canary, percent, by, rollbackPercent, rollbackWindow, shadow,
                shadowPercent);
        Map<String, String> errors = new LinkedHashMap<>();
        RolloutRequest rollout = typed.request(errors);
        if (rollout == null) {
            FormError error = FormError.invalid(ROLLOUT, "Check the fields marked below.", errors);
            return error.page(detailPage(api.model(name), error, null, typed));
        }
        return setRollout(name, rollout, ROLLOUT, typed);
    }

    /** Promotes the canary the page showed: it becomes the stable version, with no canary and no shadow. */
    @POST
    @Path("{name}/rollout/promote")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response promote(@RestPath String name, @RestForm int version) {
        user.requirePlatformAdmin();
        return setRollout(name, RolloutRequest.stable(version), PROMOTE, null);
    }

    /** Clears the rollout ({@code {}}): calls that name no version go to the newest version a worker serves. */
    @POST
    @Path("{name}/rollout/clear")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response clear(@RestPath String name) {
        user.requirePlatformAdmin();
        return setRollout(name, RolloutRequest.NONE, CLEAR, null);
    }

    private Response setRollout(String name, RolloutRequest rollout, String form, RolloutForm typed) {
        try {
            api.setRollout(name, rollout);
            return Response.seeOther(UriBuilder.fromPath("/admin/models/{name}").fragment("rollout-section")
                    .build(name)).build();
        } catch (ApiProblem problem) {
            if (problem.status() >= 500 || problem.status() == 401 || "model_not_found".equals(problem.code())) {
                throw problem;
            }
            FormError error = FormError.beside(form, problem, RolloutForm.INPUTS);
            return error.page(detailPage(api.model(name), error, null, typed));
        }
    }

    /** Deletes the model (its versions retired, its name free again); back to the list, which says so. */
    @POST
    @Path("{name}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@RestPath String name) {
        user.requirePlatformAdmin();
        api.deleteModel(name);
        return Response.seeOther(UriBuilder.fromPath("/admin/models").queryParam("deleted", name).build()).build();
    }

    /** The versions table as an HTML fragment, for the page's polling after an upload. */
    @GET
    @Path("{name}/versions")
    public TemplateInstance versions(@RestPath String name) {
        user.requirePlatformAdmin();
        return Templates.detail$versions(api.model(name));
    }

    /**
     * Uploads a new version from the page script ({@code application/octet-stream}): the body goes to platform-api as
     * it arrives, with the length the browser declared. Answers 201 with the validated version (its signature and
     * warm-up), or the problem (why the model was refused) as JSON.
     */
    @POST
    @Path("{name}/versions")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces(MediaType.APPLICATION_JSON)
    public Response upload(@RestPath String name, InputStream body,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength) {
        user.requirePlatformAdmin();
        ModelVersion created = api.upload(name, body, contentLength);
        return Response.status(Response.Status.CREATED).type(MediaType.APPLICATION_JSON_TYPE).entity(created).build();
    }

    /** Retires a version: it is no longer served or placed (idempotent). */
    @POST
    @Path("{name}/versions/{version}/retire")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response retire(@RestPath String name, @RestPath int version) {
        user.requirePlatformAdmin();
        try {
            api.retire(name, version);
            return Response.seeOther(UriBuilder.fromPath("/admin/models/{name}").build(name)).build();
        } catch (ApiProblem problem) {
            if (problem.status() >= 500 || problem.status() == 401 || problem.code() != null
                    && problem.code().equals("model_not_found")) {
                throw problem;
            }
            FormError error = FormError.of(RETIRE, problem);
            return error.page(detailPage(api.model(name), error, null, null));
        }
    }

    /**
     * Schedules or changes a version's sunset ({@code PUT /admin/v1/models/{name}/versions/{version}/sunset}); back at
     * the version's row of the sunsets section. A time that is missing or not one is refused before the call, beside
     * the form as typed, like platform-api's refusals.
     */
    @POST
    @Path("{name}/versions/{version}/sunset")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response sunset(@RestPath String name, @RestPath int version, @RestForm("sunset_at") String sunsetAt,
            @RestForm String successor, @RestForm String note) {
        user.requirePlatformAdmin();
        SunsetForm typed = SunsetForm.typed(version, sunsetAt, successor, note);
        Map<String, String> errors = new LinkedHashMap<>();
        SunsetRequest sunset = typed.request(errors);
        if (sunset == null) {
            FormError error = FormError.invalid(typed.id(), "Check the fields marked below.", errors);
            ModelDetail model = api.model(name);
            return error.page(detailPage(model, error, new SunsetSection(model, typed, version)));
        }
        try {
            api.setSunset(name, version, sunset);
            return backAtSunset(name, version);
        } catch (ApiProblem problem) {
            return sunsetRefused(name, version, problem, FormError.beside(typed.id(), problem, SunsetForm.INPUTS),
                    typed);
        }
    }

    /** Cancels a version's sunset ({@code DELETE …/sunset}): it stays a version like any other. */
    @POST
    @Path("{name}/versions/{version}/sunset/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response cancelSunset(@RestPath String name, @RestPath int version) {
        user.requirePlatformAdmin();
        try {
            api.cancelSunset(name, version);
            return backAtSunset(name, version);
        } catch (ApiProblem problem) {
            return sunsetRefused(name, version, problem, FormError.of(SunsetForm.cancelIdOf(version), problem), null);
        }
    }

    private static Response backAtSunset(String name, int version) {
        return Response.seeOther(UriBuilder.fromPath("/admin/models/{name}").fragment("sunset-" + version)
                .build(name)).build();
    }

    private Response sunsetRefused(String name, int version, ApiProblem problem, FormError error, SunsetForm typed) {
        if (problem.status() >= 500 || problem.status() == 401 || "model_not_found".equals(problem.code())) {
            throw problem;
        }
        ModelDetail model = api.model(name);
        return error.page(detailPage(model, error, new SunsetSection(model, typed, version)));
    }

    /** The model page; the settings and rollout forms hold what was typed when it was refused (null: the model's). */
    private TemplateInstance detailPage(ModelDetail model, FormError error, NewModel typed, RolloutForm typedRollout) {
        return page.render(model, error, typed, typedRollout, SunsetSection.of(model));
    }

    /** The model page after a refused sunset form or cancel button, that version's row holding it. */
    private TemplateInstance detailPage(ModelDetail model, FormError error, SunsetSection sunsets) {
        return page.render(model, error, null, null, sunsets);
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
