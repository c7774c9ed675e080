package io.aiaas.platform.worker.service;

import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.worker.WorkersConfig;
import io.aiaas.platform.worker.enrolment.service.WorkerRows;
import io.aiaas.platform.worker.service.WorkerViews.DesiredVersion;
import io.aiaas.platform.worker.service.WorkerViews.Heartbeat;
import io.aiaas.platform.worker.service.WorkerViews.PlacementView;
import io.aiaas.platform.worker.service.WorkerViews.Registration;
import io.aiaas.platform.worker.service.WorkerViews.ReportedPlacement;
import io.aiaas.platform.worker.service.WorkerViews.WorkerView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Owns {@code workers} and {@code placements}: keeps them in step with what the workers report, and answers where
 * each model version is loaded (for routing and for the model admin view). Plain JDBC: these statements run on every
 * heartbeat of every worker and need no entity model.
 */
@ApplicationScoped
public class WorkerRegistry {

    private static final String REGISTER = """
            INSERT INTO workers (id, name, url, device, status, outstanding, registered_at, last_heartbeat_at)
            VALUES (?, ?, ?, ?, 'UP', 0, now(), now())
            ON CONFLICT (url) DO UPDATE SET name = EXCLUDED.name, device = EXCLUDED.device, status = 'UP',
                outstanding = 0, registered_at = now(), last_heartbeat_at = now()
            RETURNING id""";
    private static final String BEAT = """
            UPDATE workers SET outstanding = ?, status = 'UP', last_heartbeat_at = now() WHERE id = ?""";
    private static final String VERSIONS_BY_NAME = """
            SELECT m.name, v.version, v.id FROM models m JOIN model_versions v ON v.model_id = m.id
            WHERE m.name = ANY (?)""";
    private static final String UPSERT_PLACEMENT = """
            INSERT INTO placements (id, model_version_id, worker_id, state, reason, updated_at)
            VALUES (?, ?, ?, ?, ?, now())
            ON CONFLICT (model_version_id, worker_id) DO UPDATE SET state = EXCLUDED.state, reason = EXCLUDED.reason,
                updated_at = CASE WHEN placements.state = EXCLUDED.state THEN placements.updated_at ELSE now() END""";
    private static final String DROP_UNREPORTED = """
            DELETE FROM placements WHERE worker_id = ? AND NOT (model_version_id = ANY (?))""";
    private static final String DESIRED = """
            SELECT m.name, v.version, v.sha256, v.size_bytes, v.example_request::text
            FROM model_versions v JOIN models m ON m.id = v.model_id
            WHERE v.status = 'READY' ORDER BY m.name, v.version""";
    private static final String MARK_DOWN = """
            UPDATE workers SET status = 'DOWN'
            WHERE status = 'UP' AND last_heartbeat_at < now() - ? * interval '1 millisecond'""";
    private static final String LIST = """
            SELECT w.id, w.name, w.url, w.device, w.status, w.outstanding, w.registered_at, w.last_heartbeat_at,
                   m.name, v.version, p.state, p.reason, p.updated_at
            FROM workers w
            LEFT JOIN placements p ON p.worker_id = w.id
            LEFT JOIN model_versions v ON v.id = p.model_version_id
            LEFT JOIN models m ON m.id = v.model_id
            ORDER BY w.name, w.url, m.name, v.version""";
    // The heartbeat age condition keeps a silent worker out even before the sweeper marks it DOWN.
    private static final String READY = """
            SELECT p.model_version_id, w.id, w.url, w.device
            FROM placements p JOIN workers w ON w.id = p.worker_id
            WHERE p.state = 'READY' AND w.status = 'UP'
              AND w.last_heartbeat_at > now() - ? * interval '1 millisecond'""";
    private static final String PLACEMENTS_OF = """
            SELECT p.model_version_id, w.id, w.name, w.url, w.status, w.last_heartbeat_at, p.state, p.reason,
                   p.updated_at
            FROM placements p JOIN workers w ON w.id = p.worker_id
            WHERE p.model_version_id = ANY (?) ORDER BY w.name, w.id""";

    /** Where a version is READY on a live worker: a route for calls. */
    public record ReadyPlacement(UUID modelVersionId, UUID workerId, String workerUrl, String device) {
    }

    /** One placement of a model version on a worker, as the model admin view shows it (enum values lower case). */
    public record PlacementRow(UUID modelVersionId, UUID workerId, String workerName, String workerUrl,
            String workerStatus, Instant lastHeartbeatAt, String state, String reason, Instant updatedAt) {
    }

    private final Jdbc jdbc;
    private final WorkersConfig config;
    private final Event<WorkersChanged> changed;

    WorkerRegistry(Jdbc jdbc, WorkersConfig config, Event<WorkersChanged> changed) {
        this.jdbc = jdbc;
        this.config = config;
        this.changed = changed;
    }

    /**
     * Registers a worker under its identity id, or revives its row. Its placements are dropped: a (re)starting worker
     * holds nothing until its heartbeats say otherwise.
     */
    public UUID register(UUID identityId, Registration registration) {
        UUID id = jdbc.inTransaction(c -> {
            // trust: the row id is the caller's identity id (see worker.enrolment.service.WorkerRows)
            WorkerRows.claimUrl(c, identityId, stripSlash(registration.url()), config.downAfter());
            UUID registered = Jdbc.query(c, REGISTER, rs -> rs.getObject(1, UUID.class), identityId,
                    registration.name(), stripSlash(registration.url()), registration.device()).get(0);
            Jdbc.update(c, "DELETE FROM placements WHERE worker_id = ?", registered);
            return registered;
        });
        changed.fire(new WorkersChanged("registered " + id));
        return id;
    }

    /**
     * Records a heartbeat: the worker is UP, its placements are exactly the reported ones (versions the platform
     * does not know are ignored).
     *
     * @throws ApiException 404 {@code worker_not_found} when the id is not registered (the worker registers again)
     */
    public void heartbeat(UUID workerId, Heartbeat heartbeat) {
        List<ReportedPlacement> reported = heartbeat.placements() == null ? List.of() : heartbeat.placements();
        jdbc.inTransaction(c -> {
            if (Jdbc.update(c, BEAT, heartbeat.outstanding(), workerId) == 0) {
                throw ApiException.notFound("worker_not_found", "worker " + workerId + " is not registered;"
                        + " register again");
            }
            Map<String, UUID> versionIds = versionIds(c, reported);
            List<UUID> kept = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(UPSERT_PLACEMENT)) {
                for (ReportedPlacement p : reported) {
                    UUID versionId = versionIds.get(p.model() + "\u0000" + p.version());
                    if (versionId == null || kept.contains(versionId)) {
                        continue;
                    }
                    kept.add(versionId);
                    s.setObject(1, UUID.randomUUID());
                    s.setObject(2, versionId);
                    s.setObject(3, workerId);
                    s.setString(4, p.state());
                    s.setString(5, p.reason());
                    s.addBatch();
                }
                s.executeBatch();
            }
            Jdbc.update(c, DROP_UNREPORTED, workerId, new Jdbc.UuidArray(kept));
            return null;
        });
        changed.fire(new WorkersChanged("heartbeat " + workerId));
    }

    private static Map<String, UUID> versionIds(Connection c, List<ReportedPlacement> reported) throws SQLException {
        Map<String, UUID> ids = new HashMap<>();
        if (reported.isEmpty()) {
            return ids;
        }
        Object[] names = reported.stream().map(ReportedPlacement::model).distinct().toArray();
        for (var row : Jdbc.query(c, VERSIONS_BY_NAME, rs -> Map.entry(rs.getString(1) + "\u0000" + rs.getInt(2),
                rs.getObject(3, UUID.class)), c.createArrayOf("varchar", names))) {
            ids.put(row.getKey(), row.getValue());
        }
        return ids;
    }

    /**
     * Every READY version (all of them, for now) with its example request, if any. Workers download artifacts only
     * from the control plane they are configured with, so no URL is sent.
     */
    public List<DesiredVersion> desired() {
        return jdbc.query(DESIRED, rs -> new DesiredVersion(rs.getString(1), rs.getInt(2), rs.getString(3).strip(),
                rs.getLong(4), rs.getString(5)));
    }

    /** Marks workers DOWN whose last heartbeat is older than {@code aiaas.workers.down-after}; returns how many. */
    public int markSilentWorkersDown() {
        int count = jdbc.update(MARK_DOWN, config.downAfter().toMillis());
        if (count > 0) {
            changed.fire(new WorkersChanged(count + " worker(s) went silent"));
        }
        return count;
    }

    /** Where versions are READY on workers that are UP and heard from within {@code aiaas.workers.down-after}. */
    public List<ReadyPlacement> readyPlacements() {
        return jdbc.query(READY, rs -> new ReadyPlacement(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                rs.getString(3), rs.getString(4)), config.downAfter().toMillis());
    }

    /** The placements of the given versions, whatever their state. */
    public List<PlacementRow> placementsOf(Collection<UUID> versionIds) {
        if (versionIds.isEmpty()) {
            return List.of();
        }
        return jdbc.query(PLACEMENTS_OF, rs -> new PlacementRow(rs.getObject(1, UUID.class),
                rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4), lower(rs.getString(5)),
                Jdbc.instant(rs, 6), lower(rs.getString(7)), rs.getString(8), Jdbc.instant(rs, 9)),
                new Jdbc.UuidArray(versionIds));
    }

    /** All workers with their placements, for operators. */
    public List<WorkerView> list() {
        Map<UUID, WorkerView> workers = new LinkedHashMap<>();
        jdbc.query(LIST, rs -> {
            UUID id = rs.getObject(1, UUID.class);
            WorkerView worker = workers.get(id);
            if (worker == null) {
                worker = new WorkerView(id, rs.getString(2), rs.getString(3), rs.getString(4), lower(rs.getString(5)),
                        rs.getInt(6), Jdbc.instant(rs, 7), Jdbc.instant(rs, 8), new ArrayList<>());
                workers.put(id, worker);
            }
            String model = rs.getString(9);
            if (model != null) {
                worker.placements().add(new PlacementView(model, rs.getInt(10), lower(rs.getString(11)),
                        rs.getString(12), Jdbc.instant(rs, 13)));
            }
            return id;
        });
        return List.copyOf(workers.values());
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    // the public APIs spell enum values in lower case; the database and the worker protocol in upper case
    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(Locale.ROOT);
    }
}
