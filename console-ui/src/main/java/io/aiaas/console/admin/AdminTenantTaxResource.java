package io.aiaas.console.admin;

import io.aiaas.console.api.AdminApi;
import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.admin.TaxTreatment;
import io.aiaas.console.web.CurrentUser;
import io.aiaas.console.web.FormError;
import io.aiaas.console.web.Parallel;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The tax section of a tenant's admin page: how its invoices are taxed (standard, exempt or reverse charge, with a
 * note). The page itself is {@link AdminTenantsResource}'s; a refusal re-renders it (through {@link TenantDetailPage})
 * with the problem beside the tax form. The rates are {@link AdminTaxRatesResource}'s page. Platform admins only;
 * platform-api enforces it too.
 */
@Path("/admin/tenants")
@Produces(MediaType.TEXT_HTML)
public class AdminTenantTaxResource {

    /** The tax form ({@code #edit-tax}, its error in {@code #edit-tax-error}). */
    static final String EDIT = "edit-tax";
    /** The treatments platform-api takes, in the select's order. */
    static final List<String> TREATMENTS = List.of(TaxTreatment.STANDARD, TaxTreatment.EXEMPT,
            TaxTreatment.REVERSE_CHARGE);
    /** The longest note platform-api takes. */
    static final int MAX_NOTE = 500;
    /** What a redirected tax action did, in words; only these keys are accepted from the URL. */
    static final Map<String, String> TAX_DONE = Map.of("tax-saved",
            "Tax treatment saved. Invoices already finalized keep the tax they were issued with.");
    /** Inputs of the form by the field names platform-api gives its violations, for {@code FormError.beside}. */
    private static final Map<String, String> INPUTS = Map.of("treatment", "treatment", "note", "note");

    /**
     * The tax section: the tenant's treatment, or why it could not be read (the page shows the rest anyway, and the
     * form offers no choice made), what the form holds (as typed after a refusal, else the treatment) and what the last
     * tax action did.
     *
     * @param current the treatment platform-api gave, null when it could not be read
     * @param done the notice after a save, else null
     */
    public record Tax(TaxTreatment current, String error, TaxTreatment form, String done) {

        static Tax read(TaxTreatment current, String error, TaxTreatment typed, String done) {
            TaxTreatment form = typed != null ? typed
                    : current != null ? current : new TaxTreatment(null, null);
            return new Tax(current, error, form, done);
        }
    }

    private final CurrentUser user;
    private final AdminApi api;
    private final TenantDetailPage detail;

    AdminTenantTaxResource(CurrentUser user, @RestClient AdminApi api, Parallel parallel) {
        this.user = user;
        this.api = api;
        this.detail = new TenantDetailPage(api, parallel);
    }

    /**
     * Replaces the tenant's tax treatment with the one chosen and the note (trimmed, line breaks as platform-api counts
     * them; empty sends none). Back to the page with a notice; a refusal is shown beside the form with what was typed.
     */
    @POST
    @Path("{slug}/tax")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(@RestPath String slug, @RestForm String treatment, @RestForm String note) {
        user.requirePlatformAdmin();
        String chosen = treatment == null ? "" : treatment.trim();
        String typedNote = AdminTenantsResource.note(note);
        TaxTreatment typed = new TaxTreatment(chosen, typedNote);
        Map<String, String> errors = new LinkedHashMap<>();
        if (!TREATMENTS.contains(chosen)) {
            errors.put("treatment", "choose standard, exempt or reverse charge");
        }
        if (typedNote.length() > MAX_NOTE) {
            errors.put("note", "at most " + MAX_NOTE + " characters (this one has " + typedNote.length() + ")");
        }
        if (!errors.isEmpty()) {
            FormError error = FormError.invalid(EDIT, "Check the fields marked below.", errors);
            return error.page(detail.render(api.tenant(slug), error, typed, null));
        }
        try {
            api.replaceTaxTreatment(slug, new TaxTreatment(chosen, typedNote.isEmpty() ? null : typedNote));
        } catch (ApiProblem problem) {
            if (TenantDetailPage.escapes(problem)) {
                throw problem;
            }
            FormError error = FormError.beside(EDIT, problem, INPUTS);
            return error.page(detail.render(api.tenant(slug), error, typed, null));
        }
        return Response.seeOther(UriBuilder.fromPath("/admin/tenants/{slug}").queryParam("done", "tax-saved")
                .fragment("tax-section").build(slug)).build();
    }
}
