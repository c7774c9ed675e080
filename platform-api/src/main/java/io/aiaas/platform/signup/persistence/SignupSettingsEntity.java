package io.aiaas.platform.signup.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The one row of {@code signup_settings}: the plan new tenants start on (null: sign-up closed) and the limit. */
@Entity
@Table(name = "signup_settings")
public class SignupSettingsEntity {
    @Id
    public Boolean id;
    @Column(name = "plan_id")
    public UUID planId;
    @Column(name = "max_tenants_per_person")
    public int maxTenantsPerPerson;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "updated_by")
    public String updatedBy;
}
