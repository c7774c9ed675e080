package io.aiaas.platform.model.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Queries on {@code model_versions}, joined to {@code models} where visibility matters. */
@ApplicationScoped
public class ModelVersionRepository implements PanacheRepositoryBase<ModelVersionEntity, UUID> {

    private static final String VISIBLE = "(m.visibility = 'PUBLIC' or m.ownerTenantId = :tenant)";

    public List<ModelVersionEntity> listByModel(UUID modelId) {
        return list("modelId", Sort.by("version"), modelId);
    }

    public Optional<ModelVersionEntity> find(UUID modelId, int version) {
        return find("modelId = ?1 and version = ?2", modelId, version).firstResultOptional();
    }

    public int maxVersion(UUID modelId) {
        Integer max = getEntityManager()
                .createQuery("select max(v.version) from ModelVersionEntity v where v.modelId = :m", Integer.class)
                .setParameter("m", modelId)
                .getSingleResult();
        return max == null ? 0 : max;
    }

    /** READY versions of the models a tenant may call (public ones and its own private ones), with their models. */
    public List<Object[]> listReadyVisibleTo(UUID tenantId) {
        return getEntityManager().createQuery("select m, v from ModelEntity m, ModelVersionEntity v"
                        + " where v.modelId = m.id and v.status = 'READY' and " + VISIBLE
                        + " order by m.name, v.version", Object[].class)
                .setParameter("tenant", tenantId)
                .getResultList();
    }
}
