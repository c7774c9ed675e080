package io.aiaas.platform.plan.service;

import java.time.Instant;
import java.util.UUID;

/**
 * One entry of a tenant's plan history: from {@code effective_from} on, the tenant is on the plan; {@code state} is
 * {@code past}, {@code current} or {@code scheduled}.
 */
public record PlanChangeView(Instant effectiveFrom, UUID planId, String planName, String state, Instant createdAt,
        String createdBy) {
}
