package io.aiaas.platform.plan.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Queries on {@code tenant_plans}, always with the plan's name beside each row. */
@ApplicationScoped
public class TenantPlanRepository implements PanacheRepositoryBase<TenantPlanEntity, UUID> {

    /** One plan change of a tenant with the name of its plan. */
    public record Change(UUID tenantId, UUID planId, String planName, Instant effectiveFrom, Instant createdAt,
            String createdBy, boolean selfService) {
    }

    private static final String CHANGES = "SELECT new " + Change.class.getName()
            + "(tp.tenantId, tp.planId, p.name, tp.effectiveFrom, tp.createdAt, tp.createdBy, tp.selfService)"
            + " FROM TenantPlanEntity tp JOIN PlanEntity p ON p.id = tp.planId";

    /** The tenant's plan changes, newest (latest effective_from) first. */
    public List<Change> history(UUID tenantId) {
        return getEntityManager().createQuery(CHANGES + " WHERE tp.tenantId = :tenant ORDER BY tp.effectiveFrom DESC",
                Change.class).setParameter("tenant", tenantId).getResultList();
    }

    /** The plan changes of the given tenants, oldest first per tenant. */
    public List<Change> historyOf(Collection<UUID> tenantIds) {
        if (tenantIds.isEmpty()) {
            return List.of();
        }
        return getEntityManager().createQuery(CHANGES + " WHERE tp.tenantId IN :tenants"
                + " ORDER BY tp.tenantId, tp.effectiveFrom", Change.class)
                .setParameter("tenants", tenantIds).getResultList();
    }

    /** True when some tenant is, was or will be on the plan. */
    public boolean anyOn(UUID planId) {
        return count("planId", planId) > 0;
    }

    /** How many tenants are on the plan at {@code now} or have a change onto it scheduled after. */
    public long tenantsOnOrScheduled(UUID planId, Instant now) {
        return getEntityManager().createQuery("SELECT count(DISTINCT tp.tenantId) FROM TenantPlanEntity tp"
                + " WHERE tp.planId = :plan AND (tp.effectiveFrom > :now OR tp.effectiveFrom = (SELECT"
                + " max(x.effectiveFrom) FROM TenantPlanEntity x WHERE x.tenantId = tp.tenantId"
                + " AND x.effectiveFrom <= :now))", Long.class)
                .setParameter("plan", planId).setParameter("now", now).getSingleResult();
    }

    /** The tenant's changes that take effect after {@code now}, earliest first. */
    public List<TenantPlanEntity> scheduledAfter(UUID tenantId, Instant now) {
        return list("tenantId = ?1 and effectiveFrom > ?2 order by effectiveFrom", tenantId, now);
    }

    /** The plan the tenant is on at {@code at}, if any. */
    public Optional<UUID> planAt(UUID tenantId, Instant at) {
        return find("tenantId = ?1 and effectiveFrom <= ?2 order by effectiveFrom desc", tenantId, at)
                .firstResultOptional().map(row -> row.planId);
    }

    public boolean exists(UUID tenantId, Instant effectiveFrom) {
        return count("tenantId = ?1 and effectiveFrom = ?2", tenantId, effectiveFrom) > 0;
    }
}
