package io.aiaas.platform.tenant.service;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/tenants/{slug}/close}: the tenant's slug typed again, as a confirmation. */
public record CloseTenantRequest(@NotNull @Size(max = 63) String confirm) {
}
