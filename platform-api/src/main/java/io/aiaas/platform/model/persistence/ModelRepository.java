package io.aiaas.platform.model.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Queries on {@code models}. */
@ApplicationScoped
public class ModelRepository implements PanacheRepositoryBase<ModelEntity, UUID> {

    /** The model of this name that is not deleted (a deleted model's name may be taken again). */
    public Optional<ModelEntity> findByName(String name) {
        return find("name = ?1 and deletedAt is null", name).firstResultOptional();
    }

    /**
     * The model row locked for update, unless it was deleted (found before, deleted by the time the lock is held):
     * serialises version numbering and changes per model, and nothing is added to a deleted model.
     */
    public Optional<ModelEntity> lock(UUID id) {
        ModelEntity model = findById(id);
        if (model == null) {
            return Optional.empty();
        }
        // refresh with the lock, not find with it: a model this transaction read before the wait would keep the state
        // read then, and a delete committed meanwhile would go unseen
        getEntityManager().refresh(model, LockModeType.PESSIMISTIC_WRITE);
        return Optional.of(model).filter(m -> m.deletedAt == null);
    }

    /** The models not deleted, by name. */
    public List<ModelEntity> listByName() {
        return list("deletedAt is null", Sort.by("name"));
    }
}
