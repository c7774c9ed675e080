package io.aiaas.console.tenant;

import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.TenantApi;
import io.aiaas.console.api.tenant.CloseConfirmation;
import io.aiaas.console.api.tenant.Invoice;
import io.aiaas.console.api.tenant.PlanStatus;
import io.aiaas.console.api.tenant.UsageReport;
import io.aiaas.console.web.BarChart;
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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * A tenant's overview: this billing period's requests and spend against the budget (and against the tenant's own
 * spending limit, when its admins set one), rate limits and quotas, and requests and spend per day as charts, and what
 * the tenant still owes on its invoices. Three calls to platform-api: the plan status (period, budget, spending limit,
 * quotas: counters), the period's daily usage report (roll-ups), whose buckets carry both the requests and their cost
 * in the plan's currency, and, at the same time as those two, the unpaid invoices and those on which a refund is due (a
 * secondary read: when it fails, the page says so in a line and shows the rest). At the bottom, for the tenant's
 * admins (and platform admins), closing the tenant for good: the slug typed again, then platform-api decides (and
 * refuses a mismatch, a member, or a tenant already closed).
 */
@Path("/t/{slug}")
@Produces(MediaType.TEXT_HTML)
public class OverviewResource {

    /** The close form ({@code #close-tenant-form}, its error in {@code #close-tenant-form-error}). */
    static final String CLOSE = "close-tenant-form";

    /** {@code done} of the overview after the tenant was closed. */
    static final String CLOSED = "closed";

    /** The invoices' payment filter for those still to be paid: open, partially paid or overdue. */
    static final String UNPAID = "unpaid";

    /** The invoices' payment filter for those on which the platform owes the tenant money back. */
    static final String REFUND_DUE = "refund_due";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance overview(String slug, Overview page);
    }

    /**
     * The page.
     *
     * @param usage the period's report by UTC day (all calls: billable, errors, refused)
     * @param currency the plan's currency, null without a plan
     * @param owed what is still due on the tenant's invoices (the card shows only when something is)
     * @param mayClose whether the close form shows: an admin of the tenant, and the tenant not closed yet
     * @param closedNow whether the page follows the tenant's closing (the notice)
     * @param error why the close form was refused, else {@link FormError#NONE}
     * @param typed what the close form's input held when it was refused, else ""
     */
    public record Overview(PlanStatus plan, UsageReport usage, String currency, AmountOwed owed, BarChart requests,
            BarChart spend, boolean mayClose, boolean closedNow, FormError error, String typed) {

        public boolean budgeted() {
            return plan.budget() != null;
        }

        /** The meter's value: what was used, never past the limit (the text says how far past it is). */
        public long budgetValue() {
            return plan.budget().meterValue();
        }

        /** Where the meter turns amber: 80% of the budget, as the platform's warning event. */
        public long budgetHigh() {
            return plan.budget().meterHigh();
        }

        /** Whether the tenant's admins set a spending limit of its own (a second meter). */
        public boolean limited() {
            return plan.spendingLimit() != null;
        }
    }

    private final CurrentUser user;
    private final TenantApi api;
    private final Formats fmt;
    private final Parallel parallel;

    OverviewResource(CurrentUser user, @RestClient TenantApi api, Formats fmt, Parallel parallel) {
        this.user = user;
        this.api = api;
        this.fmt = fmt;
        this.parallel = parallel;
    }

    @GET
    public TemplateInstance overview(@RestPath String slug, @RestQuery String done) {
        user.requireTenant(slug);
        return page(slug, CLOSED.equals(done), FormError.NONE, "");
    }

    /**
     * Closes the tenant when {@code confirm} is its slug (platform-api checks it; an empty one is refused here), then
     * back to the overview with a notice; a refusal is shown beside the form with what was typed.
     */
    @POST
    @Path("close")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response close(@RestPath String slug, @RestForm String confirm) {
        user.requireTenant(slug);
        String typed = confirm == null ? "" : confirm.trim();
        if (typed.isEmpty()) {
            FormError error = FormError.of(CLOSE, "Type the slug of the tenant, " + slug + ", to close it.");
            return error.page(page(slug, false, error, typed));
        }
        try {
            api.close(slug, new CloseConfirmation(typed));
        } catch (ApiProblem problem) {
            if (!FormError.inline(problem)) {
                throw problem;
            }
            FormError error = FormError.of(CLOSE, problem);
            return error.page(page(slug, false, error, typed));
        }
        return Response.seeOther(UriBuilder.fromPath("/t/{slug}").queryParam("done", CLOSED).build(slug)).build();
    }

    private TemplateInstance page(String slug, boolean closedNow, FormError error, String typed) {
        // the usage report needs the plan's period; the invoices need nothing, so they are asked meanwhile
        var unpaid = parallel.start(() -> api.invoices(slug, UNPAID));
        var refundDue = parallel.start(() -> api.invoices(slug, REFUND_DUE));
        PlanStatus plan = api.plan(slug);
        Instant start = Days.instant(plan.period().start());
        Instant end = Days.instant(plan.period().end());
        UsageReport usage = api.usage(slug, start.toString(), end.toString(), "1d", null, null, null);
        String currency = plan.plan() != null ? plan.plan().currency()
                : plan.usage() != null ? plan.usage().currency() : null;
        List<LocalDate> days = Days.between(start, end);
        Map<LocalDate, UsageReport.Bucket> byDay = new HashMap<>();
        for (UsageReport.Bucket bucket : usage.buckets()) {
            byDay.merge(Days.of(bucket.start()), bucket, OverviewResource::sum);
        }
        List<BarChart.Point> requests = new ArrayList<>();
        List<BarChart.Point> spend = new ArrayList<>();
        long maxRequests = 0;
        long maxCost = 0;
        LocalDate busiest = null;
        for (LocalDate day : days) {
            UsageReport.Bucket b = byDay.get(day);
            long n = b == null ? 0 : b.requests();
            long cost = b == null ? 0 : b.costNanos();
            requests.add(new BarChart.Point(day.toString(), String.valueOf(day.getDayOfMonth()), n, fmt.num(n)));
            spend.add(new BarChart.Point(day.toString(), String.valueOf(day.getDayOfMonth()), cost,
                    fmt.nanos(cost, currency)));
            if (n > maxRequests) {
                maxRequests = n;
                busiest = day;
            }
            maxCost = Math.max(maxCost, cost);
        }
        long totalRequests = usage.totals() == null ? 0 : usage.totals().requests();
        long totalCost = usage.totals() == null ? 0 : usage.totals().costNanos();
        String requestSummary = fmt.num(totalRequests) + " requests in " + plan.period().name()
                + (busiest == null ? "" : ", most on " + busiest + " (" + fmt.num(maxRequests) + ")");
        String spendSummary = fmt.nanos(totalCost, currency) + " spent in " + plan.period().name();
        BarChart requestChart = BarChart.of("chart-requests", "Requests per day", requestSummary, "Day (UTC)",
                "Requests", requests, fmt.num(maxRequests));
        BarChart spendChart = BarChart.of("chart-spend", "Spend per day", spendSummary, "Day (UTC)", "Spend", spend,
                fmt.nanos(maxCost, currency));
        boolean mayClose = user.adminOf(slug) && !user.closed(slug);
        return Templates.overview(slug, new Overview(plan, usage, currency, owed(unpaid, refundDue), requestChart,
                spendChart, mayClose, closedNow, error, typed));
    }

    /** What the tenant owes and is owed back, from the two lists asked at once; either refused: why, instead. */
    private static AmountOwed owed(Parallel.Call<List<Invoice>> unpaid, Parallel.Call<List<Invoice>> refundDue) {
        try {
            return AmountOwed.of(unpaid.get(), refundDue.get());
        } catch (ApiProblem problem) {
            return AmountOwed.unread(problem.shownInstead());
        }
    }

    private static UsageReport.Bucket sum(UsageReport.Bucket a, UsageReport.Bucket b) {
        return new UsageReport.Bucket(a.start(), a.end(), null, a.requests() + b.requests(),
                a.billableRequests() + b.billableRequests(), a.errors() + b.errors(), a.refused() + b.refused(),
                a.items() + b.items(), a.computeMs() + b.computeMs(), a.bytesIn() + b.bytesIn(),
                a.bytesOut() + b.bytesOut(), a.costNanos() + b.costNanos());
    }
}
