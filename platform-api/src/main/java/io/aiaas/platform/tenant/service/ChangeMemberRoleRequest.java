package io.aiaas.platform.tenant.service;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** Body of {@code PATCH .../tenants/{slug}/members/{id}}: the member's new role. */
public record ChangeMemberRoleRequest(
        @NotNull @Pattern(regexp = "admin|member", message = "must be 'admin' or 'member'") String role) {
}
