package io.aiaas.platform.tenant.service;

import java.util.UUID;

/**
 * CDI event fired after a change of a tenant's status commits on this replica; other replicas learn it through
 * PostgreSQL {@code NOTIFY} on {@link #CHANNEL} (payload: the tenant id).
 */
public record TenantChanged(UUID tenantId) {
    public static final String CHANNEL = "aiaas_tenant_changed";
}
