package io.aiaas.platform.tenant.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /**
     * Tenants by slug, after the slug {@code after} (null: from the first), with the status (ACTIVE, SUSPENDED,
     * CLOSED; null: any) and whose slug or name holds {@code text} whatever its case (null: any), at most
     * {@code limit}.
     */
    public List<TenantEntity> search(String status, String text, String after, int limit) {
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (status != null) {
            where.append(" and status = :status");
            params.put("status", status);
        }
        if (text != null) {
            where.append(" and (lower(slug) like :text escape '\\' or lower(name) like :text escape '\\')");
            params.put("text", "%" + text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%");
        }
        if (after != null) {
            where.append(" and slug > :after");
            params.put("after", after);
        }
        return find(where.toString(), Sort.by("slug"), params).page(0, limit).list();
    }

    /**
     * Whether the tenant is closed, with its row share-locked until the transaction ends, for what adds to a tenant
     * after an access check made in an earlier transaction (a key): a close, which takes the row for update, either
     * waits for the addition (and revokes it with the rest) or has committed and is seen here. Not for a transaction
     * that goes on to lock the row for update itself: two that upgrade a shared lock at once deadlock.
     */
    public boolean closedShareLocked(UUID id) {
        Object status = getEntityManager().createNativeQuery("SELECT status FROM tenants WHERE id = ?1 FOR SHARE")
                .setParameter(1, id).getSingleResult();
        return "CLOSED".equals(status);
    }
}
