package io.aiaas.platform.usage.service;

import io.aiaas.platform.limits.service.Admission;
import io.aiaas.platform.plan.service.PlanSpec;
import io.aiaas.platform.plan.service.PlanSpec.ModelPrice;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One row of {@code usage_records}: what a single call through the gateway did, and what the writer needs to price
 * it ({@link Billing}) and to store its answer for an Idempotency-Key ({@link Idempotent}) in the same transaction.
 */
public record UsageRecord(
        UUID requestId,
        UUID tenantId,
        UUID apiKeyId,
        UUID modelId,
        UUID modelVersionId,
        UUID workerId,
        String modelName,
        Integer modelVersion,
        String endpoint,
        int statusCode,
        boolean billable,
        int itemCount,
        long computeUs,
        long bytesIn,
        long bytesOut,
        String device,
        String errorCode,
        Instant startedAt,
        Instant finishedAt,
        LocalDate billingPeriod,
        Billing billing,
        Idempotent idempotent) {

    /**
     * The plan that prices the call: its price for the model (null = free), the reservations of monthly limits
     * the writer settles on this replica's leases ({@code holder}), and the counter of the key's spend that the writer
     * advances too ({@code keyScope}, null for a key without a monthly cap) with the cap, whose thresholds produce
     * events like the plan's budget ({@code keyBudgetMicros}), and the tenant's own monthly cap, whose thresholds do
     * too ({@code tenantBudgetMicros}, null for none).
     */
    public record Billing(UUID planId, String currency, PlanSpec plan, ModelPrice price, UUID holder,
            List<Admission.Charge> charges, String keyScope, Long keyBudgetMicros, Long tenantBudgetMicros) {

        /** Without a counter of the key's own (the key has no monthly cap) and without the tenant's own cap. */
        public Billing(UUID planId, String currency, PlanSpec plan, ModelPrice price, UUID holder,
                List<Admission.Charge> charges) {
            this(planId, currency, plan, price, holder, charges, null, null, null);
        }
    }

    /** The answer to store for a call that carried an Idempotency-Key. */
    public record Idempotent(String key, int status, String contentType, Map<String, String> headers, byte[] body) {
    }

    /** A row without plan or idempotency (its period in UTC). */
    public UsageRecord(UUID requestId, UUID tenantId, UUID apiKeyId, UUID modelId, UUID modelVersionId, UUID workerId,
            String modelName, Integer modelVersion, String endpoint, int statusCode, boolean billable, int itemCount,
            long computeUs, long bytesIn, long bytesOut, String device, String errorCode, Instant startedAt,
            Instant finishedAt) {
        this(requestId, tenantId, apiKeyId, modelId, modelVersionId, workerId, modelName, modelVersion, endpoint,
                statusCode, billable, itemCount, computeUs, bytesIn, bytesOut, device, errorCode, startedAt,
                finishedAt, LocalDate.ofInstant(startedAt, ZoneOffset.UTC).withDayOfMonth(1), null, null);
    }
}
