package io.aiaas.platform.tenant.service;

import io.aiaas.platform.common.validation.StorableTimestamp;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;

/**
 * Body of {@code PATCH /admin/v1/tenants/{slug}}: any of a new name, a new status, a plan change (the plan, and when
 * it takes effect: now when absent), a time zone (an IANA zone id such as {@code Europe/Paris}) and what a suspension
 * tells the tenant ({@code suspension_note}, up to 500 characters; blank removes it).
 */
public record UpdateTenantRequest(
        @Size(min = 1, max = 200) @Pattern(regexp = ".*\\S.*", message = "must not be blank") String name,
        @Pattern(regexp = "active|suspended", message = "must be 'active' or 'suspended'") String status,
        UUID planId,
        @StorableTimestamp Instant planEffectiveAt,
        @Size(min = 1, max = 64) String timeZone,
        @Size(max = 500) String suspensionNote) {
}
