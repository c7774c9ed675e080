package io.aiaas.console.admin;

import io.aiaas.console.api.AdminApi;
import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.TenantApi;
import io.aiaas.console.api.admin.CostTotals;
import io.aiaas.console.api.admin.GrantCreditRequest;
import io.aiaas.console.api.admin.Member;
import io.aiaas.console.api.admin.NewTenant;
import io.aiaas.console.api.admin.Plan;
import io.aiaas.console.api.admin.PlanChange;
import io.aiaas.console.api.admin.Tenant;
import io.aiaas.console.api.admin.TenantChange;
import io.aiaas.console.api.admin.UsageTotals;
import io.aiaas.console.api.tenant.CloseConfirmation;
import io.aiaas.console.api.tenant.CreditGrant;
import io.aiaas.console.web.CurrentUser;
import io.aiaas.console.web.DayInput;
import io.aiaas.console.web.FormError;
import io.aiaas.console.web.Formats;
import io.aiaas.console.web.MoneyInput;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Admin pages of tenants: the list (searched by slug or name and by status, 100 at a time) with a create form, and
 * one tenant with its status (suspend, with a note the tenant is told; change or remove that note; resume), plan
 * (assign, history), time zone, members, this month's usage, credit grants (give, void) and, at the bottom, closing it
 * for good. Platform admins only; platform-api enforces it too.
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
    /** The grant form ({@code #grant-credit}, its error in {@code #grant-credit-error}). */
    static final String GRANT = "grant-credit";
    /** A void button's form is {@code void-grant-<id>}; a refusal of any of them shows in {@code #void-grant-error}. */
    static final String VOID_GRANT = "void-grant";
    /** What a redirected credit action did, in words; only these keys are accepted from the URL. */
    private static final Map<String, String> CREDIT_DONE = Map.of(
            "granted", "Credit granted. The tenant's invoices in its currency draw on it as billing periods close.",
            "grant-voided",
            "Grant voided: what was left of it is forfeited; what invoices drew from it stays on them.");
    /** The most platform-api grants at once: 10^15 micro-units (a billion of the currency). */
    static final long MAX_GRANT_MICROS = 1_000_000_000_000_000L;
    /** A reason as platform-api takes it: 1 to 1,000 characters. */
    static final int MAX_REASON = 1000;
    /** Without a plan to take it from, the grant form offers this currency. */
    static final String DEFAULT_CURRENCY = "USD";
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(TenantPage page, String slug, String name, FormError error);

        static native TemplateInstance detail(Tenant account, List<Plan> plans, List<PlanChange> history,
                List<Member> members, MonthUsage usage, String effectiveAt, FormError error, boolean closedNow,
                String typed, Credit credit, String note);
    }

    /** This month's requests and cost of a tenant, or why they could not be read (the page shows the rest anyway). */
    public record MonthUsage(Instant start, String since, UsageTotals.Totals totals, List<CostTotals.Total> costs,
            String error) {
    }

    /**
     * The credit section: the tenant's grants (newest first) or why they could not be read (the page shows the rest
     * anyway), the grant form's values and what the last credit action did.
     *
     * @param done the notice after a grant or a void, else null
     */
    public record Credit(List<CreditGrant> grants, String error, GrantForm form, String done) {

        /** The earliest expiry the date input offers: tomorrow in UTC (a grant expires at the start of the day). */
        public String minExpires() {
            return LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
        }
    }

    /**
     * The grant form's inputs: as typed after a refusal, else empty with the currency of the tenant's plan.
     *
     * @param expires a day (YYYY-MM-DD) or ""
     */
    public record GrantForm(String amount, String currency, String reason, String expires) {

        static GrantForm empty(String currency) {
            return new GrantForm("", currency, "", "");
        }
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
        return page(api.tenant(slug), "", FormError.NONE, CLOSED.equals(done), "", null,
                done == null ? null : CREDIT_DONE.get(done), null);
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
        return error.page(page(api.tenant(slug), "", error, false, "", null, null, note));
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

    /**
     * Gives the tenant credit: the amount typed as a decimal of the currency, converted exactly to micro-units, the
     * currency, the reason and optionally the day it expires (at the start of that day in UTC, which must be in the
     * future). Back to the page with a notice; a refusal is shown beside the form with what was typed.
     */
    @POST
    @Path("{slug}/credits")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response grantCredit(@RestPath String slug, @RestForm String amount, @RestForm String currency,
            @RestForm String reason, @RestForm("expires_at") String expiresAt) {
        user.requirePlatformAdmin();
        // codes are capitals to platform-api; "usd" typed means the same currency
        GrantForm typed = new GrantForm(trim(amount), trim(currency).toUpperCase(Locale.ROOT), trim(reason),
                trim(expiresAt));
        Map<String, String> errors = new LinkedHashMap<>();
        Long micros = grantMicros(typed.amount(), errors);
        if (typed.currency().isEmpty()) {
            errors.put("currency", "enter the currency, e.g. USD");
        } else if (!CURRENCY.matcher(typed.currency()).matches()) {
            errors.put("currency", "a three-letter ISO 4217 code such as USD");
        }
        if (typed.reason().isEmpty()) {
            errors.put("reason", "say why the credit is given (the tenant sees it)");
        } else if (typed.reason().length() > MAX_REASON) {
            errors.put("reason", "at most 1,000 characters");
        }
        Instant expires = expiry(typed.expires(), errors);
        if (!errors.isEmpty()) {
            FormError error = FormError.invalid(GRANT, "Check the fields marked below.", errors);
            return error.page(page(api.tenant(slug), "", error, false, "", typed, null, null));
        }
        try {
            api.grantCredit(new GrantCreditRequest(slug, micros, typed.currency(), typed.reason(), expires));
        } catch (ApiProblem problem) {
            if (escapes(problem)) {
                throw problem;
            }
            FormError error = refused(problem);
            return error.page(page(api.tenant(slug), "", error, false, "", typed, null, null));
        }
        return creditDone(slug, "granted");
    }

    /** Voids what is left of a grant (what invoices drew stays on them); back to the page with a notice. */
    @POST
    @Path("{slug}/credits/{id}/void")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response voidGrant(@RestPath String slug, @RestPath String id) {
        user.requirePlatformAdmin();
        try {
            api.voidCredit(id);
        } catch (ApiProblem problem) {
            if (escapes(problem)) {
                throw problem;
            }
            FormError error = FormError.of(VOID_GRANT, problem);
            return error.page(page(api.tenant(slug), "", error, false, "", null, null, null));
        }
        return creditDone(slug, "grant-voided");
    }

    /**
     * An amount typed as a decimal of the currency ("2.50") as micro-units, exactly (2,500,000); null, with a message
     * for the input in {@code errors}, when it is empty, not a number, not above zero, has more than six decimals or
     * is more than platform-api grants.
     */
    static Long grantMicros(String typed, Map<String, String> errors) {
        if (typed == null || typed.isBlank()) {
            errors.put("amount", "enter the amount to give, e.g. 2.50");
            return null;
        }
        long micros;
        try {
            micros = MoneyInput.micros(typed, true);
        } catch (MoneyInput.Invalid invalid) {
            errors.put("amount", switch (invalid.fault()) {
                case NOT_A_NUMBER -> "not an amount: type one such as 2.50";
                case TOO_SMALL -> "must be more than 0";
                case TOO_PRECISE -> "at most 6 decimals (grants are kept in millionths of the currency)";
                case TOO_LARGE -> "at most 1,000,000,000";
            });
            return null;
        }
        if (micros > MAX_GRANT_MICROS) {
            errors.put("amount", "at most 1,000,000,000");
            return null;
        }
        return micros;
    }

    /**
     * The day typed in the date input as the start of that day in UTC (a grant lasts until then), null when empty;
     * null with a message in {@code errors} when it is not a date or not in the future.
     */
    static Instant expiry(String typed, Map<String, String> errors) {
        Instant at = DayInput.startOf(typed, "expires_at", "2027-01-31", errors);
        if (at != null && !at.isAfter(Instant.now())) {
            errors.put("expires_at", "must be a day after today (the credit expires at the start of it, UTC)");
            return null;
        }
        return at;
    }

    /** platform-api's message, with its field errors put beside the grant form's inputs. */
    private static FormError refused(ApiProblem problem) {
        // the tenant comes from the URL, not from an input: the message above the form says it
        return FormError.beside(GRANT, problem, Map.of("amount_micros", "amount", "currency", "currency", "reason",
                "reason", "expires_at", "expires_at"));
    }

    /** Back to the page, at the credit section (where the notice is), after a grant or a void. */
    private static Response creditDone(String slug, String done) {
        return Response.seeOther(UriBuilder.fromPath("/admin/tenants/{slug}").queryParam("done", done)
                .fragment("credit-section").build(slug)).build();
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
            if (escapes(problem)) {
                throw problem;
            }
            FormError error = FormError.of(form, problem);
            return error.page(page(api.tenant(slug), effectiveAt, error, false, "", null, null, note));
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
        return page(tenant, effectiveAt, error, closedNow, typed, null, null, null);
    }

    /**
     * The tenant's page.
     *
     * @param grant the grant form as typed after a refusal, null for an empty one
     * @param creditDone the notice of the credit section, else null
     * @param note the suspension note as typed after a refusal, else null (the suspend form's is then empty, the note
     *     form's the tenant's current note)
     */
    private TemplateInstance page(Tenant tenant, String effectiveAt, FormError error, boolean closedNow,
            String typed, GrantForm grant, String creditDone, String note) {
        String slug = tenant.slug();
        // independent calls at once: the page waits for the slowest, not their sum
        var plans = parallel.start(api::plans);
        var history = parallel.start(() -> api.planHistory(slug));
        var members = parallel.start(() -> api.members(slug));
        var grants = parallel.start(() -> grants(slug));
        MonthUsage usage = monthUsage(tenant); // its two reports run at once, beside the calls above
        List<Plan> all = plans.get();
        // an archived plan takes no new tenants: the choice offers the others only
        List<Plan> offered = all.stream().filter(plan -> !plan.archived()).toList();
        Grants read = grants.get();
        GrantForm form = grant != null ? grant : GrantForm.empty(planCurrency(tenant, all));
        return Templates.detail(tenant, offered, history.get(), members.get(), usage, effectiveAt, error,
                closedNow, typed, new Credit(read.grants(), read.error(), form, creditDone), note);
    }

    /** The tenant's grants, or why they could not be read. */
    private record Grants(List<CreditGrant> grants, String error) {
    }

    private Grants grants(String slug) {
        try {
            return new Grants(api.credits(slug), null);
        } catch (ApiProblem problem) {
            return new Grants(List.of(), problem.shownInstead());
        }
    }

    /** The currency of the plan the tenant is on (archived plans too: it may be on one), else the default. */
    private static String planCurrency(Tenant tenant, List<Plan> plans) {
        if (tenant.plan() == null) {
            return DEFAULT_CURRENCY;
        }
        return plans.stream().filter(p -> p.id().equals(tenant.plan().id()) && p.currency() != null).findFirst()
                .map(Plan::currency).orElse(DEFAULT_CURRENCY);
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
        // both reports at once: each sums the month so far, the slowest reads on this page
        var usageCall = parallel.start(() -> api.usage(tenant.slug(), start.toString(), null, "1d"));
        var costsCall = parallel.start(() -> api.costs(tenant.slug(), start.toString(), null, "1d"));
        try {
            UsageTotals usage = usageCall.get();
            CostTotals costs = costsCall.get();
            return new MonthUsage(start, since, usage.totals(), costs.totals(), null);
        } catch (ApiProblem problem) {
            return new MonthUsage(start, since, null, List.of(), problem.message());
        }
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
