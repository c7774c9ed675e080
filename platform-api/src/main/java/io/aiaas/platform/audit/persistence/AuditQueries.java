package io.aiaas.platform.audit.persistence;

import io.aiaas.platform.common.persistence.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reads audit_log newest first, paged by id. */
@ApplicationScoped
public class AuditQueries {

    /** One entry; details is the stored JSON text. */
    public record Entry(long id, Instant at, String actor, String actorKind, UUID tenantId, String tenantSlug,
            String action, String targetType, String targetId, String details) {
    }

    /** What to read: null fields do not filter. {@code actionPrefix} matches the start of the action. */
    public record Filter(UUID tenantId, String action, String actionPrefix, Instant since, Instant until,
            Long before, int limit) {

        /** The same query, from another cursor (the entries older than {@code id}). */
        public Filter before(Long id) {
            return new Filter(tenantId, action, actionPrefix, since, until, id, limit);
        }
    }

    private final Jdbc jdbc;

    AuditQueries(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public List<Entry> page(Filter filter) {
        StringBuilder sql = new StringBuilder("""
                SELECT a.id, a.at, a.actor, a.actor_kind, a.tenant_id, t.slug, a.action, a.target_type,
                    a.target_id, CAST(a.details AS text)
                FROM audit_log a LEFT JOIN tenants t ON t.id = a.tenant_id WHERE true""");
        List<Object> params = new ArrayList<>();
        if (filter.tenantId() != null) {
            sql.append(" AND a.tenant_id = ?");
            params.add(filter.tenantId());
        }
        if (filter.action() != null) {
            sql.append(" AND a.action = ?");
            params.add(filter.action());
        }
        if (filter.actionPrefix() != null) {
            sql.append(" AND starts_with(a.action, ?)");
            params.add(filter.actionPrefix());
        }
        if (filter.since() != null) {
            sql.append(" AND a.at >= ?");
            params.add(filter.since());
        }
        if (filter.until() != null) {
            sql.append(" AND a.at < ?");
            params.add(filter.until());
        }
        if (filter.before() != null) {
            sql.append(" AND a.id < ?");
            params.add(filter.before());
        }
        sql.append(" ORDER BY a.id DESC LIMIT ?");
        params.add(filter.limit());
        return jdbc.query(sql.toString(), rs -> new Entry(rs.getLong(1), Jdbc.instant(rs, 2), rs.getString(3),
                rs.getString(4), rs.getObject(5, UUID.class), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getString(9), rs.getString(10)), params.toArray());
    }

    public java.util.Optional<UUID> tenantIdOf(String slug) {
        return jdbc.queryFirst("SELECT id FROM tenants WHERE slug = ?", rs -> rs.getObject(1, UUID.class), slug);
    }
}
