package io.aiaas.console.api.admin;

/** Body of {@code PUT /admin/v1/plans/{id}/self-service}: whether tenant admins may choose the plan themselves. */
public record SelfServiceChange(boolean selfService) {
}
