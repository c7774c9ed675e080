package io.aiaas.platform.signup.persistence;

import io.aiaas.platform.common.persistence.Jdbc;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** The sign-up settings row and what the per-person limit counts. */
@ApplicationScoped
public class SignupRepository implements PanacheRepositoryBase<SignupSettingsEntity, Boolean> {

    private final Jdbc jdbc;

    SignupRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The settings (the migration inserts the row). */
    public SignupSettingsEntity settings() {
        return findById(Boolean.TRUE);
    }

    /** The settings row locked for update: serialises admins changing it. */
    public SignupSettingsEntity lockSettings() {
        return findById(Boolean.TRUE, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Holds, until the transaction ends, a lock that only this person's sign-ups take: two sign-ups of one person
     * (two tabs, two replicas) run one after the other, so the second counts the first's tenant.
     */
    public void lockPerson(String subject) {
        jdbc.queryFirst("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))::text", rs -> rs.getString(1),
                "signup:" + subject);
    }

    /** How many tenants this person created by signing up. */
    public long tenantsSignedUpBy(String subject) {
        return jdbc.queryFirst("SELECT count(*) FROM tenants WHERE signed_up_by = ?", rs -> rs.getLong(1), subject)
                .orElse(0L);
    }
}
