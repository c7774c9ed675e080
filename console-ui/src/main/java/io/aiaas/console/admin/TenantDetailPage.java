package io.aiaas.console.admin;

import io.aiaas.console.admin.AdminTenantCreditResource.Credit;
import io.aiaas.console.admin.AdminTenantCreditResource.GrantForm;
import io.aiaas.console.admin.AdminTenantsResource.MonthUsage;
import io.aiaas.console.admin.AdminTenantsResource.Templates;
import io.aiaas.console.api.AdminApi;
import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.admin.CostTotals;
import io.aiaas.console.api.admin.Plan;
import io.aiaas.console.api.admin.TaxTreatment;
import io.aiaas.console.api.admin.Tenant;
import io.aiaas.console.api.admin.UsageTotals;
import io.aiaas.console.api.tenant.CreditGrant;
import io.aiaas.console.web.FormError;
import io.aiaas.console.web.Parallel;
import io.quarkus.qute.TemplateInstance;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Assembles the admin page of one tenant ({@code templates/AdminTenantsResource/detail.html}, rendered through
 * {@link AdminTenantsResource.Templates}) for the resources whose forms are on it: {@link AdminTenantsResource}
 * (status, suspension note, plan, time zone, close), {@link AdminTenantCreditResource} (credit grants) and
 * {@link AdminTenantTaxResource} (tax treatment). It reads
 * the page's independent calls at once, so the page waits for the slowest, not their sum.
 */
final class TenantDetailPage {

    private final AdminApi api;
    private final Parallel parallel;

    TenantDetailPage(AdminApi api, Parallel parallel) {
        this.api = api;
        this.parallel = parallel;
    }

    /** An unknown tenant and a failing platform-api go to the error pages; the rest belongs beside the form. */
    static boolean escapes(ApiProblem problem) {
        return problem.status() == 404 || problem.status() >= 500;
    }

    TemplateInstance render(Tenant tenant, String effectiveAt, FormError error, boolean closedNow, String typed) {
        return render(tenant, effectiveAt, error, closedNow, typed, null, null, null);
    }

    /**
     * The tenant's page.
     *
     * @param grant the grant form as typed after a refusal, null for an empty one
     * @param creditDone the notice of the credit section, else null
     * @param note the suspension note as typed after a refusal, else null (the suspend form's is then empty, the note
     *     form's the tenant's current note)
     */
    TemplateInstance render(Tenant tenant, String effectiveAt, FormError error, boolean closedNow, String typed,
            GrantForm grant, String creditDone, String note) {
        return render(tenant, effectiveAt, error, closedNow, typed, grant, creditDone, note, null, null);
    }

    /**
     * The tenant's page after a refusal of its tax form, or after a save.
     *
     * @param tax the tax form as typed after a refusal, else null (the form shows the tenant's treatment)
     * @param taxDone the notice of the tax section, else null
     */
    TemplateInstance render(Tenant tenant, FormError error, TaxTreatment tax, String taxDone) {
        return render(tenant, "", error, false, "", null, null, null, tax, taxDone);
    }

    /** The tenant's page with every section's state; see the two methods above for the parameters. */
    TemplateInstance render(Tenant tenant, String effectiveAt, FormError error, boolean closedNow, String typed,
            GrantForm grant, String creditDone, String note, TaxTreatment tax, String taxDone) {
        String slug = tenant.slug();
        // independent calls at once: the page waits for the slowest, not their sum
        var plans = parallel.start(api::plans);
        var history = parallel.start(() -> api.planHistory(slug));
        var members = parallel.start(() -> api.members(slug));
        var grants = parallel.start(() -> grants(slug));
        var treatment = parallel.start(() -> treatment(slug));
        MonthUsage usage = monthUsage(tenant); // its two reports run at once, beside the calls above
        List<Plan> all = plans.get();
        // an archived plan takes no new tenants: the choice offers the others only
        List<Plan> offered = all.stream().filter(plan -> !plan.archived()).toList();
        Grants read = grants.get();
        GrantForm form = grant != null ? grant : GrantForm.empty(AdminTenantCreditResource.planCurrency(tenant, all));
        Treatment taxRead = treatment.get();
        return Templates.detail(tenant, offered, history.get(), members.get(), usage, effectiveAt, error,
                closedNow, typed, new Credit(read.grants(), read.error(), form, creditDone), note,
                AdminTenantTaxResource.Tax.read(taxRead.treatment(), taxRead.error(), tax, taxDone),
                currency(tenant, all));
    }

    /**
     * The currency of the plan the tenant is on (archived plans too: it may be on one), in which its own spending limit
     * is kept; null without a plan, or when the plan is not listed.
     */
    static String currency(Tenant tenant, List<Plan> plans) {
        return tenant.plan() == null ? null
                : plans.stream().filter(p -> p.id().equals(tenant.plan().id()) && p.currency() != null).findFirst()
                        .map(Plan::currency).orElse(null);
    }

    /** The tenant's tax treatment, or why it could not be read. */
    private record Treatment(TaxTreatment treatment, String error) {
    }

    private Treatment treatment(String slug) {
        try {
            return new Treatment(api.taxTreatment(slug), null);
        } catch (ApiProblem problem) {
            return new Treatment(null, problem.shownInstead());
        }
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
}
