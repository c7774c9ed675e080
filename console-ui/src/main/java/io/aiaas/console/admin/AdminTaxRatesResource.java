package io.aiaas.console.admin;

import io.aiaas.console.api.AdminApi;
import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.admin.NewTaxRate;
import io.aiaas.console.api.admin.TaxRate;
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
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Admin page of the sales tax and VAT rates invoices apply: every rate by country and region, its percent and the day
 * it takes effect, scheduled ones marked (and deletable until then: a scheduled change cancelled; once in effect a rate
 * stays, as history, and a change is a new rate), and a form that adds one. Which rate a tenant's invoice gets is its
 * billing country's (and region's), unless its tax treatment, on its admin page ({@link AdminTenantTaxResource}), says
 * otherwise. Platform admins only; platform-api enforces it too.
 */
@Path("/admin/tax-rates")
@Produces(MediaType.TEXT_HTML)
public class AdminTaxRatesResource {

    /** The add form ({@code #new-tax-rate}, its error in {@code #new-tax-rate-error}). */
    static final String CREATE = "new-tax-rate";
    /**
     * A scheduled rate's delete form is {@code delete-tax-rate-<id>}; a refusal shows in {@code #delete-tax-rate-error}.
     */
    static final String DELETE = "delete-tax-rate";
    /** What a redirected action did, in words; only these keys are accepted from the URL. */
    static final Map<String, String> DONE = Map.of(
            "created", "Tax rate added. A rate that takes effect in the future can be deleted until that day.",
            "deleted", "Scheduled tax rate deleted: the change is cancelled and the rate in effect stays.");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(TaxRatesPage page);
    }

    private final CurrentUser user;
    private final AdminApi api;

    AdminTaxRatesResource(CurrentUser user, @RestClient AdminApi api) {
        this.user = user;
        this.api = api;
    }

    @GET
    public TemplateInstance list(@RestQuery String done) {
        user.requirePlatformAdmin();
        return page(TaxRateForm.EMPTY, FormError.NONE, done == null ? null : DONE.get(done));
    }

    /**
     * Adds a rate: the country upper-cased, the rate as typed (trimmed), the region and the day only when given. Back
     * to the page with a notice; a refusal comes back beside the form with what was typed.
     */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String country, @RestForm String region, @RestForm String name,
            @RestForm String rate, @RestForm("effective_from") String effectiveFrom) {
        user.requirePlatformAdmin();
        TaxRateForm typed = TaxRateForm.typed(country, region, name, rate, effectiveFrom);
        Map<String, String> errors = new LinkedHashMap<>();
        NewTaxRate request = typed.request(errors);
        if (request == null) {
            FormError error = FormError.invalid(CREATE, "Check the fields marked below.", errors);
            return error.page(page(typed, error, null));
        }
        try {
            api.createTaxRate(request);
        } catch (ApiProblem problem) {
            if (escapes(problem)) {
                throw problem;
            }
            FormError error = refused(problem);
            return error.page(page(typed, error, null));
        }
        return done("created");
    }

    /**
     * Deletes a rate that has not taken effect yet. One that has (409 {@code tax_rate_in_effect}: history stays) or is
     * gone (404 {@code tax_rate_not_found}) comes back above the table with platform-api's words.
     */
    @POST
    @Path("{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@RestPath UUID id) {
        user.requirePlatformAdmin();
        try {
            api.deleteTaxRate(id);
        } catch (ApiProblem problem) {
            if (escapes(problem)) {
                throw problem;
            }
            FormError error = FormError.of(DELETE + "-" + id, problem);
            return error.page(page(TaxRateForm.EMPTY, error, null));
        }
        return done("deleted");
    }

    /**
     * platform-api's message, with its violations beside the inputs; a rate that is not a percent it takes
     * ({@code invalid_tax_rate}) and a second rate for the same place and day ({@code tax_rate_exists}) marked beside
     * the rate and the day with its detail.
     */
    static FormError refused(ApiProblem problem) {
        FormError error = FormError.beside(CREATE, problem, TaxRateForm.INPUTS);
        String input = switch (problem.code() == null ? "" : problem.code()) {
            case "invalid_tax_rate" -> "rate";
            case "tax_rate_exists" -> "effective_from";
            default -> null;
        };
        if (input == null || error.field(input) != null) {
            return error;
        }
        Map<String, String> fields = new LinkedHashMap<>(error.fields());
        fields.put(input, problem.message());
        return new FormError(error.form(), error.message(), fields, error.status());
    }

    /** An expired session and a failing platform-api go to the error pages; the rest belongs beside the form. */
    private static boolean escapes(ApiProblem problem) {
        return problem.status() == 401 || problem.status() >= 500;
    }

    /** Back to the page, at the table (where the notice is), after an add or a delete. */
    private static Response done(String done) {
        return Response.seeOther(UriBuilder.fromPath("/admin/tax-rates").queryParam("done", done)
                .fragment("tax-rates-section").build()).build();
    }

    /** The page: the rates, or why they could not be read (the form shows anyway). */
    private TemplateInstance page(TaxRateForm form, FormError error, String done) {
        List<TaxRate> rates = List.of();
        String ratesError = null;
        try {
            rates = api.taxRates().rates();
        } catch (ApiProblem problem) {
            ratesError = problem.shownInstead();
        }
        return Templates.list(new TaxRatesPage(rates, ratesError, LocalDate.now(ZoneOffset.UTC), form, error, done));
    }
}
