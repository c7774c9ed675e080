package io.aiaas.platform.access;

import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.tenant.persistence.TenantEntity;
import io.aiaas.platform.tenant.persistence.TenantMemberEntity;
import io.aiaas.platform.tenant.persistence.TenantMemberRepository;
import io.aiaas.platform.tenant.persistence.TenantRepository;
import io.aiaas.platform.tenant.service.TenantService;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The one place that decides who is calling and for which tenant; every admin and tenant endpoint starts here.
 * A tenant that does not exist and one the caller does not belong to look the same (404), so slugs cannot be probed.
 * Members read and call; tenant admins (and platform admins) also manage keys and members.
 */
@ApplicationScoped
public class AccessService {

    private final SecurityIdentity identity;
    private final TenantRepository tenants;
    private final TenantMemberRepository members;

    AccessService(SecurityIdentity identity, TenantRepository tenants, TenantMemberRepository members) {
        this.identity = identity;
        this.tenants = tenants;
        this.members = members;
    }

    /** The authenticated person; 401 when the request carries no valid user token. */
    public Caller currentUser() {
        if (identity.isAnonymous()) {
            throw new UnauthorizedException();
        }
        String subject = identity.getPrincipal().getName();
        String email = null;
        String username = null;
        boolean verified = false;
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            subject = jwt.getSubject() != null ? jwt.getSubject() : subject;
            email = jwt.getClaim("email");
            username = jwt.getClaim("preferred_username");
            verified = isTrue(jwt.getClaim("email_verified"));
        }
        return new Caller(subject, email == null || email.isBlank() ? null : email.trim(), verified, username,
                identity.hasRole(Roles.PLATFORM_ADMIN));
    }

    /** The caller, who must hold the platform-admin role (403 otherwise). */
    public Caller requirePlatformAdmin() {
        Caller caller = currentUser();
        if (!caller.platformAdmin()) {
            throw ApiException.forbidden("forbidden", "This operation needs the platform-admin role");
        }
        return caller;
    }

    /** Access to a tenant for one of its members (any role) or a platform admin; 404 for everyone else. */
    @Transactional
    public TenantAccess requireMember(String slug) {
        Caller caller = currentUser();
        TenantEntity tenant = findTenant(slug);
        if (caller.platformAdmin()) {
            return access(tenant, TenantAccess.TenantRole.PLATFORM_ADMIN, caller);
        }
        Optional<TenantMemberEntity> membership = members.findMembership(tenant.id, caller.verifiedEmail(),
                caller.subject());
        TenantMemberEntity member = membership.orElseThrow(() -> notFound(slug));
        return access(tenant, "ADMIN".equals(member.role) ? TenantAccess.TenantRole.ADMIN
                : TenantAccess.TenantRole.MEMBER, caller);
    }

    /**
     * The tenants the caller belongs to, matched as {@link #requireMember} matches (verified e-mail or subject), by
     * slug. A platform admin's role gives no membership: their list holds only tenants they were added to.
     */
    @Transactional
    public List<TenantMemberRepository.Membership> memberships(Caller caller) {
        return members.membershipsOf(caller.verifiedEmail(), caller.subject());
    }

    /**
     * Access to change a tenant, for its admins and platform admins; 403 for plain members, 404 for outsiders, 409
     * {@code tenant_closed} once the tenant is closed (nothing of a closed tenant changes).
     */
    @Transactional
    public TenantAccess requireTenantAdmin(String slug) {
        TenantAccess access = requireTenantAdminToRead(slug);
        if (access.closed()) {
            throw TenantService.closed(slug);
        }
        return access;
    }

    /** Access to read what only a tenant's admins see (its audit log, its webhook), closed tenants included. */
    @Transactional
    public TenantAccess requireTenantAdminToRead(String slug) {
        TenantAccess access = requireMember(slug);
        if (!access.isAdmin()) {
            throw ApiException.forbidden("forbidden", "This operation needs the admin role in tenant " + slug);
        }
        return access;
    }


    private TenantEntity findTenant(String slug) {
        if (slug == null || !slug.matches(TenantService.SLUG_PATTERN)) {
            throw notFound(slug);
        }
        return tenants.findBySlug(slug).orElseThrow(() -> notFound(slug));
    }

    private static boolean isTrue(Object claim) {
        return Boolean.TRUE.equals(claim) || (claim instanceof jakarta.json.JsonValue value
                && value.getValueType() == jakarta.json.JsonValue.ValueType.TRUE) || "true".equals(String.valueOf(claim));
    }

    private static TenantAccess access(TenantEntity tenant, TenantAccess.TenantRole role, Caller caller) {
        return new TenantAccess(tenant.id, tenant.slug, "SUSPENDED".equals(tenant.status),
                "CLOSED".equals(tenant.status), role, caller);
    }

    private static ApiException notFound(String slug) {
        String shown = slug == null ? "" : slug.length() > 63 ? slug.substring(0, 63) + "..." : slug;
        return ApiException.notFound("tenant_not_found", "No tenant '" + shown + "'");
    }
}
