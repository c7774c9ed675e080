package io.aiaas.console.admin;

import io.aiaas.console.api.AdminApi;
import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.admin.Plan;
import io.aiaas.console.api.admin.SelfServiceChange;
import io.aiaas.console.api.admin.SignupChange;
import io.aiaas.console.api.admin.SignupSettings;
import io.aiaas.console.web.CurrentUser;
import io.aiaas.console.web.FormError;
import io.aiaas.console.web.Parallel;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Admin pages of plans: the list with a create form and the self-service sign-up settings (which plan people's own
 * tenants start on, how many one person may create), and one plan's edit form (fee, credit, rate limits, quotas,
 * budget, prices with tiers) with its offer: archived or not, self-service (tenant admins may choose it) or not.
 * The console converts the typed decimals to micro-units; platform-api validates the rest and its refusals are shown
 * beside the form.
 */
@Path("/admin/plans")
@Produces(MediaType.TEXT_HTML)
public class AdminPlansResource {

    static final String CREATE = "create-plan";
    static final String EDIT = "edit-plan";
    static final String SIGNUP = "signup-settings";

    /** platform-api's field names of a plan, and the inputs of the form they belong to. */
    private static final Map<String, String> API_FIELDS = Map.of(
            "name", "name",
            "currency", "currency",
            "monthly_fee_micros", "monthly_fee",
            "included_credit_micros", "included_credit",
            "rate_limits.requests_per_minute_per_key", "rpm_key",
            "rate_limits.requests_per_minute_per_tenant", "rpm_tenant",
            "rate_limits.max_concurrent_requests", "concurrency",
            "budget.limit_micros", "budget_limit");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<Plan> plans, PlanForm form, FormError error, Signup signup);

        static native TemplateInstance edit(Plan plan, PlanForm form, FormError error, boolean saved);
    }

    /**
     * The sign-up section of the list.
     *
     * @param settings the settings as platform-api has them, null when they could not be read
     * @param offered the plans sign-up can be opened on (the ones not archived)
     * @param planId the chosen plan as typed ("" = closed)
     * @param max the tenants per person as typed
     * @param saved whether the page follows a save
     * @param unavailable why the settings could not be read, else null
     */
    public record Signup(SignupSettings settings, List<Plan> offered, String planId, String max, boolean saved,
            String unavailable) {

        public boolean chose(UUID plan) {
            return plan.toString().equals(planId);
        }
    }

    private final CurrentUser user;
    private final AdminApi api;
    private final Parallel parallel;

    AdminPlansResource(CurrentUser user, @RestClient AdminApi api, Parallel parallel) {
        this.user = user;
        this.api = api;
        this.parallel = parallel;
    }

    @GET
    public TemplateInstance list(@RestQuery String signup) {
        user.requirePlatformAdmin();
        return listPage(PlanForm.blank(), FormError.NONE, null, null, "saved".equals(signup));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(MultivaluedMap<String, String> input) {
        user.requirePlatformAdmin();
        PlanForm form = PlanForm.parse(input::getFirst);
        PlanForm.Result result = form.toSpec();
        if (!result.valid()) {
            FormError error = FormError.invalid(CREATE, "Check the fields marked below.", result.errors());
            return error.page(listPage(form, error, null, null, false));
        }
        try {
            Plan created = api.createPlan(result.spec());
            return Response.seeOther(UriBuilder.fromPath("/admin/plans/{id}").build(created.id().toString())).build();
        } catch (ApiProblem problem) {
            if (problem.status() >= 500 || problem.status() == 401) {
                throw problem;
            }
            FormError error = refused(CREATE, problem);
            return error.page(listPage(form, error, null, null, false));
        }
    }

    @GET
    @Path("{id}")
    public TemplateInstance edit(@RestPath String id, @RestQuery String saved) {
        user.requirePlatformAdmin();
        Plan plan = api.plan(id);
        return Templates.edit(plan, PlanForm.of(plan), FormError.NONE, saved != null);
    }

    /** Replaces the plan's definition (PUT): the plan's revision grows; usage already priced keeps its prices. */
    @POST
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(@RestPath String id, MultivaluedMap<String, String> input) {
        user.requirePlatformAdmin();
        Plan plan = api.plan(id);
        PlanForm form = PlanForm.parse(input::getFirst);
        PlanForm.Result result = form.toSpec();
        if (!result.valid()) {
            FormError error = FormError.invalid(EDIT, "Check the fields marked below.", result.errors());
            return error.page(Templates.edit(plan, form, error, false));
        }
        try {
            api.replacePlan(id, result.spec());
            return Response.seeOther(UriBuilder.fromPath("/admin/plans/{id}").queryParam("saved", "1")
                    .build(plan.id().toString())).build();
        } catch (ApiProblem problem) {
            if (problem.status() >= 500 || problem.status() == 401) {
                throw problem;
            }
            FormError error = refused(EDIT, problem);
            return error.page(Templates.edit(plan, form, error, false));
        }
    }

    /** Archives the plan: it takes no new tenants, those on it stay (idempotent). */
    @POST
    @Path("{id}/archive")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response archive(@RestPath String id) {
        user.requirePlatformAdmin();
        Plan plan = api.archivePlan(id);
        return Response.seeOther(UriBuilder.fromPath("/admin/plans/{id}").build(plan.id().toString())).build();
    }

    /** Offers an archived plan again (idempotent). */
    @POST
    @Path("{id}/restore")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response restore(@RestPath String id) {
        user.requirePlatformAdmin();
        Plan plan = api.restorePlan(id);
        return Response.seeOther(UriBuilder.fromPath("/admin/plans/{id}").build(plan.id().toString())).build();
    }

    /**
     * Offers the plan to tenant admins, who may then choose it for their tenant from its next billing period
     * ({@code self_service=true}), or withdraws it (false: tenants already on it stay). Idempotent.
     */
    @POST
    @Path("{id}/self-service")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response selfService(@RestPath String id, @RestForm("self_service") String selfService) {
        user.requirePlatformAdmin();
        Plan plan = api.replaceSelfService(id, new SelfServiceChange("true".equals(selfService)));
        return Response.seeOther(UriBuilder.fromPath("/admin/plans/{id}").build(plan.id().toString())).build();
    }

    /**
     * Saves the self-service sign-up settings (PUT: both at once); "closed" sends no plan, which closes sign-up. The
     * console only checks that the limit is a whole number; platform-api checks its range and the plan.
     */
    @POST
    @Path("signup")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saveSignup(@RestForm("plan_id") String planId,
            @RestForm("max_tenants_per_person") String maxTenantsPerPerson) {
        user.requirePlatformAdmin();
        String chosen = planId == null ? "" : planId.trim();
        String max = maxTenantsPerPerson == null ? "" : maxTenantsPerPerson.trim();
        UUID plan = null;
        if (!chosen.isEmpty()) {
            try {
                plan = UUID.fromString(chosen);
            } catch (IllegalArgumentException notAPlan) {
                return invalidSignup("plan_id", "choose a plan, or closed", chosen, max);
            }
        }
        int limit;
        try {
            limit = Integer.parseInt(max);
        } catch (NumberFormatException notWhole) {
            return invalidSignup("max_tenants_per_person", "enter a whole number from 1 to 100", chosen, max);
        }
        try {
            api.replaceSignup(new SignupChange(plan, limit));
            return Response.seeOther(UriBuilder.fromPath("/admin/plans").queryParam("signup", "saved").build())
                    .build();
        } catch (ApiProblem problem) {
            if (problem.status() >= 500 || problem.status() == 401) {
                throw problem;
            }
            FormError error = FormError.of(SIGNUP, problem);
            return error.page(listPage(PlanForm.blank(), error, chosen, max, false));
        }
    }

    private Response invalidSignup(String field, String message, String chosen, String max) {
        FormError error = FormError.invalid(SIGNUP, "Check the fields marked below.", Map.of(field, message));
        return error.page(listPage(PlanForm.blank(), error, chosen, max, false));
    }

    /**
     * The list page; the sign-up inputs show what was typed when given (a refused save), the saved settings otherwise.
     * Sign-up settings that cannot be read do not hide the plans.
     */
    private TemplateInstance listPage(PlanForm form, FormError error, String typedPlan, String typedMax,
            boolean saved) {
        // independent calls at once: the page waits for the slower, not their sum
        var plans = parallel.start(api::plans);
        var settings = parallel.start(api::signup);
        List<Plan> all = plans.get();
        List<Plan> offered = all.stream().filter(plan -> !plan.archived()).toList();
        Signup signup;
        try {
            SignupSettings current = settings.get();
            String planId = typedPlan != null ? typedPlan : current.planId() == null ? "" : current.planId().toString();
            String max = typedMax != null ? typedMax : Integer.toString(current.maxTenantsPerPerson());
            signup = new Signup(current, offered, planId, max, saved, null);
        } catch (ApiProblem problem) {
            signup = new Signup(null, offered, "", "", false, problem.shownInstead());
        }
        return Templates.list(all, form, error, signup);
    }

    /** The API's message, with its field errors also put beside the inputs they name. */
    private static FormError refused(String form, ApiProblem problem) {
        Map<String, String> fields = new LinkedHashMap<>();
        problem.fieldErrors().forEach((field, message) -> {
            String input = API_FIELDS.get(field);
            if (input != null) {
                fields.put(input, message);
            }
        });
        FormError base = FormError.of(form, problem);
        return new FormError(form, base.message(), fields, base.status());
    }
}
