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

    /**
     * Every membership of a person, matched as {@link #findMembership} matches (e-mail case-insensitively, or
     * subject), one per tenant with admin winning, with the tenant, by slug.
     */
    public List<Membership> membershipsOf(String email, String subject) {
        String mail = email == null ? "" : email.toLowerCase(java.util.Locale.ROOT);
        String sub = subject == null ? "" : subject;
        // min(role): 'ADMIN' < 'MEMBER', so a person matched twice in a tenant counts as its admin
        return getEntityManager().createQuery("""
                SELECT t.slug, t.name, t.status, min(m.role), t.suspendedReason, t.suspensionNote
                FROM TenantMemberEntity m, TenantEntity t
                WHERE t.id = m.tenantId AND (lower(m.email) = ?1 OR m.subject = ?2)
                GROUP BY t.id, t.slug, t.name, t.status, t.suspendedReason, t.suspensionNote ORDER BY t.slug""",
                Object[].class)
                .setParameter(1, mail).setParameter(2, sub).getResultList().stream()
                .map(row -> new Membership((String) row[0], (String) row[1], (String) row[2], (String) row[3],
                        "SUSPENDED".equals(row[2]) ? (String) row[4] : null,
                        "SUSPENDED".equals(row[2]) ? (String) row[5] : null))
                .toList();
    }

    /**
     * A tenant a person belongs to: its slug, name and status (ACTIVE, SUSPENDED or CLOSED), and their role (ADMIN or
     * MEMBER); {@code suspendedReason} {@code non_payment} when the overdue sweep suspended it, else null;
     * {@code suspensionNote} what the operator who suspended it said, if anything.
     */
    public record Membership(String slug, String name, String status, String role, String suspendedReason,
            String suspensionNote) {
    }

    /** The number of admins of a tenant. */
    public long countAdmins(UUID tenantId) {
        return count("tenantId = ?1 and role = 'ADMIN'", tenantId);
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
