package io.aiaas.platform.plan.service;

import io.aiaas.platform.plan.service.PlanSpec.ModelPrice;
import io.aiaas.platform.plan.service.PlanSpec.RateLimits;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Body of {@code GET /api/v1/tenants/{slug}/plan}: the plan in effect at {@code as_of} (null when the tenant has
 * none: nothing is then limited or priced), the current billing period, the next plan change, the period's usage
 * and the state of each quota, of the plan's budget and of the tenant's own monthly cap ({@code spending_limit}, set
 * by its admins with {@code PUT .../budget}, null when none; with a plan, the tighter of it and a hard plan budget is
 * what stops calls). Money: integer micro-units (and nano-units where usage is summed)
 * with a decimal string beside them; never floating point.
 */
public record TenantPlanStatus(Instant asOf, CurrentPlan plan, String timeZone, Period period, TenantPlanRef nextPlan,
        Usage usage, List<QuotaState> quotas, BudgetState budget, BudgetState spendingLimit) {

    /** The plan in effect, with what a tenant pays and may do. */
    public record CurrentPlan(UUID id, String name, int revision, String currency, Instant effectiveFrom,
            long monthlyFeeMicros, String monthlyFee, long includedCreditMicros, String includedCredit,
            RateLimits rateLimits, List<ModelPrice> prices) {
    }

    /** The billing period (a calendar month in the tenant's zone): start and end as ISO-8601 with its offset there. */
    public record Period(String name, String start, String end) {
    }

    /** The period's billable usage over all models (scope {@code *} of period_usage). */
    public record Usage(long requests, long items, long computeUs, BigDecimal computeSeconds, long costNanos,
            long costMicros, String cost, String currency) {
    }

    /**
     * One quota: limit, used and remaining in the plan's unit ({@code request}, {@code item}, {@code second});
     * {@code state} is {@code ok}, {@code warning} (80% or more) or {@code exhausted} (100% or more).
     */
    public record QuotaState(String metric, String model, String enforcement, String unit, BigDecimal limit,
            BigDecimal used, BigDecimal remaining, BigDecimal percentUsed, String state) {
    }

    /** The monthly budget against the period's cost, in micro-units (the plan's unit) and as decimal strings. */
    public record BudgetState(String enforcement, long limitMicros, String limit, long usedNanos, long usedMicros,
            String used, long remainingMicros, String remaining, BigDecimal percentUsed, String state) {
    }
}
