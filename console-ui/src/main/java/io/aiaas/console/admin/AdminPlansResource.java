package io.aiaas.console.admin;

import io.aiaas.console.api.AdminApi;
import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.admin.Plan;
import io.aiaas.console.web.CurrentUser;
import io.aiaas.console.web.FormError;
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
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Admin pages of plans: the list with a create form, and one plan's edit form (fee, credit, rate limits, quotas,
 * budget, prices with tiers). The console converts the typed decimals to micro-units; platform-api validates the rest
 * and its refusals are shown beside the form.
 */
@Path("/admin/plans")
@Produces(MediaType.TEXT_HTML)
public class AdminPlansResource {

    static final String CREATE = "create-plan";
    static final String EDIT = "edit-plan";

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
        static native TemplateInstance list(List<Plan> plans, PlanForm form, FormError error);

        static native TemplateInstance edit(Plan plan, PlanForm form, FormError error, boolean saved);
    }

    private final CurrentUser user;
    private final AdminApi api;

    AdminPlansResource(CurrentUser user, @RestClient AdminApi api) {
        this.user = user;
        this.api = api;
    }

    @GET
    public TemplateInstance list() {
        user.requirePlatformAdmin();
        return Templates.list(api.plans(), PlanForm.blank(), FormError.NONE);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(MultivaluedMap<String, String> input) {
        user.requirePlatformAdmin();
        PlanForm form = PlanForm.parse(input::getFirst);
        PlanForm.Result result = form.toSpec();
        if (!result.valid()) {
            FormError error = FormError.invalid(CREATE, "Check the fields marked below.", result.errors());
            return error.page(Templates.list(api.plans(), form, error));
        }
        try {
            Plan created = api.createPlan(result.spec());
            return Response.seeOther(UriBuilder.fromPath("/admin/plans/{id}").build(created.id().toString())).build();
        } catch (ApiProblem problem) {
            if (problem.status() >= 500 || problem.status() == 401) {
                throw problem;
            }
            FormError error = refused(CREATE, problem);
            return error.page(Templates.list(api.plans(), form, error));
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
