package io.aiaas.platform.plan.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Queries on {@code plans}. */
@ApplicationScoped
public class PlanRepository implements PanacheRepositoryBase<PlanEntity, UUID> {

    public Optional<PlanEntity> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    public List<PlanEntity> listByName() {
        return listAll(Sort.by("name"));
    }

    /** The plan row locked for update: serialises edits of one plan (revision numbers, the currency lock). */
    public Optional<PlanEntity> lockForUpdate(UUID id) {
        return locked(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * The plan row locked in share mode while a tenant is put on it: a concurrent currency change waits for the
     * assignment to commit, then sees it.
     */
    public Optional<PlanEntity> lockForShare(UUID id) {
        return locked(id, LockModeType.PESSIMISTIC_READ);
    }

    /**
     * Refreshed with the lock, not found with it: a plan this transaction read before the wait (sign-up reads the
     * plan it offers) would keep the state read then, and an archive committed meanwhile would go unseen.
     */
    private Optional<PlanEntity> locked(UUID id, LockModeType mode) {
        PlanEntity plan = findById(id);
        if (plan != null) {
            getEntityManager().refresh(plan, mode);
        }
        return Optional.ofNullable(plan);
    }
}
