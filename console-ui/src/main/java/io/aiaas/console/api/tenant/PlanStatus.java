package io.aiaas.console.api.tenant;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * {@code GET /api/v1/tenants/{slug}/plan} (and the answer to {@code PUT} of it): the plan in effect (null without one),
 * the billing period (a calendar month in the tenant's zone), the next scheduled plan change (null without one), this
 * period's billable usage, and the state of each quota and of the budget.
 */
public record PlanStatus(Instant asOf, Plan plan, String timeZone, Period period, NextPlan nextPlan, Usage usage,
        List<Quota> quotas, Budget budget) {

    public List<Quota> quotas() {
        return quotas == null ? List.of() : quotas;
    }

    /** The plan in effect: its currency, fee (micro-units and decimal), included credit and rate limits. */
    public record Plan(String id, String name, int revision, String currency, Instant effectiveFrom,
            long monthlyFeeMicros, String monthlyFee, String includedCredit, RateLimits rateLimits) {
    }

    /** Requests per minute per key and per tenant, concurrent requests per tenant; null = no limit. */
    public record RateLimits(Integer requestsPerMinutePerKey, Integer requestsPerMinutePerTenant,
            Integer maxConcurrentRequests) {

        public boolean none() {
            return requestsPerMinutePerKey == null && requestsPerMinutePerTenant == null
                    && maxConcurrentRequests == null;
        }
    }

    /** The billing period: its name (YYYY-MM) and bounds as ISO-8601 with the tenant zone's offset. */
    public record Period(String name, String start, String end) {

        /** The period's first day, as the tenant's calendar has it. */
        public LocalDate firstDay() {
            return OffsetDateTime.parse(start).toLocalDate();
        }

        /** The period's last day, as the tenant's calendar has it (the end is the next period's first instant). */
        public LocalDate lastDay() {
            return nextStart().minusDays(1);
        }

        /** The first day of the next period, when a self-service plan change takes effect. */
        public LocalDate nextStart() {
            return OffsetDateTime.parse(end).toLocalDate();
        }
    }

    /** The next scheduled plan change: the plan the tenant moves to and the instant it takes effect. */
    public record NextPlan(UUID id, String name, Instant effectiveFrom) {
    }

    /** This period's billable usage over all models; cost as an exact decimal in {@code currency}. */
    public record Usage(long requests, long items, BigDecimal computeSeconds, long costNanos, String cost,
            String currency) {
    }

    /** One quota: metric, model (null = all), unit, limit, used, percent and state (ok, warning, exhausted). */
    public record Quota(String metric, String model, String enforcement, String unit, BigDecimal limit,
            BigDecimal used, BigDecimal remaining, BigDecimal percentUsed, String state) {

        /** The metric in words, e.g. "compute seconds". */
        public String metricName() {
            return metric == null ? "" : metric.replace('_', ' ');
        }

        /** Used and limit in whole units (compute seconds rounded), for display. */
        public long usedWhole() {
            return used == null ? 0 : used.setScale(0, RoundingMode.HALF_UP).longValue();
        }

        public long limitWhole() {
            return limit == null ? 0 : limit.setScale(0, RoundingMode.HALF_UP).longValue();
        }
    }

    /** The monthly budget against the period's cost, as exact decimals of the plan's currency. */
    public record Budget(String enforcement, long limitMicros, String limit, long usedMicros, String used,
            String remaining, BigDecimal percentUsed, String state) {
    }
}
