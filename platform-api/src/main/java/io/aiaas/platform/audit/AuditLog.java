package io.aiaas.platform.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.UUID;

/**
 * Appends to audit_log inside the caller's transaction, so a change and its audit entry commit or fail together.
 */
@ApplicationScoped
public class AuditLog {

    private final EntityManager em;

    AuditLog(EntityManager em) {
        this.em = em;
    }

    /**
     * Records one change.
     *
     * @param actor who did it: e-mail or subject of a person, key id, worker id, or "system"
     * @param tenantId the tenant concerned, null for platform-wide changes
     * @param action a stable dotted verb such as {@code tenant.created}
     * @param detailsJson a JSON object with the details, or null
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(String actor, ActorKind kind, UUID tenantId, String action, String targetType, String targetId,
            String detailsJson) {
        em.createNativeQuery("INSERT INTO audit_log (actor, actor_kind, tenant_id, action, target_type, target_id, details)"
                        + " VALUES (:actor, :kind, :tenant, :action, :targetType, :targetId, CAST(:details AS jsonb))")
                .setParameter("actor", actor)
                .setParameter("kind", kind.name())
                .setParameter("tenant", tenantId)
                .setParameter("action", action)
                .setParameter("targetType", targetType)
                .setParameter("targetId", targetId)
                .setParameter("details", detailsJson)
                .executeUpdate();
    }
}
