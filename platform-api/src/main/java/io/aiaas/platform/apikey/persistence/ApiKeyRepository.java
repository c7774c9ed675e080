package io.aiaas.platform.apikey.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Queries on {@code api_keys}; every one is scoped to a tenant. */
@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKeyEntity, UUID> {

    public List<ApiKeyEntity> listByTenant(UUID tenantId) {
        return list("tenantId", Sort.by("createdAt").and("id"), tenantId);
    }

    public Optional<ApiKeyEntity> findInTenant(UUID tenantId, UUID id) {
        return find("tenantId = ?1 and id = ?2", tenantId, id).firstResultOptional();
    }

    /** {@link #findInTenant}, holding the row lock until the transaction ends. */
    public Optional<ApiKeyEntity> findInTenantForUpdate(UUID tenantId, UUID id) {
        return find("tenantId = ?1 and id = ?2", tenantId, id).withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }
}
