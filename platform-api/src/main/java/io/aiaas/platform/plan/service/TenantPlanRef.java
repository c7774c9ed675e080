package io.aiaas.platform.plan.service;

import java.time.Instant;
import java.util.UUID;

/** A plan a tenant is on (or will be on) from {@code effective_from}. */
public record TenantPlanRef(UUID id, String name, Instant effectiveFrom) {
}
