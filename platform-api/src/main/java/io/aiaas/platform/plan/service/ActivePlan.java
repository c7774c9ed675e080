package io.aiaas.platform.plan.service;

import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

/**
 * The plan in effect for a tenant at an instant, with the tenant's time zone (its billing periods) and when this
 * plan's effect began; {@code until} is when the next scheduled change takes over (null if none).
 */
public record ActivePlan(UUID planId, String planName, int revision, PlanSpec spec, ZoneId zone,
        Instant effectiveFrom, Instant until) {
}
