package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * Body of {@code PATCH /admin/v1/tenants/{slug}}: only the fields that change are sent (a plan without
 * {@code plan_effective_at} takes effect now).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TenantChange(String name, String status, UUID planId, Instant planEffectiveAt, String timeZone) {

    public static TenantChange status(String status) {
        return new TenantChange(null, status, null, null, null);
    }

    public static TenantChange plan(UUID planId, Instant effectiveAt) {
        return new TenantChange(null, null, planId, effectiveAt, null);
    }

    public static TenantChange timeZone(String zone) {
        return new TenantChange(null, null, null, null, zone);
    }
}
