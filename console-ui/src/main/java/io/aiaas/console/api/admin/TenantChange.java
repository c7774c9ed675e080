package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * Body of {@code PATCH /admin/v1/tenants/{slug}}: only the fields that change are sent (a plan without
 * {@code plan_effective_at} takes effect now). {@code suspension_note} is what a suspension tells the tenant (at most
 * 500 characters): with {@code status} suspended, or alone to a suspended tenant to change it; {@code ""} removes it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TenantChange(String name, String status, UUID planId, Instant planEffectiveAt, String timeZone,
        String suspensionNote) {

    public static TenantChange status(String status) {
        return status(status, null);
    }

    /** A new status with what the suspension tells the tenant (null: no note sent). */
    public static TenantChange status(String status, String suspensionNote) {
        return new TenantChange(null, status, null, null, null, suspensionNote);
    }

    /** Only the note of a suspended tenant: {@code ""} removes it. */
    public static TenantChange suspensionNote(String note) {
        return new TenantChange(null, null, null, null, null, note);
    }

    public static TenantChange plan(UUID planId, Instant effectiveAt) {
        return new TenantChange(null, null, planId, effectiveAt, null, null);
    }

    public static TenantChange timeZone(String zone) {
        return new TenantChange(null, null, null, null, zone, null);
    }
}
