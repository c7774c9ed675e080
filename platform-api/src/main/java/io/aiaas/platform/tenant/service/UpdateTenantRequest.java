package io.aiaas.platform.tenant.service;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code PATCH /admin/v1/tenants/{slug}}: any of a new name and a new status. */
public record UpdateTenantRequest(
        @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String name,
        @Pattern(regexp = "active|suspended", message = "must be 'active' or 'suspended'") String status) {
}
