package io.aiaas.console.tenant;

import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.TenantApi;
import io.aiaas.console.api.tenant.PlanChoice;
import io.aiaas.console.api.tenant.PlanSelection;
import io.aiaas.console.api.tenant.PlanStatus;
import io.aiaas.console.api.tenant.TenantBudget;
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
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * A tenant's plan: the plan in effect and its billing period, the next scheduled change, and the self-service plans
 * the tenant may move to. Tenant admins (and platform admins) choose one from the start of the next billing period,
 * or upgrade at once to a plan of the same currency whose fee is not lower (platform-api's rules: the period is billed
 * at the highest fee it had); choosing the current plan again cancels a pending change. Members see the same page
 * without the forms; a closed tenant's page shows the plan status only (nothing can be chosen). Below the plan, the
 * tenant's own spending limit (what all its keys together may spend in a billing period) and what is spent of it; its
 * admins set it as a decimal amount of the plan's currency, or remove it.
 */
@Path("/t/{slug}/plan")
@Produces(MediaType.TEXT_HTML)
public class PlanResource {

    /** The choice forms' error goes in {@code #plan-choice-error}. */
    static final String CHOICE = "plan-choice";

    /** {@code effective} of an upgrade at once, and {@code changed} of the page after one. */
    static final String NOW = "now";

    /** The spending limit's forms: their error goes in {@code #spending-limit-error}. */
    static final String SPENDING_LIMIT = "spending-limit";

    /** {@code done} of the page after the spending limit was set, and after it was removed. */
    static final String LIMIT_SET = "budget";
    static final String LIMIT_REMOVED = "budget-removed";

    /** The spending limit as typed: the remove button, not an empty amount, takes it away. */
    static final BudgetInput LIMIT = new BudgetInput("The spending limit", "use Remove limit to have none");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance plan(String slug, Page page);
    }

    /**
     * The page.
     *
     * @param admin whether the choice forms show: an admin of the tenant, and the tenant not closed
     * @param closed whether the tenant is closed: its plan ended, nothing is offered
     * @param switchDate the first day of the next billing period in words, when a chosen plan takes effect
     * @param nextDate when the scheduled change takes effect, in words (null without one)
     * @param stayOutside whether the cancel button sits beside the scheduled change: a change is pending while the
     *     current plan is not among the choices, so no row of the table offers to stay on it
     * @param changed whether the page follows a saved choice
     * @param upgraded whether that choice was an upgrade at once
     * @param currency the plan's currency, null without a plan (then nothing is priced)
     * @param limitDone what the spending limit's forms just did ({@link #LIMIT_SET}, {@link #LIMIT_REMOVED}), else null
     * @param typed what the spending limit's amount held when it was refused, else null
     */
    public record Page(PlanStatus status, List<Row> choices, boolean admin, boolean closed, String switchDate,
            String nextDate, boolean stayOutside, boolean changed, boolean upgraded, FormError error, String currency,
            String limitDone, String typed) {

        /** Whether the tenant has a spending limit of its own. */
        public boolean limited() {
            return status.spendingLimit() != null;
        }

        /** The amount input's value: what was typed when refused, else the limit now as a plain decimal ("25"). */
        public String limitInput() {
            if (typed != null) {
                return typed;
            }
            return limited() ? BigDecimal.valueOf(status.spendingLimit().limitMicros(), 6).stripTrailingZeros()
                    .toPlainString() : "";
        }
    }

    /**
     * One plan of the table.
     *
     * @param current the tenant is on it now
     * @param pending the scheduled change moves the tenant to it
     * @param offered an admin gets a button on this row: switch to it, or (the current plan, while another is
     *     pending) stay on it
     * @param upgrade an admin may move the tenant to it at once: not the current plan, the same currency and a fee
     *     not lower (any plan for a tenant without one)
     * @param requestPrice the default price per 1,000 requests in words
     */
    public record Row(PlanChoice plan, boolean current, boolean pending, boolean offered, boolean upgrade,
            String requestPrice) {
    }

    private final CurrentUser user;
    private final TenantApi api;
    private final Formats fmt;
    private final Parallel parallel;

    PlanResource(CurrentUser user, @RestClient TenantApi api, Formats fmt, Parallel parallel) {
        this.user = user;
        this.api = api;
        this.fmt = fmt;
        this.parallel = parallel;
    }

    /**
     * The page, with the notice of what a redirect says was done: a plan chosen ({@code changed}), the spending limit
     * set or removed ({@code done}); an unknown value shows none.
     */
    @GET
    public TemplateInstance page(@RestPath String slug, @RestQuery String changed, @RestQuery String done) {
        user.requireTenant(slug);
        String limitDone = LIMIT_SET.equals(done) || LIMIT_REMOVED.equals(done) ? done : null;
        return page(slug, "1".equals(changed) || NOW.equals(changed), NOW.equals(changed), FormError.NONE, limitDone,
                null);
    }

    /**
     * Chooses the plan the tenant moves to at the start of its next billing period, or at once with {@code effective}
     * {@code now} (the current plan: cancels a pending change); platform-api refuses a plan that is not offered, a
     * tenant whose change an admin scheduled, and a move at once that is not an upgrade.
     */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response choose(@RestPath String slug, @RestForm("plan_id") String planId,
            @RestForm("effective") String effective) {
        user.requireTenant(slug);
        UUID plan;
        try {
            plan = UUID.fromString(planId == null ? "" : planId.trim());
        } catch (IllegalArgumentException notAPlan) {
            FormError error = FormError.of(CHOICE, "Choose one of the plans below.");
            return error.page(page(slug, false, false, error, null, null));
        }
        boolean now = NOW.equals(effective);
        try {
            api.choosePlan(slug, now ? PlanSelection.now(plan) : PlanSelection.nextPeriod(plan));
        } catch (ApiProblem problem) {
            if (!FormError.inline(problem)) {
                throw problem;
            }
            FormError error = FormError.of(CHOICE, problem);
            return error.page(page(slug, false, false, error, null, null));
        }
        return Response.seeOther(UriBuilder.fromPath("/t/{slug}/plan").queryParam("changed", now ? NOW : "1")
                .build(slug)).build();
    }

    /**
     * Sets the tenant's spending limit to {@code amount}, a decimal amount of the plan's currency ("25", "12.50") sent
     * as micro-units; an empty amount, or one that is not above zero, has more than six decimals or is too large, is
     * refused here without asking platform-api.
     */
    @POST
    @Path("budget")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response setSpendingLimit(@RestPath String slug, @RestForm String amount) {
        user.requireTenant(slug);
        Long micros;
        try {
            micros = LIMIT.micros(amount);
        } catch (IllegalArgumentException bad) {
            return refusedLimit(slug, FormError.of(SPENDING_LIMIT, bad.getMessage()), amount);
        }
        if (micros == null) {
            return refusedLimit(slug, FormError.of(SPENDING_LIMIT, "Type the spending limit, such as 25 or 12.50."),
                    amount);
        }
        return sendLimit(slug, micros, amount);
    }

    /** Removes the tenant's spending limit: only the plan's budget, if any, caps what it spends. */
    @POST
    @Path("budget/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response removeSpendingLimit(@RestPath String slug) {
        user.requireTenant(slug);
        return sendLimit(slug, null, null);
    }

    /**
     * Sends the spending limit (null: none); platform-api's refusal (a member's 403, a closed tenant's 409, its
     * validation) is shown beside the form with what was typed.
     */
    private Response sendLimit(String slug, Long micros, String typed) {
        try {
            api.setBudget(slug, new TenantBudget(micros));
        } catch (ApiProblem problem) {
            if (!FormError.inline(problem)) {
                throw problem;
            }
            return refusedLimit(slug, FormError.of(SPENDING_LIMIT, problem), typed);
        }
        return Response.seeOther(UriBuilder.fromPath("/t/{slug}/plan")
                .queryParam("done", micros == null ? LIMIT_REMOVED : LIMIT_SET).build(slug)).build();
    }

    private Response refusedLimit(String slug, FormError error, String typed) {
        return error.page(page(slug, false, false, error, null, typed));
    }

    private TemplateInstance page(String slug, boolean changed, boolean upgraded, FormError error, String limitDone,
            String typed) {
        boolean closed = user.closed(slug);
        // independent calls at once; a closed tenant can choose nothing, so its choices are not asked for
        var statusCall = parallel.start(() -> api.plan(slug));
        var choicesCall = closed ? null : parallel.start(() -> api.planChoices(slug));
        PlanStatus status = statusCall.get();
        List<PlanChoice> choices = closed ? List.of() : choicesCall.get();
        boolean admin = user.adminOf(slug) && !closed;
        String current = status.plan() == null ? null : status.plan().id();
        String next = status.nextPlan() == null || status.nextPlan().id() == null ? null
                : status.nextPlan().id().toString();
        boolean elsewhere = next != null && !next.equalsIgnoreCase(String.valueOf(current));
        List<Row> rows = choices.stream().map(choice -> {
            boolean isCurrent = choice.id().toString().equalsIgnoreCase(String.valueOf(current));
            boolean isPending = !isCurrent && choice.id().toString().equalsIgnoreCase(String.valueOf(next));
            boolean offered = admin && !isPending && (!isCurrent || elsewhere);
            boolean upgrade = admin && !isCurrent && (status.plan() == null
                    || (choice.currency().equals(status.plan().currency())
                            && choice.monthlyFeeMicros() >= status.plan().monthlyFeeMicros()));
            return new Row(choice, isCurrent, isPending, offered, upgrade, requestPrice(choice));
        }).toList();
        boolean stayOutside = admin && elsewhere && current != null && rows.stream().noneMatch(Row::current);
        String nextDate = status.nextPlan() == null ? null : when(status.nextPlan().effectiveFrom(), status.timeZone());
        String currency = status.plan() != null ? status.plan().currency()
                : status.usage() != null ? status.usage().currency() : null;
        return Templates.plan(slug, new Page(status, rows, admin, closed, fmt.day(status.period().nextStart()),
                nextDate, stayOutside, changed, upgraded, error, currency, limitDone, typed));
    }

    /**
     * When a scheduled change takes effect, on the tenant's calendar: the day alone when it is the start of a day there
     * (always so for a self-service change: a billing period's first instant), else the day and time with the zone.
     */
    private String when(Instant instant, String timeZone) {
        if (instant == null) {
            return fmt.day(null);
        }
        ZoneId zone;
        try {
            zone = timeZone == null ? ZoneOffset.UTC : ZoneId.of(timeZone);
        } catch (DateTimeException unknown) {
            zone = ZoneOffset.UTC;
        }
        ZonedDateTime at = instant.atZone(zone);
        String day = fmt.day(at.toLocalDate());
        return at.toLocalTime().toSecondOfDay() == 0 ? day
                : day + " at " + DateTimeFormatter.ofPattern("HH:mm").format(at) + " (" + zone.getId() + ")";
    }

    /**
     * The default price per 1,000 requests in words: one price, or its tiers ("$0.20 up to 1,000 requests, then
     * $0.10"); free when no price applies to requests at all.
     */
    private String requestPrice(PlanChoice plan) {
        PlanChoice.Component price = plan.defaultRequestPrice();
        if (price == null) {
            boolean perModel = plan.prices().stream().anyMatch(p -> p.per1kRequests() != null);
            return perModel ? "set per model" : "free";
        }
        List<PlanChoice.Tier> tiers = price.tiers();
        if (tiers.size() == 1 && tiers.get(0).upTo() == null) {
            return fmt.micros(tiers.get(0).unitMicros(), plan.currency());
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < tiers.size(); i++) {
            PlanChoice.Tier tier = tiers.get(i);
            if (i > 0) {
                text.append(", then ");
            }
            text.append(fmt.micros(tier.unitMicros(), plan.currency()));
            if (tier.upTo() != null) {
                text.append(" up to ").append(fmt.num(tier.upTo())).append(i == 0 ? " requests" : "");
            }
        }
        return price.volume() ? text + " (volume: the month's total sets one price for all)" : text.toString();
    }
}
