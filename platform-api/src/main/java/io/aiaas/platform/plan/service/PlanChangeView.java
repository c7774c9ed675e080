package io.aiaas.platform.plan.service;

import java.time.Instant;
import java.util.UUID;

/**
 * One entry of a tenant's plan history: from {@code effective_from} on, the tenant is on the plan; {@code state} is
 * {@code past}, {@code current} or {@code scheduled}; {@code self_service} when a tenant admin chose it (for the start
 * of a billing period) rather than a platform admin.
 */
public record PlanChangeView(Instant effectiveFrom, UUID planId, String planName, String state, Instant createdAt,
        String createdBy, boolean selfService) {
}
