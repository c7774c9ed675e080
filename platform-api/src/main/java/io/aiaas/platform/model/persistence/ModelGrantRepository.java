package io.aiaas.platform.model.persistence;

import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.model.service.GrantView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Rows of {@code model_grants}: the tenants a private model is shared with besides its owner. */
@ApplicationScoped
public class ModelGrantRepository {

    private static final String LIST = """
            SELECT t.slug, t.name, g.granted_at, g.granted_by FROM model_grants g JOIN tenants t ON t.id = g.tenant_id
            WHERE g.model_id = ? ORDER BY t.slug""";

    private final Jdbc jdbc;

    ModelGrantRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The model's grants, by tenant slug. */
    public List<GrantView> of(UUID modelId) {
        return jdbc.query(LIST, rs -> new GrantView(rs.getString(1), rs.getString(2), Jdbc.instant(rs, 3),
                rs.getString(4)), modelId);
    }

    /** Adds the grant unless it exists; whether it was added. */
    public boolean add(UUID modelId, UUID tenantId, String grantedBy) {
        return jdbc.update("INSERT INTO model_grants (model_id, tenant_id, granted_by) VALUES (?, ?, ?) "
                + "ON CONFLICT DO NOTHING", modelId, tenantId, grantedBy) > 0;
    }

    /** Removes the grant; whether there was one. */
    public boolean remove(UUID modelId, UUID tenantId) {
        return jdbc.update("DELETE FROM model_grants WHERE model_id = ? AND tenant_id = ?", modelId, tenantId) > 0;
    }
}
