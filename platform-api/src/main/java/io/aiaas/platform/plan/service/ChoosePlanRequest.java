package io.aiaas.platform.plan.service;

import jakarta.validation.constraints.NotNull;
import java.util.UUID;

/** Body of {@code PUT /api/v1/tenants/{slug}/plan}: the self-service plan the tenant moves to next period. */
public record ChoosePlanRequest(@NotNull UUID planId) {
}
