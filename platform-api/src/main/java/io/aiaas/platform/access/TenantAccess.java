package io.aiaas.platform.access;

import java.util.UUID;

/**
 * The outcome of an access check: the tenant the caller may act on and in which capacity; {@code closed} when the
 * tenant is closed (its data readable, nothing changeable).
 */
public record TenantAccess(UUID tenantId, String slug, boolean suspended, boolean closed, TenantRole role,
        Caller caller) {

    /** The capacity in which a caller acts on a tenant. */
    public enum TenantRole {
        MEMBER, ADMIN, PLATFORM_ADMIN
    }

    public boolean isAdmin() {
        return role != TenantRole.MEMBER;
    }
}
