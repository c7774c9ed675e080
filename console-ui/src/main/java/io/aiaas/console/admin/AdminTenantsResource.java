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
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Admin pages of tenants: the list (searched by slug or name and by status, 100 at a time) with a create form, and
 * one tenant with its status (suspend, with a note the tenant is told; change or remove that note; resume), plan
 * (assign, history), time zone, tax treatment, members, this month's usage, credit grants and, at the bottom, closing
 * it for good. The credit grants' forms (give, void) post to {@link AdminTenantCreditResource} and the tax form to
 * {@link AdminTenantTaxResource}, on the same base path; all render the page through {@link TenantDetailPage}.
 * Platform admins only; platform-api enforces it too.
 */
@Path("/admin/tenants")
@Produces(MediaType.TEXT_HTML)
public class AdminTenantsResource {

    static final String CREATE = "create-tenant";
    static final String ASSIGN = "assign-plan";
    static final String STATUS = "tenant-status-form";
    /**
     * The form that changes or removes the note of an operator's suspension ({@code #suspension-note-form}, its error
     * in {@code #suspension-note-form-error}); the "Remove note" button's form posts there too.
     */
    static final String NOTE = "suspension-note-form";
    /** The longest suspension note platform-api takes. */
    static final int MAX_NOTE = 500;
    static final String ZONE = "tenant-zone";
    /** The close form ({@code #admin-close-tenant-form}, its error in {@code #admin-close-tenant-form-error}). */
    static final String CLOSE = "admin-close-tenant-form";
    /** {@code done} of the detail page after the tenant was closed. */
    static final String CLOSED = "closed";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(TenantPage page, String slug, String name, FormError error);

        static native TemplateInstance detail(Tenant account, List<Plan> plans, List<PlanChange> history,
                List<Member> members, MonthUsage usage, String effectiveAt, FormError error, boolean closedNow,
                String typed, AdminTenantCreditResource.Credit credit, String note, AdminTenantTaxResource.Tax tax,
                String currency);
    }

    /** This month's requests and cost of a tenant, or why they could not be read (the page shows the rest anyway). */
    public record MonthUsage(Instant start, String since, UsageTotals.Totals totals, List<CostTotals.Total> costs,
            String error) {
    }

    private final CurrentUser user;
    private final AdminApi api;
    private final TenantApi tenantApi;
    private final Formats fmt;
    private final TenantDetailPage detail;

    AdminTenantsResource(CurrentUser user, @RestClient AdminApi api, @RestClient TenantApi tenantApi, Formats fmt,
            Parallel parallel) {
        this.user = user;
        this.api = api;
        this.tenantApi = tenantApi;
        this.fmt = fmt;
        this.detail = new TenantDetailPage(api, parallel);
    }

    /**
     * A page of {@link #PAGE_SIZE} tenants, sorted by slug: those whose slug or name contains {@code q}, with that
     * {@code status}, after the slug {@code after} (the next page's link carries the last slug shown). A status that is
     * not one of the select's choices, or a search text longer than platform-api takes, is refused here without asking
     * it; platform-api's 400 is shown beside the search form too, with no tenants.
     */
    @GET
    public Response list(@RestQuery String q, @RestQuery String status, @RestQuery String after) {
        user.requirePlatformAdmin();
        TenantPage page = TenantPage.read(api, trim(q), trim(status), trim(after));
        return page.error().page(Templates.list(page, "", "", FormError.NONE));
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
            // the first page, unfiltered: what the form's page shows when it is opened
            FormError error = FormError.of(CREATE, problem);
            return error.page(Templates.list(TenantPage.read(api, "", "", ""), s, n, error));
        }
    }

    @GET
    @Path("{slug}")
    public TemplateInstance detail(@RestPath String slug, @RestQuery String done) {
        user.requirePlatformAdmin();
        return detail.render(api.tenant(slug), "", FormError.NONE, CLOSED.equals(done), "", null,
                done == null ? null : AdminTenantCreditResource.CREDIT_DONE.get(done), null, null,
                done == null ? null : AdminTenantTaxResource.TAX_DONE.get(done));
    }

    /**
     * Suspends or resumes the tenant (status active or suspended). A suspension may carry a note (at most
     * {@link #MAX_NOTE} characters) that the tenant is told: on its pages, in its keys' 403 and in its webhook's
     * {@code tenant.suspended}; an empty one sends none. platform-api refuses a note with a resume.
     */
    @POST
    @Path("{slug}/status")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response status(@RestPath String slug, @RestForm String status,
            @RestForm("suspension_note") String suspensionNote) {
        user.requirePlatformAdmin();
        String note = note(suspensionNote);
        if (note.length() > MAX_NOTE) {
            return noteTooLong(slug, STATUS, note);
        }
        return change(slug, STATUS, TenantChange.status(trim(status), note.isEmpty() ? null : note), "", note);
    }

    /**
     * Changes what the operator's suspension of the tenant tells it, sending {@code suspension_note} alone; an empty
     * note removes it. platform-api refuses a note for a tenant that is not suspended; the refusal is shown beside the
     * form with what was typed.
     */
    @POST
    @Path("{slug}/suspension-note")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response suspensionNote(@RestPath String slug, @RestForm("suspension_note") String suspensionNote) {
        user.requirePlatformAdmin();
        String note = note(suspensionNote);
        if (note.length() > MAX_NOTE) {
            return noteTooLong(slug, NOTE, note);
        }
        return change(slug, NOTE, TenantChange.suspensionNote(note), "", note);
    }

    /**
     * A note as typed in the textarea, trimmed, its line breaks as platform-api counts them: a browser posts a
     * textarea's line breaks as CR LF, and its {@code maxlength} counts each as one character.
     */
    static String note(String typed) {
        return trim(typed).replace("\r\n", "\n").replace('\r', '\n');
    }

    /** A note longer than platform-api takes, refused without calling it; what was typed stays in the textarea. */
    private Response noteTooLong(String slug, String form, String note) {
        FormError error = FormError.invalid(form, "The note is too long.",
                Map.of("suspension_note", "at most " + MAX_NOTE + " characters (this one has " + note.length() + ")"));
        return error.page(detail.render(api.tenant(slug), "", error, false, "", null, null, note));
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
            return error.page(detail.render(api.tenant(slug), "", error, false, typed));
        }
        try {
            tenantApi.close(slug, new CloseConfirmation(typed));
        } catch (ApiProblem problem) {
            if (TenantDetailPage.escapes(problem)) {
                throw problem;
            }
            FormError error = FormError.of(CLOSE, problem);
            return error.page(detail.render(api.tenant(slug), "", error, false, typed));
        }
        return Response.seeOther(UriBuilder.fromPath("/admin/tenants/{slug}").queryParam("done", CLOSED).build(slug))
                .build();
    }

    private Response change(String slug, String form, TenantChange change, String effectiveAt) {
        return change(slug, form, change, effectiveAt, null);
    }

    /**
     * Sends the change and goes back to the page; a refusal re-renders it with the problem beside the form and, for
     * the forms with a suspension note, the note as typed ({@code note}, else null).
     */
    private Response change(String slug, String form, TenantChange change, String effectiveAt, String note) {
        try {
            Tenant changed = api.updateTenant(slug, change);
            return Response.seeOther(UriBuilder.fromPath("/admin/tenants/{slug}").build(changed.slug())).build();
        } catch (ApiProblem problem) {
            if (TenantDetailPage.escapes(problem)) {
                throw problem;
            }
            FormError error = FormError.of(form, problem);
            return error.page(detail.render(api.tenant(slug), effectiveAt, error, false, "", null, null, note));
        }
    }

    private Response invalid(String slug, String form, String message, Map<String, String> fields, String when) {
        FormError error = FormError.invalid(form, message, fields);
        return error.page(detail.render(api.tenant(slug), when, error, false, ""));
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
