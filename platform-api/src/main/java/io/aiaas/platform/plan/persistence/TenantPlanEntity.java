package io.aiaas.platform.plan.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A row of {@code tenant_plans}: from {@code effectiveFrom} on, the tenant is on the plan (until a later row takes
 * over). Rows are only ever inserted, so the history stays; the one exception is a tenant's own choice that has not
 * taken effect yet, which the tenant may replace or cancel.
 */
@Entity
@Table(name = "tenant_plans")
public class TenantPlanEntity {
    @Id
    public UUID id;
    @Column(name = "tenant_id")
    public UUID tenantId;
    @Column(name = "plan_id")
    public UUID planId;
    @Column(name = "effective_from")
    public Instant effectiveFrom;
    @Column(name = "created_at")
    public Instant createdAt;
    /** Who scheduled the change, as the audit log names them. */
    @Column(name = "created_by")
    public String createdBy;
    /**
     * Chosen by a tenant admin (always for the start of a billing period): until it takes effect the tenant may
     * replace or cancel it. A change a platform admin scheduled is never touched by the tenant.
     */
    @Column(name = "self_service")
    public boolean selfService;
}
