package io.aiaas.platform.tenant.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code tenant_members}: a person (by e-mail or OIDC subject) in a tenant with a role. */
@Entity
@Table(name = "tenant_members")
public class TenantMemberEntity {
    @Id
    public UUID id;
    @Column(name = "tenant_id")
    public UUID tenantId;
    public String email;
    public String subject;
    /** ADMIN or MEMBER. */
    public String role;
    @Column(name = "created_at")
    public Instant createdAt;
}
