package io.aiaas.platform.tenant.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Queries on {@code tenant_members}. */
@ApplicationScoped
public class TenantMemberRepository implements PanacheRepositoryBase<TenantMemberEntity, UUID> {

    /** The membership of a person in a tenant, matched by e-mail (case-insensitive) or subject; admin wins. */
    public Optional<TenantMemberEntity> findMembership(UUID tenantId, String email, String subject) {
        String mail = email == null ? "" : email.toLowerCase(java.util.Locale.ROOT);
        String sub = subject == null ? "" : subject;
        return find("tenantId = ?1 and (lower(email) = ?2 or subject = ?3) order by role", tenantId, mail, sub)
                .firstResultOptional();
    }

    public List<TenantMemberEntity> listByTenant(UUID tenantId) {
        return list("tenantId", Sort.by("createdAt").and("id"), tenantId);
    }

    public boolean emailTaken(UUID tenantId, String email) {
        return count("tenantId = ?1 and lower(email) = ?2", tenantId, email.toLowerCase(java.util.Locale.ROOT)) > 0;
    }

    public boolean subjectTaken(UUID tenantId, String subject) {
        return count("tenantId = ?1 and subject = ?2", tenantId, subject) > 0;
    }
}
