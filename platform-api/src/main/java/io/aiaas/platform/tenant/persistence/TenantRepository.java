package io.aiaas.platform.tenant.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Queries on {@code tenants}. */
@ApplicationScoped
public class TenantRepository implements PanacheRepositoryBase<TenantEntity, UUID> {

    public Optional<TenantEntity> findBySlug(String slug) {
        return find("slug", slug).firstResultOptional();
    }

    public List<TenantEntity> listBySlug() {
        return listAll(Sort.by("slug"));
    }
}
