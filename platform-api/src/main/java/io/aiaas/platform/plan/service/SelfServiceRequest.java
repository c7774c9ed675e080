package io.aiaas.platform.plan.service;

import jakarta.validation.constraints.NotNull;

/** Body of {@code PUT /admin/v1/plans/{id}/self-service}: whether tenant admins may choose the plan themselves. */
public record SelfServiceRequest(@NotNull Boolean selfService) {
}
