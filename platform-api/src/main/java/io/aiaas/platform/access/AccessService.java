package io.aiaas.platform.access;

import io.aiaas.platform.common.error.AccessDeniedException;
import io.aiaas.platform.common.error.ResourceNotFoundException;
import io.aiaas.platform.tenant.persistence.TenantEntity;
import io.aiaas.platform.tenant.persistence.TenantMemberEntity;
import io.aiaas.platform.tenant.persistence.TenantMemberRepository;
import io.aiaas.platform.tenant.persistence.TenantRepository;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The one place that decides who is calling and for which tenant; every admin and tenant endpoint starts here.
 * A tenant that does not exist and one the caller does not belong to look the same (404), so slugs cannot be probed.
 */
@ApplicationScoped
public class AccessService {

    @Inject
    SecurityIdentity identity;

    @Inject
    TenantRepository tenants;

    @Inject
    TenantMemberRepository members;

    /** The authenticated person; 401 when the request carries no valid user token. */
    public Caller currentUser() {
        if (identity.isAnonymous()) {
            throw new UnauthorizedException();
        }
        String subject = identity.getPrincipal().getName();
        String email = null;
        String username = null;
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            subject = jwt.getSubject() != null ? jwt.getSubject() : subject;
            email = jwt.getClaim("email");
            username = jwt.getClaim("preferred_username");
        }
        return new Caller(subject, email == null || email.isBlank() ? null : email.trim(), username,
                identity.hasRole(Roles.PLATFORM_ADMIN));
    }

    /** The caller, who must hold the platform-admin role (403 otherwise). */
    public Caller requirePlatformAdmin() {
        Caller caller = currentUser();
        if (!caller.platformAdmin()) {
            throw new AccessDeniedException("This operation needs the platform-admin role");
        }
        return caller;
    }

    /** Access to a tenant for one of its members (any role) or a platform admin; 404 for everyone else. */
    @Transactional
    public TenantAccess requireMember(String slug) {
        Caller caller = currentUser();
        TenantEntity tenant = tenants.findBySlug(slug).orElseThrow(() -> notFound(slug));
        if (caller.platformAdmin()) {
            return access(tenant, TenantAccess.TenantRole.PLATFORM_ADMIN, caller);
        }
        Optional<TenantMemberEntity> membership = members.findMembership(tenant.id, caller.email(), caller.subject());
        TenantMemberEntity member = membership.orElseThrow(() -> notFound(slug));
        return access(tenant, "ADMIN".equals(member.role) ? TenantAccess.TenantRole.ADMIN
                : TenantAccess.TenantRole.MEMBER, caller);
    }

    /** Access to a tenant for its admins and platform admins; 403 for plain members, 404 for outsiders. */
    @Transactional
    public TenantAccess requireTenantAdmin(String slug) {
        TenantAccess access = requireMember(slug);
        if (!access.isAdmin()) {
            throw new AccessDeniedException("This operation needs the admin role in tenant " + slug);
        }
        return access;
    }

    private static TenantAccess access(TenantEntity tenant, TenantAccess.TenantRole role, Caller caller) {
        return new TenantAccess(tenant.id, tenant.slug, "SUSPENDED".equals(tenant.status), role, caller);
    }

    private static ResourceNotFoundException notFound(String slug) {
        return new ResourceNotFoundException("tenant_not_found", "No tenant '" + slug + "'");
    }
}
