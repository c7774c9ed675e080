package io.aiaas.platform.plan.service;

import io.aiaas.platform.billing.pricing.BillingPeriods;
import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.plan.service.PlanSpec.Quota;
import io.aiaas.platform.plan.service.TenantPlanStatus.BudgetState;
import io.aiaas.platform.plan.service.TenantPlanStatus.CurrentPlan;
import io.aiaas.platform.plan.service.TenantPlanStatus.Period;
import io.aiaas.platform.plan.service.TenantPlanStatus.QuotaState;
import io.aiaas.platform.plan.service.TenantPlanStatus.Usage;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's view of its plan: the plan {@link TenantPlans} says is in effect (the same lookup the gateway enforces),
 * and this period's consumption from {@code period_usage}, the counters the usage writer keeps.
 */
@ApplicationScoped
public class PlanStatusService {

    private static final String USAGE = """
            SELECT scope, requests, items, compute_us, cost_nanos FROM period_usage
            WHERE tenant_id = ? AND billing_period = ?""";
    private static final String CAP = """
            SELECT monthly_budget_micros FROM tenants WHERE id = ? AND monthly_budget_micros IS NOT NULL""";

    private record Counters(long requests, long items, long computeUs, long costNanos) {
        static final Counters ZERO = new Counters(0, 0, 0, 0);
    }

    private final TenantPlans plans;
    private final TenantPlanService schedules;
    private final Jdbc jdbc;

    PlanStatusService(TenantPlans plans, TenantPlanService schedules, Jdbc jdbc) {
        this.plans = plans;
        this.schedules = schedules;
        this.jdbc = jdbc;
    }

    public TenantPlanStatus status(UUID tenantId) {
        Instant now = Instant.now();
        Optional<ActivePlan> active = plans.at(tenantId, now);
        ZoneId zone = active.map(ActivePlan::zone).orElseGet(() -> plans.zoneOf(tenantId));
        LocalDate period = BillingPeriods.periodOf(now, zone);
        Map<String, Counters> used = usage(tenantId, period);
        Counters overall = used.getOrDefault("*", Counters.ZERO);
        String currency = active.map(a -> a.spec().currency()).orElse(null);
        Usage usage = new Usage(overall.requests(), overall.items(), overall.computeUs(),
                Amounts.seconds(overall.computeUs()), overall.costNanos(), Amounts.nanosToMicros(overall.costNanos()),
                Amounts.nanos(overall.costNanos(), currency), currency);
        DateTimeFormatter iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        Period shown = new Period(BillingPeriods.name(period),
                iso.format(BillingPeriods.start(period, zone).atZone(zone)),
                iso.format(BillingPeriods.end(period, zone).atZone(zone)));
        TenantPlanRef next = schedules.scheduleOf(tenantId, now).next();
        Long cap = jdbc.queryFirst(CAP, rs -> rs.getLong(1), tenantId).orElse(null);
        BudgetState spendingLimit = cap == null ? null : budget(cap, "hard", overall.costNanos(), currency);
        if (active.isEmpty()) {
            return new TenantPlanStatus(now, null, zone.getId(), shown, next, usage, List.of(), null, spendingLimit);
        }
        ActivePlan plan = active.get();
        PlanSpec spec = plan.spec();
        CurrentPlan current = new CurrentPlan(plan.planId(), plan.planName(), plan.revision(), spec.currency(),
                plan.effectiveFrom(), spec.monthlyFeeMicros(), Amounts.micros(spec.monthlyFeeMicros(), currency),
                spec.includedCreditMicros(), Amounts.micros(spec.includedCreditMicros(), currency),
                spec.rateLimits(), spec.prices());
        List<QuotaState> quotas = spec.quotasOrEmpty().stream()
                .map(q -> quota(q, used.getOrDefault(q.scope(), Counters.ZERO))).toList();
        BudgetState budget = spec.budget() == null ? null
                : budget(spec.budget().limitMicros(), spec.budget().enforcement(), overall.costNanos(), currency);
        return new TenantPlanStatus(now, current, zone.getId(), shown, next, usage, quotas, budget, spendingLimit);
    }

    private Map<String, Counters> usage(UUID tenantId, LocalDate period) {
        Map<String, Counters> byScope = new HashMap<>();
        jdbc.query(USAGE, rs -> byScope.put(rs.getString(1),
                new Counters(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5))), tenantId, period);
        return byScope;
    }

    private static QuotaState quota(Quota quota, Counters counters) {
        BigDecimal limit = BigDecimal.valueOf(quota.limit());
        BigDecimal used;
        String unit;
        switch (quota.metric()) {
            case "requests" -> {
                used = BigDecimal.valueOf(counters.requests());
                unit = "request";
            }
            case "items" -> {
                used = BigDecimal.valueOf(counters.items());
                unit = "item";
            }
            default -> {
                used = Amounts.seconds(counters.computeUs());
                unit = "second";
            }
        }
        BigDecimal remaining = limit.subtract(used).max(BigDecimal.ZERO);
        BigDecimal percent = Amounts.percent(used, limit);
        return new QuotaState(quota.metric(), quota.model(), quota.enforcement(), unit, limit, used, remaining,
                percent, state(percent));
    }

    private static BudgetState budget(long limit, String enforcement, long usedNanos, String currency) {
        long usedMicros = Amounts.nanosToMicros(usedNanos);
        long remaining = Math.max(0, limit - usedMicros);
        BigDecimal percent = Amounts.percent(BigDecimal.valueOf(usedNanos, 9), BigDecimal.valueOf(limit, 6));
        return new BudgetState(enforcement, limit, Amounts.micros(limit, currency), usedNanos, usedMicros,
                Amounts.nanos(usedNanos, currency), remaining, Amounts.micros(remaining, currency), percent,
                state(percent));
    }

    private static String state(BigDecimal percent) {
        if (percent.compareTo(BigDecimal.valueOf(100)) >= 0) {
            return "exhausted";
        }
        return percent.compareTo(BigDecimal.valueOf(80)) >= 0 ? "warning" : "ok";
    }
}
