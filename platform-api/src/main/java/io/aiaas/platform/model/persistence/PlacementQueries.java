package io.aiaas.platform.model.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Reads placements and their workers with plain SQL: those tables belong to the dispatch feature, the model admin
 * API only shows where each version is loaded.
 */
@ApplicationScoped
public class PlacementQueries {

    /** One placement of a model version on a worker. */
    public record PlacementRow(UUID modelVersionId, UUID workerId, String workerName, String workerUrl,
            String workerStatus, Instant lastHeartbeatAt, String state, String reason, Instant updatedAt) {
    }

    @Inject
    EntityManager em;

    @SuppressWarnings("unchecked")
    public List<PlacementRow> forVersions(Collection<UUID> versionIds) {
        if (versionIds.isEmpty()) {
            return List.of();
        }
        List<Object[]> rows = em.createNativeQuery("SELECT p.model_version_id, w.id, w.name, w.url, w.status,"
                        + " w.last_heartbeat_at, p.state, p.reason, p.updated_at"
                        + " FROM placements p JOIN workers w ON w.id = p.worker_id"
                        + " WHERE p.model_version_id IN (:ids) ORDER BY w.name, w.id")
                .setParameter("ids", versionIds)
                .getResultList();
        return rows.stream().map(r -> new PlacementRow((UUID) r[0], (UUID) r[1], (String) r[2], (String) r[3],
                (String) r[4], instant(r[5]), (String) r[6], (String) r[7], instant(r[8]))).toList();
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }
}
