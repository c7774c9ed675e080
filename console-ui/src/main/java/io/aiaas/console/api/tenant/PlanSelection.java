package io.aiaas.console.api.tenant;

import java.util.UUID;

/**
 * Body of {@code PUT /api/v1/tenants/{slug}/plan}: the self-service plan the tenant moves to at the start of its next
 * billing period; the plan it is on now cancels a pending change.
 */
public record PlanSelection(UUID planId) {
}
