package io.aiaas.console.admin;

import io.aiaas.console.api.AdminApi;
import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.TenantApi;
import io.aiaas.console.api.admin.CostTotals;
import io.aiaas.console.api.admin.Member;
import io.aiaas.console.api.admin.NewTenant;
import io.aiaas.console.api.admin.Plan;
import io.aiaas.console.api.admin.PlanChange;
import io.aiaas.console.api.admin.Tenant;
import io.aiaas.console.api.admin.TenantChange;
import io.aiaas.console.api.admin.UsageTotals;
import io.aiaas.console.api.tenant.CloseConfirmation;
import io.aiaas.console.web.CurrentUser;
import io.aiaas.console.web.FormError;
import io.aiaas.console.web.Formats;
import io.aiaas.console.web.Parallel;
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
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Admin pages of tenants: the list with a create form, and one tenant with its status (suspend, resume), plan (assign,
 * history), time zone, members, this month's usage and, at the bottom, closing it for good. Platform admins only;
 * platform-api enforces it too.
 */
@Path("/admin/tenants")
@Produces(MediaType.TEXT_HTML)
public class AdminTenantsResource {

    static final String CREATE = "create-tenant";
    static final String ASSIGN = "assign-plan";
    static final String STATUS = "tenant-status-form";
    static final String ZONE = "tenant-zone";
    /** The close form ({@code #admin-close-tenant-form}, its error in {@code #admin-close-tenant-form-error}). */
    static final String CLOSE = "admin-close-tenant-form";
    /** {@code done} of the detail page after the tenant was closed. */
    static final String CLOSED = "closed";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<Tenant> tenants, String slug, String name, FormError error);

        static native TemplateInstance detail(Tenant account, List<Plan> plans, List<PlanChange> history,
                List<Member> members, MonthUsage usage, String effectiveAt, FormError error, boolean closedNow,
                String typed);
    }

    /** This month's requests and cost of a tenant, or why they could not be read (the page shows the rest anyway). */
    public record MonthUsage(Instant start, String since, UsageTotals.Totals totals, List<CostTotals.Total> costs,
            String error) {
    }

    private final CurrentUser user;
    private final AdminApi api;
    private final TenantApi tenantApi;
    private final Formats fmt;

    private final Parallel parallel;

    AdminTenantsResource(CurrentUser user, @RestClient AdminApi api, @RestClient TenantApi tenantApi, Formats fmt,
            Parallel parallel) {
        this.user = user;
        this.api = api;
        this.tenantApi = tenantApi;
        this.fmt = fmt;
        this.parallel = parallel;
    }

    @GET
    public TemplateInstance list() {
        user.requirePlatformAdmin();
        return Templates.list(api.tenants(), "", "", FormError.NONE);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String slug, @RestForm String name) {
        user.requirePlatformAdmin();
        String s = trim(slug);
        String n = trim(name);
        try {
            Tenant created = api.createTenant(new NewTenant(s, n));
            return Response.seeOther(UriBuilder.fromPath("/admin/tenants/{slug}").build(created.slug())).build();
        } catch (ApiProblem problem) {
            return FormError.of(CREATE, problem).page(Templates.list(api.tenants(), s, n, FormError.of(CREATE, problem)));
        }
    }

    @GET
    @Path("{slug}")
    public TemplateInstance detail(@RestPath String slug, @RestQuery String done) {
        user.requirePlatformAdmin();
        return page(api.tenant(slug), "", FormError.NONE, CLOSED.equals(done), "");
    }

    /** Suspends or resumes the tenant (status active or suspended). */
    @POST
    @Path("{slug}/status")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response status(@RestPath String slug, @RestForm String status) {
        user.requirePlatformAdmin();
        return change(slug, STATUS, TenantChange.status(trim(status)), "");
    }

    /**
     * Puts the tenant on a plan from the given local date and time in the reader's time zone (empty: now). The API
     * refuses a time in the past and a second change at the same instant.
     */
    @POST
    @Path("{slug}/plan")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response assignPlan(@RestPath String slug, @RestForm("plan_id") String planId,
            @RestForm("effective_at") String effectiveAt) {
        user.requirePlatformAdmin();
        String when = trim(effectiveAt);
        UUID plan;
        try {
            plan = UUID.fromString(trim(planId));
        } catch (IllegalArgumentException notAPlan) {
            return invalid(slug, ASSIGN, "Choose a plan.", Map.of("plan_id", "choose a plan"), when);
        }
        Instant at = null;
        if (!when.isEmpty()) {
            try {
                at = LocalDateTime.parse(when).atZone(fmt.zone()).toInstant();
            } catch (DateTimeParseException notATime) {
                return invalid(slug, ASSIGN, "The date and time could not be read.",
                        Map.of("plan_effective_at", "use the date and time picker, e.g. 2026-12-01T00:00"), when);
            }
        }
        return change(slug, ASSIGN, TenantChange.plan(plan, at), when);
    }

    @POST
    @Path("{slug}/time-zone")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response timeZone(@RestPath String slug, @RestForm("time_zone") String timeZone) {
        user.requirePlatformAdmin();
        return change(slug, ZONE, TenantChange.timeZone(trim(timeZone)), "");
    }

    /**
     * Closes the tenant for good when {@code confirm} is its slug, through the same call its own admins use (platform
     * admins may make it; platform-api checks the slug, an empty one is refused here), then back to the page with a
     * notice; a refusal is shown beside the form with what was typed.
     */
    @POST
    @Path("{slug}/close")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response close(@RestPath String slug, @RestForm String confirm) {
        user.requirePlatformAdmin();
        String typed = trim(confirm);
        if (typed.isEmpty()) {
            FormError error = FormError.of(CLOSE, "Type the slug of the tenant, " + slug + ", to close it.");
            return error.page(page(api.tenant(slug), "", error, false, typed));
        }
        try {
            tenantApi.close(slug, new CloseConfirmation(typed));
        } catch (ApiProblem problem) {
            if (escapes(problem)) {
                throw problem;
            }
            FormError error = FormError.of(CLOSE, problem);
            return error.page(page(api.tenant(slug), "", error, false, typed));
        }
        return Response.seeOther(UriBuilder.fromPath("/admin/tenants/{slug}").queryParam("done", CLOSED).build(slug))
                .build();
    }

    private Response change(String slug, String form, TenantChange change, String effectiveAt) {
        try {
            Tenant changed = api.updateTenant(slug, change);
            return Response.seeOther(UriBuilder.fromPath("/admin/tenants/{slug}").build(changed.slug())).build();
        } catch (ApiProblem problem) {
            if (escapes(problem)) {
                throw problem;
            }
            FormError error = FormError.of(form, problem);
            return error.page(page(api.tenant(slug), effectiveAt, error, false, ""));
        }
    }

    private Response invalid(String slug, String form, String message, Map<String, String> fields, String when) {
        FormError error = FormError.invalid(form, message, fields);
        return error.page(page(api.tenant(slug), when, error, false, ""));
    }

    /** An unknown tenant and a failing platform-api go to the error pages; the rest belongs beside the form. */
    private static boolean escapes(ApiProblem problem) {
        return problem.status() == 404 || problem.status() >= 500;
    }

    private TemplateInstance page(Tenant tenant, String effectiveAt, FormError error, boolean closedNow,
            String typed) {
        String slug = tenant.slug();
        // independent calls at once: the page waits for the slowest, not their sum
        var plans = parallel.start(api::plans);
        var history = parallel.start(() -> api.planHistory(slug));
        var members = parallel.start(() -> api.members(slug));
        var usage = parallel.start(() -> monthUsage(tenant));
        // an archived plan takes no new tenants: the choice offers the others only
        List<Plan> offered = plans.get().stream().filter(plan -> !plan.archived()).toList();
        return Templates.detail(tenant, offered, history.get(), members.get(), usage.get(), effectiveAt, error,
                closedNow, typed);
    }

    /** From the first of this month in the tenant's billing time zone until now: the period an invoice will cover. */
    private MonthUsage monthUsage(Tenant tenant) {
        ZoneId zone;
        try {
            zone = tenant.timeZone() == null ? ZoneOffset.UTC : ZoneId.of(tenant.timeZone());
        } catch (DateTimeException unknown) {
            zone = ZoneOffset.UTC;
        }
        Instant start = ZonedDateTime.now(zone).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).toInstant();
        String since = LocalDate.ofInstant(start, zone) + " (" + zone.getId() + ")";
        try {
            UsageTotals usage = api.usage(tenant.slug(), start.toString(), null, "1d");
            CostTotals costs = api.costs(tenant.slug(), start.toString(), null, "1d");
            return new MonthUsage(start, since, usage.totals(), costs.totals(), null);
        } catch (ApiProblem problem) {
            return new MonthUsage(start, since, null, List.of(), problem.message());
        }
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
