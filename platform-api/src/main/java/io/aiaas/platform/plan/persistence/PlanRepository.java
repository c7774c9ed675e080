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
        return Optional.ofNullable(findById(id, LockModeType.PESSIMISTIC_WRITE));
    }

    /**
     * The plan row locked in share mode while a tenant is put on it: a concurrent currency change waits for the
     * assignment to commit, then sees it.
     */
    public Optional<PlanEntity> lockForShare(UUID id) {
        return Optional.ofNullable(findById(id, LockModeType.PESSIMISTIC_READ));
    }
}
