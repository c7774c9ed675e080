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
 * period's billable usage, the state of each quota and of the plan's budget, and the tenant's own spending limit
 * ({@code spending_limit}, set by its admins; null without one, and from a platform-api that has none).
 */
public record PlanStatus(Instant asOf, Plan plan, String timeZone, Period period, NextPlan nextPlan, Usage usage,
        List<Quota> quotas, Budget budget, Budget spendingLimit) {

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

    /**
     * A monthly cap against the period's cost, as exact decimals of the plan's currency: the plan's budget, or the
     * tenant's own spending limit (always hard).
     */
    public record Budget(String enforcement, long limitMicros, String limit, long usedMicros, String used,
            String remaining, BigDecimal percentUsed, String state) {

        /** A meter's value: what was used, never past the limit (the text says how far past it is). */
        public long meterValue() {
            return Math.min(usedMicros, limitMicros);
        }

        /** Where a meter turns amber: 80% of the limit, as the platform's warning event. */
        public long meterHigh() {
            return limitMicros * 8 / 10;
        }

        /** Whether it is all spent: calls are refused until the next period (a hard one). */
        public boolean exhausted() {
            return "exhausted".equals(state);
        }
    }
}
