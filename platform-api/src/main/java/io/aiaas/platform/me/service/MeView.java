package io.aiaas.platform.me.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Who the caller is, as their token says, and the tenants they belong to (by slug).
 *
 * @param email the token's e-mail, or null
 * @param emailVerified whether the identity provider verified it: only then can a membership by e-mail find them
 * @param platformAdmin whether the token carries the realm role platform-admin
 */
public record MeView(String subject, String email, boolean emailVerified, String username, boolean platformAdmin,
        List<TenantMembership> tenants) {

    /**
     * One tenant of the caller: status is active, suspended or closed, role is admin or member;
     * {@code suspended_reason} is {@code non_payment} when the platform suspended it for an invoice unpaid past its
     * grace (absent otherwise); {@code suspension_note} what the operator who suspended it said (absent without one).
     */
    public record TenantMembership(String slug, String name, String role, String status,
            @JsonInclude(JsonInclude.Include.NON_NULL) String suspendedReason,
            @JsonInclude(JsonInclude.Include.NON_NULL) String suspensionNote) {
    }
}
