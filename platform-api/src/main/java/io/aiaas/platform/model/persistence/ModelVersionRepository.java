package io.aiaas.platform.model.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Queries on {@code model_versions}. Which versions a tenant may call is decided by VisibleModels alone. */
@ApplicationScoped
public class ModelVersionRepository implements PanacheRepositoryBase<ModelVersionEntity, UUID> {

    /** The versions of a model, in numeric order. */
    public List<ModelVersionEntity> listByModel(UUID modelId) {
        return list("modelId", Sort.by("version"), modelId);
    }

    public Optional<ModelVersionEntity> find(UUID modelId, int version) {
        return find("modelId = ?1 and version = ?2", modelId, version).firstResultOptional();
    }

    /** A retired version is no longer what the model's deprecated versions tell callers to move to. */
    public void forgetSuccessor(UUID modelId, int version) {
        update("successorVersion = null where modelId = ?1 and successorVersion = ?2", modelId, version);
    }

    public int maxVersion(UUID modelId) {
        Integer max = getEntityManager()
                .createQuery("select max(v.version) from ModelVersionEntity v where v.modelId = :m", Integer.class)
                .setParameter("m", modelId)
                .getSingleResult();
        return max == null ? 0 : max;
    }
}
