package io.aiaas.platform.plan.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code plans}: a named plan whose definition is the JSON of a PlanSpec. */
@Entity
@Table(name = "plans")
public class PlanEntity {
    @Id
    public UUID id;
    public String name;
    /** ISO 4217 code; every amount of the plan is in micro-units of it. */
    public String currency;
    /** The PlanSpec as JSON (snake_case, as the API reads and writes it). */
    @JdbcTypeCode(SqlTypes.JSON)
    public String spec;
    /** 1 when created, + 1 on every change. */
    public int revision;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    /** When the plan was archived (it then takes no new tenants); null while it is offered. */
    @Column(name = "archived_at")
    public Instant archivedAt;
    /** Whether tenant admins may choose the plan themselves (from their next billing period). */
    @Column(name = "self_service")
    public boolean selfService;
}
