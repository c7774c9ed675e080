package io.aiaas.platform.tenant.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code tenants}. */
@Entity
@Table(name = "tenants")
public class TenantEntity {
    @Id
    public UUID id;
    public String slug;
    public String name;
    /** ACTIVE, SUSPENDED or CLOSED (final). */
    public String status;
    /**
     * Why it is SUSPENDED: {@code non_payment} when the overdue sweep suspended it (a payment that settles what it
     * owes resumes it), null when an operator did.
     */
    @Column(name = "suspended_reason")
    public String suspendedReason;
    /** What the operator who suspended it told the tenant; null without one, and while it is not suspended. */
    @Column(name = "suspension_note")
    public String suspensionNote;
    /** When it was closed; null unless CLOSED. */
    @Column(name = "closed_at")
    public Instant closedAt;
    /** IANA zone id: billing periods are calendar months there. */
    @Column(name = "time_zone")
    public String timeZone;
    /** The tenant's own cap on a billing period's spend, micro-units of its plan's currency; null: none of its own. */
    @Column(name = "monthly_budget_micros")
    public Long monthlyBudgetMicros;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    /** The OIDC subject of the person who created it by signing up; null when a platform admin created it. */
    @Column(name = "signed_up_by")
    public String signedUpBy;
}
