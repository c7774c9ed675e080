package io.aiaas.console.admin;

import io.aiaas.console.api.AdminApi;
import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.admin.CreatedEnrolmentToken;
import io.aiaas.console.api.admin.EnrolmentToken;
import io.aiaas.console.api.admin.NewEnrolmentToken;
import io.aiaas.console.api.admin.WorkerIdentity;
import io.aiaas.console.web.CurrentUser;
import io.aiaas.console.web.FormError;
import io.aiaas.console.web.Parallel;
import io.aiaas.console.web.SecretPage;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Admin page of the inference workers: health, device, queue depth, last heartbeat and the versions each holds; the
 * enrolment tokens a new node enrols with (create one, its secret shown once; revoke one) and the enrolled worker
 * identities with their keys (revoke one, after typing its name). Platform admins only; platform-api enforces it too.
 */
@Path("/admin/workers")
@Produces(MediaType.TEXT_HTML)
public class AdminWorkersResource {

    /** The create form ({@code #create-enrolment-token}, its error in {@code #create-enrolment-token-error}). */
    static final String CREATE_TOKEN = "create-enrolment-token";
    /** A token's revoke form is {@code revoke-token-<id>}; a refusal shows in {@code #revoke-token-error}. */
    static final String REVOKE_TOKEN = "revoke-token";
    /** An identity's revoke form is {@code revoke-identity-<id>}; a refusal shows in {@code #revoke-identity-error}. */
    static final String REVOKE_IDENTITY = "revoke-identity";
    /** What a redirected revocation did, in words; only these keys are accepted from the URL. */
    private static final Map<String, String> DONE = Map.of(
            "token-revoked", "Enrolment token revoked: no worker can enrol with it from now on. Workers that already"
                    + " enrolled with it keep their identities.",
            "identity-revoked", "Worker identity revoked: its tokens are refused from now on and its worker row is"
                    + " removed, so no calls are routed to it. To bring the node back, give it a new enrolment token"
                    + " and an empty identity directory: it enrols as a new identity.");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(WorkersPage page);
    }

    private final CurrentUser user;
    private final AdminApi api;
    private final Parallel parallel;

    AdminWorkersResource(CurrentUser user, @RestClient AdminApi api, Parallel parallel) {
        this.user = user;
        this.api = api;
        this.parallel = parallel;
    }

    @GET
    public TemplateInstance list(@RestQuery String done) {
        user.requirePlatformAdmin();
        return page(null, EnrolmentTokenForm.DEFAULT, FormError.NONE, "", done == null ? null : DONE.get(done));
    }

    /**
     * Creates an enrolment token: the validity typed in hours or days is sent as {@code expires_in_seconds}. The token
     * is shown once, on the answer to this POST (no redirect, never cached); a refusal comes back beside the form with
     * what was typed.
     */
    @POST
    @Path("enrolment-tokens")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createToken(@RestForm String name, @RestForm String uses, @RestForm String validity,
            @RestForm("validity_unit") String unit) {
        user.requirePlatformAdmin();
        EnrolmentTokenForm typed = EnrolmentTokenForm.typed(name, uses, validity, unit);
        Map<String, String> errors = new LinkedHashMap<>();
        NewEnrolmentToken request = typed.request(errors);
        if (request == null) {
            FormError error = FormError.invalid(CREATE_TOKEN, "Check the fields marked below.", errors);
            return error.page(page(null, typed, error, "", null));
        }
        CreatedEnrolmentToken created;
        try {
            created = api.createEnrolmentToken(request);
        } catch (ApiProblem problem) {
            if (escapes(problem)) {
                throw problem;
            }
            FormError error = refused(problem);
            return error.page(page(null, typed, error, "", null));
        }
        return SecretPage.of(page(created, EnrolmentTokenForm.DEFAULT, FormError.NONE, "", null));
    }

    /** Revokes an enrolment token: no worker can enrol with it any more (those that did keep working). */
    @POST
    @Path("enrolment-tokens/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revokeToken(@RestPath UUID id) {
        user.requirePlatformAdmin();
        try {
            api.revokeEnrolmentToken(id);
        } catch (ApiProblem problem) {
            if (escapes(problem)) {
                throw problem;
            }
            FormError error = FormError.of(REVOKE_TOKEN + "-" + id, problem);
            return error.page(page(null, EnrolmentTokenForm.DEFAULT, error, "", null));
        }
        return done("token-revoked", "enrolment-tokens-section");
    }

    /**
     * Revokes a worker identity once its name is typed again ({@code confirm}, checked here against platform-api's
     * list: the API itself asks for no confirmation): its tokens are refused and its worker row deleted. An empty or
     * different name revokes nothing and comes back beside the row's form with what was typed.
     */
    @POST
    @Path("identities/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revokeIdentity(@RestPath UUID id, @RestForm String confirm) {
        user.requirePlatformAdmin();
        String typed = confirm == null ? "" : confirm.trim();
        String form = REVOKE_IDENTITY + "-" + id;
        WorkerIdentity identity = api.workerIdentities().stream().filter(i -> id.equals(i.id())).findFirst()
                .orElse(null);
        if (identity == null) {
            return refuseIdentity(new FormError(form, "There is no worker identity " + id
                    + " (any more): reload the page.", Map.of(), 404), typed);
        }
        if (typed.isEmpty()) {
            return refuseIdentity(FormError.of(form, "Type the worker's name, " + identity.name()
                    + ", to revoke its identity."), typed);
        }
        if (!typed.equals(identity.name())) {
            return refuseIdentity(FormError.of(form, "“" + typed + "” is not the worker's name, " + identity.name()
                    + ": nothing was revoked."), typed);
        }
        try {
            api.revokeWorkerIdentity(id);
        } catch (ApiProblem problem) {
            if (escapes(problem)) {
                throw problem;
            }
            return refuseIdentity(FormError.of(form, problem), typed);
        }
        return done("identity-revoked", "worker-identities-section");
    }

    private Response refuseIdentity(FormError error, String typed) {
        return error.page(page(null, EnrolmentTokenForm.DEFAULT, error, typed, null));
    }

    /** platform-api's message, with its field errors beside the inputs; a too long validity marked beside it too. */
    private static FormError refused(ApiProblem problem) {
        FormError error = FormError.beside(CREATE_TOKEN, problem, EnrolmentTokenForm.INPUTS);
        if ("invalid_expiry".equals(problem.code()) && error.field("validity") == null) {
            Map<String, String> fields = new LinkedHashMap<>(error.fields());
            fields.put("validity", "longer than platform-api allows (see above)");
            return new FormError(error.form(), error.message(), fields, error.status());
        }
        return error;
    }

    /** Back to the page, at the section where the notice is, after a revocation. */
    private static Response done(String done, String section) {
        return Response.seeOther(UriBuilder.fromPath("/admin/workers").queryParam("done", done).fragment(section)
                .build()).build();
    }

    /** An expired session and a failing platform-api go to the error pages; the rest belongs beside the form. */
    private static boolean escapes(ApiProblem problem) {
        return problem.status() == 401 || problem.status() >= 500;
    }

    /** The page: its three lists asked at once; the tokens or identities that cannot be read say why instead. */
    private TemplateInstance page(CreatedEnrolmentToken created, EnrolmentTokenForm form, FormError error,
            String confirm, String done) {
        var workers = parallel.start(api::workers);
        var tokens = parallel.start(() -> read(api::enrolmentTokens));
        var identities = parallel.start(() -> read(api::workerIdentities));
        Read<EnrolmentToken> t = tokens.get();
        Read<WorkerIdentity> i = identities.get();
        return Templates.list(new WorkersPage(workers.get(), t.items(), t.error(), i.items(), i.error(), created, form,
                error, confirm, done));
    }

    /** A list, or why it could not be read. */
    private record Read<T>(List<T> items, String error) {
    }

    private static <T> Read<T> read(Supplier<List<T>> call) {
        try {
            return new Read<>(call.get(), null);
        } catch (ApiProblem problem) {
            return new Read<>(List.of(), problem.shownInstead());
        }
    }
}
