package io.aiaas.console.tenant;

import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.TenantApi;
import io.aiaas.console.api.tenant.BillingParty;
import io.aiaas.console.api.tenant.BillingProfile;
import io.aiaas.console.api.tenant.BillingTimeZone;
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
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.text.Collator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * A tenant's billing details: who its invoices are addressed to (legal name, postal address, country, tax id,
 * e-mail). Every member reads them; tenant admins (and platform admins) set them, and invoices created from then on
 * carry them, while those already created keep what they carry. Below them, the billing time zone (the plan status's
 * {@code time_zone}), which the same admins change with a form of its own. A closed tenant's page shows both without
 * the forms. platform-api decides every rule (required fields, lengths, the ISO country, the zone id, when a zone may
 * change, who may change them); its refusals come back beside the form with what was typed.
 */
@Path("/t/{slug}/billing-profile")
@Produces(MediaType.TEXT_HTML)
public class BillingProfileResource {

    /** The form ({@code #save-billing-profile-error}). */
    static final String SAVE = "save-billing-profile";

    /**
     * The time zone form's error ({@code form#billing-time-zone-form}; its refusal in {@code #billing-time-zone-error},
     * beside the form, or above the page when the form is not shown).
     */
    static final String ZONE = "billing-time-zone";

    /** {@code done} after the profile was saved, and after the time zone was changed: the only notices shown. */
    static final String SAVED = "saved";
    static final String ZONE_SET = "time-zone";

    /** The form's inputs, named as platform-api names the fields, so that its violations go beside them. */
    static final Set<String> FIELDS = Set.of("legal_name", "address_line1", "address_line2", "city", "postal_code",
            "region", "country", "tax_id", "email");
    private static final Map<String, String> INPUTS = FIELDS.stream()
            .collect(Collectors.toMap(field -> field, field -> field));

    /** Every ISO 3166-1 alpha-2 country the JDK knows, by English name: the country select's options. */
    static final List<Country> COUNTRIES = Arrays.stream(Locale.getISOCountries())
            .map(code -> new Country(code, BillingParty.countryName(code)))
            .sorted(Comparator.comparing(Country::name, Collator.getInstance(Locale.ENGLISH)))
            .toList();

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance billingProfile(String slug, Page page);
    }

    /**
     * The page.
     *
     * @param profile the profile platform-api has (every field null when never set)
     * @param admin whether this person may change it (a tenant admin, or a platform admin)
     * @param closed whether the tenant is closed: nothing of it can change
     * @param form what the form holds: what was typed when it was refused, else the profile
     * @param saved whether the page follows a save
     * @param zone the billing time zone and its form
     */
    public record Page(BillingProfile profile, boolean admin, boolean closed, Form form, boolean saved,
            FormError error, Zone zone) {

        /** Whether the form shows: an admin, of a tenant that is not closed. */
        public boolean manage() {
            return admin && !closed;
        }

        /** The country select's options; a code the JDK does not know (as stored or typed) is kept as the first. */
        public List<Country> countries() {
            if (form.country().isEmpty() || COUNTRIES.stream().anyMatch(c -> c.code().equals(form.country()))) {
                return COUNTRIES;
            }
            List<Country> all = new ArrayList<>(COUNTRIES.size() + 1);
            all.add(new Country(form.country(), form.country()));
            all.addAll(COUNTRIES);
            return all;
        }
    }

    /**
     * The billing time zone.
     *
     * @param current the IANA zone the tenant's billing months run in (UTC when the plan status names none), null
     *     when it could not be read
     * @param unread why it could not be read, else null
     * @param input what the zone input holds: what was typed when it was refused, else the current zone
     * @param set whether the page follows a change of it
     */
    public record Zone(String current, String unread, String input, boolean set) {

        /** The zone as read, or why it could not be, the input holding it (or what was typed, when not null). */
        static Zone of(Zone read, String typed, boolean set) {
            return new Zone(read.current(), read.unread(), typed != null ? typed
                    : read.current() != null ? read.current() : "", set);
        }
    }

    /** One option of the country select: the ISO code sent, the English name shown. */
    public record Country(String code, String name) {
    }

    /** The form's fields, never null ("" for an empty one). */
    public record Form(String legalName, String addressLine1, String addressLine2, String city, String postalCode,
            String region, String country, String taxId, String email) {

        /** The form filled with the profile as platform-api has it. */
        static Form of(BillingProfile p) {
            return new Form(text(p.legalName()), text(p.addressLine1()), text(p.addressLine2()), text(p.city()),
                    text(p.postalCode()), text(p.region()), text(p.country()), text(p.taxId()), text(p.email()));
        }

        /** What was posted, trimmed; the country upper-cased, as ISO codes are written. */
        static Form typed(String legalName, String addressLine1, String addressLine2, String city,
                String postalCode, String region, String country, String taxId, String email) {
            return new Form(text(legalName), text(addressLine1), text(addressLine2), text(city), text(postalCode),
                    text(region), text(country).toUpperCase(Locale.ROOT), text(taxId), text(email));
        }

        /**
         * The body of the PUT: the required fields as typed (an empty one is platform-api's to refuse, beside its
         * input), an empty optional one left out, which clears it.
         */
        BillingParty request() {
            return new BillingParty(legalName, addressLine1, optional(addressLine2), city, optional(postalCode),
                    optional(region), country, optional(taxId), optional(email));
        }

        private static String text(String value) {
            return value == null ? "" : value.trim();
        }

        private static String optional(String value) {
            return value.isEmpty() ? null : value;
        }
    }

    private final CurrentUser user;
    private final TenantApi api;
    private final Parallel parallel;

    BillingProfileResource(CurrentUser user, @RestClient TenantApi api, Parallel parallel) {
        this.user = user;
        this.api = api;
        this.parallel = parallel;
    }

    @GET
    public TemplateInstance page(@RestPath String slug, @RestQuery String done) {
        user.requireTenant(slug);
        return page(slug, null, null, done, FormError.NONE);
    }

    /** Replaces the profile with what the form holds; back to the page with a notice. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(@RestPath String slug, @RestForm("legal_name") String legalName,
            @RestForm("address_line1") String addressLine1, @RestForm("address_line2") String addressLine2,
            @RestForm String city, @RestForm("postal_code") String postalCode, @RestForm String region,
            @RestForm String country, @RestForm("tax_id") String taxId, @RestForm String email) {
        user.requireTenant(slug);
        Form typed = Form.typed(legalName, addressLine1, addressLine2, city, postalCode, region, country, taxId,
                email);
        try {
            api.setBillingProfile(slug, typed.request());
        } catch (ApiProblem problem) {
            if (!FormError.inline(problem)) {
                throw problem;
            }
            FormError error = refused(problem);
            return error.page(page(slug, typed, null, null, error));
        }
        return done(slug, SAVED);
    }

    /**
     * Sets the billing time zone to the IANA id typed (trimmed; platform-api refuses a blank one, one that is no zone,
     * and one still in a month that has ended in UTC); back to the page with a notice, or the refusal beside the form
     * with what was typed.
     */
    @POST
    @Path("time-zone")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response setTimeZone(@RestPath String slug, @RestForm("time_zone") String timeZone) {
        user.requireTenant(slug);
        String typed = timeZone == null ? "" : timeZone.trim();
        try {
            api.setTimeZone(slug, new BillingTimeZone(typed));
        } catch (ApiProblem problem) {
            if (!FormError.inline(problem)) {
                throw problem;
            }
            FormError error = zoneRefused(problem);
            return error.page(page(slug, null, typed, null, error));
        }
        return done(slug, ZONE_SET);
    }

    private static Response done(String slug, String done) {
        return Response.seeOther(UriBuilder.fromPath("/t/{slug}/billing-profile").queryParam("done", done)
                .build(slug)).build();
    }

    /**
     * The page with the profile and the time zone platform-api has now.
     *
     * @param typed what the profile form should hold, null for the profile
     * @param typedZone what the time zone input should hold, null for the current zone
     * @param done what the page follows ({@link #SAVED}, {@link #ZONE_SET}); anything else shows no notice
     */
    private TemplateInstance page(String slug, Form typed, String typedZone, String done, FormError error) {
        // both reads at once: the page waits for the slower, not their sum
        var zoneCall = parallel.start(() -> zone(slug));
        BillingProfile profile = api.billingProfile(slug);
        Zone zone = Zone.of(zoneCall.get(), typedZone, ZONE_SET.equals(done));
        return Templates.billingProfile(slug, new Page(profile, user.adminOf(slug), user.closed(slug),
                typed != null ? typed : Form.of(profile), SAVED.equals(done), error, zone));
    }

    /**
     * The tenant's billing time zone, from its plan status (any member reads it); when it cannot be read, why, so that
     * the billing details still show (an expired session still signs in again).
     */
    private Zone zone(String slug) {
        try {
            String current = api.plan(slug).timeZone();
            return new Zone(current == null || current.isBlank() ? "UTC" : current, null, null, false);
        } catch (ApiProblem problem) {
            return new Zone(null, problem.shownInstead(), null, false);
        }
    }

    /**
     * platform-api's refusal of a time zone, its detail as the form's error; an id that is no zone (or a blank one)
     * also marks the input.
     */
    static FormError zoneRefused(ApiProblem problem) {
        FormError base = FormError.of(ZONE, problem);
        boolean theValue = "invalid_time_zone".equals(problem.code()) || "validation_failed".equals(problem.code());
        return theValue ? new FormError(ZONE, base.message(), Map.of("time_zone", base.message()), base.status())
                : new FormError(ZONE, base.message(), Map.of(), base.status());
    }

    /**
     * platform-api's refusal, its violations beside the inputs they name (the last segment of the field's path:
     * {@code put.body.country} is {@code country}); when every one of them has its input, the message above the form
     * only points to them rather than repeating them.
     */
    static FormError refused(ApiProblem problem) {
        FormError base = FormError.beside(SAVE, problem, INPUTS);
        boolean allBeside = !base.fields().isEmpty() && problem.fieldErrors().keySet().stream()
                .allMatch(field -> FIELDS.contains(FormError.lastSegment(field)));
        return new FormError(SAVE, allBeside ? "Check the fields marked below." : base.message(), base.fields(),
                base.status());
    }
}
