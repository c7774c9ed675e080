package io.aiaas.console.admin;

import io.aiaas.console.api.AdminApi;
import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.admin.GrantCreditRequest;
import io.aiaas.console.api.admin.Plan;
import io.aiaas.console.api.admin.Tenant;
import io.aiaas.console.api.tenant.CreditGrant;
import io.aiaas.console.web.CurrentUser;
import io.aiaas.console.web.DayInput;
import io.aiaas.console.web.FormError;
import io.aiaas.console.web.MoneyInput;
import io.aiaas.console.web.Parallel;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The credit grants of a tenant's admin page: give credit, void what is left of a grant. The page itself, with its
 * other forms, is {@link AdminTenantsResource}; a refusal re-renders it (through {@link TenantDetailPage}) with the
 * problem beside the grant form. Platform admins only; platform-api enforces it too.
 */
@Path("/admin/tenants")
@Produces(MediaType.TEXT_HTML)
public class AdminTenantCreditResource {

    /** The grant form ({@code #grant-credit}, its error in {@code #grant-credit-error}). */
    static final String GRANT = "grant-credit";
    /** A void button's form is {@code void-grant-<id>}; a refusal of any of them shows in {@code #void-grant-error}. */
    static final String VOID_GRANT = "void-grant";
    /** What a redirected credit action did, in words; only these keys are accepted from the URL. */
    static final Map<String, String> CREDIT_DONE = Map.of(
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
    private final TenantDetailPage detail;

    AdminTenantCreditResource(CurrentUser user, @RestClient AdminApi api, Parallel parallel) {
        this.user = user;
        this.api = api;
        this.detail = new TenantDetailPage(api, parallel);
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
            return error.page(detail.render(api.tenant(slug), "", error, false, "", typed, null, null));
        }
        try {
            api.grantCredit(new GrantCreditRequest(slug, micros, typed.currency(), typed.reason(), expires));
        } catch (ApiProblem problem) {
            if (TenantDetailPage.escapes(problem)) {
                throw problem;
            }
            FormError error = refused(problem);
            return error.page(detail.render(api.tenant(slug), "", error, false, "", typed, null, null));
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
            if (TenantDetailPage.escapes(problem)) {
                throw problem;
            }
            FormError error = FormError.of(VOID_GRANT, problem);
            return error.page(detail.render(api.tenant(slug), "", error, false, "", null, null, null));
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

    /** The currency of the plan the tenant is on (archived plans too: it may be on one), else the default. */
    static String planCurrency(Tenant tenant, List<Plan> plans) {
        String currency = TenantDetailPage.currency(tenant, plans);
        return currency == null ? DEFAULT_CURRENCY : currency;
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

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
