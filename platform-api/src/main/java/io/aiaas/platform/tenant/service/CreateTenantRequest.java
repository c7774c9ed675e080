package io.aiaas.platform.tenant.service;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /admin/v1/tenants} and {@code POST /api/v1/signup}: {@code time_zone} (an IANA id, default UTC)
 * is where the tenant's billing periods are calendar months.
 */
public record CreateTenantRequest(
        @NotNull
        @Pattern(regexp = TenantService.SLUG_PATTERN,
                message = "must be 1-63 lower-case letters, digits or inner hyphens, e.g. acme-corp")
        String slug,
        @NotBlank @Size(max = 200) String name,
        @Size(max = 64) String timeZone) {
}
