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

    /**
     * What workers report, together with what the control plane assigned: a version assigned and not reported yet is
     * in state ASSIGNED; one reported and no longer assigned has assigned = false (the worker is letting go of it).
     */
    private static final String PLACED_OR_ASSIGNED = """
            SELECT COALESCE(r.model_version_id, a.model_version_id) AS model_version_id,
                   COALESCE(r.worker_id, a.worker_id) AS worker_id, COALESCE(r.state, 'ASSIGNED') AS state, r.reason,
                   COALESCE(r.updated_at, a.assigned_at) AS updated_at, COALESCE(r.memory_bytes, 0) AS memory_bytes,
                   a.worker_id IS NOT NULL AS assigned
            FROM placements r FULL JOIN assignments a
              ON a.model_version_id = r.model_version_id AND a.worker_id = r.worker_id""";
    private static final String REGISTER = """
            INSERT INTO workers (id, name, url, device, status, outstanding, registered_at, last_heartbeat_at,
                                 host_memory_bytes, device_memory_bytes, draining)
            VALUES (?, ?, ?, ?, 'UP', 0, now(), now(), ?, ?, false)
            ON CONFLICT (url) DO UPDATE SET name = EXCLUDED.name, device = EXCLUDED.device, status = 'UP',
                outstanding = 0, registered_at = now(), last_heartbeat_at = now(),
                host_memory_bytes = EXCLUDED.host_memory_bytes, device_memory_bytes = EXCLUDED.device_memory_bytes,
                draining = false
            RETURNING id""";
    // answers whether the worker was draining before: a worker that starts draining is planned around at once
    private static final String BEAT = """
            WITH before AS (SELECT draining FROM workers WHERE id = ?)
            UPDATE workers SET outstanding = ?, status = 'UP', last_heartbeat_at = now(), draining = ?
            WHERE id = ? AND status <> 'GONE' RETURNING (SELECT draining FROM before)""";
    // models not deleted only: a deleted model's name may belong to a new model, whose versions count from 1 again
    private static final String VERSIONS_BY_NAME = """
            SELECT m.name, v.version, v.id, v.sha256 FROM models m JOIN model_versions v ON v.model_id = m.id
            WHERE m.name = ANY (?) AND m.deleted_at IS NULL""";
    private static final String UPSERT_PLACEMENT = """
            INSERT INTO placements (id, model_version_id, worker_id, state, reason, memory_bytes, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, now())
            ON CONFLICT (model_version_id, worker_id) DO UPDATE SET state = EXCLUDED.state, reason = EXCLUDED.reason,
                memory_bytes = EXCLUDED.memory_bytes,
                updated_at = CASE WHEN placements.state = EXCLUDED.state THEN placements.updated_at ELSE now() END""";
    private static final String DROP_UNREPORTED = """
            DELETE FROM placements WHERE worker_id = ? AND NOT (model_version_id = ANY (?))""";
    private static final String DESIRED = """
            SELECT m.name, v.version, v.sha256, v.size_bytes, v.example_request::text
            FROM assignments a JOIN model_versions v ON v.id = a.model_version_id JOIN models m ON m.id = v.model_id
            WHERE a.worker_id = ? AND v.status = 'READY' ORDER BY m.name, v.version""";
    private static final String MARK_DOWN = """
            UPDATE workers SET status = 'DOWN'
            WHERE status = 'UP' AND last_heartbeat_at < now() - ? * interval '1 millisecond'""";
    private static final String LIST = """
            SELECT w.id, w.name, w.url, w.device, w.status, w.outstanding, w.registered_at, w.last_heartbeat_at,
                   m.name, v.version, p.state, p.reason, p.updated_at, w.draining, w.host_memory_bytes,
                   w.device_memory_bytes, p.memory_bytes, p.assigned
            FROM workers w
            LEFT JOIN (""" + PLACED_OR_ASSIGNED + """
            ) p ON p.worker_id = w.id
            LEFT JOIN model_versions v ON v.id = p.model_version_id
            LEFT JOIN models m ON m.id = v.model_id
            WHERE w.status <> 'GONE'
            ORDER BY w.name, w.url, m.name, v.version""";
    // The heartbeat age condition keeps a silent worker out even before the sweeper marks it DOWN; a draining
    // worker takes no new calls.
    private static final String READY = """
            SELECT p.model_version_id, w.id, w.url, w.device, w.name, p.state
            FROM placements p JOIN workers w ON w.id = p.worker_id
            WHERE p.state IN ('READY', 'EVICTED') AND w.status = 'UP' AND NOT w.draining
              AND w.last_heartbeat_at > now() - ? * interval '1 millisecond'""";
    private static final String PLACEMENTS_OF = """
            SELECT p.model_version_id, w.id, w.name, w.url, w.status, w.last_heartbeat_at, p.state, p.reason,
                   p.updated_at, p.memory_bytes, p.assigned, w.draining
            FROM (""" + PLACED_OR_ASSIGNED + """
            ) p JOIN workers w ON w.id = p.worker_id
            WHERE p.model_version_id = ANY (?) ORDER BY w.name, w.id""";

    /** Where a version is READY (or EVICTED: reloaded by the next call) on a live worker: a route for calls. */
    public record ReadyPlacement(UUID modelVersionId, UUID workerId, String workerUrl, String device,
            String workerName, boolean evicted) {
    }

    /** One placement of a model version on a worker, as the model admin view shows it (enum values lower case). */
    public record PlacementRow(UUID modelVersionId, UUID workerId, String workerName, String workerUrl,
            String workerStatus, Instant lastHeartbeatAt, String state, String reason, Instant updatedAt,
            long memoryBytes, boolean assigned, boolean workerDraining) {
    }

    private final Jdbc jdbc;
    private final WorkersConfig config;
    private final Event<WorkersChanged> changed;
    private final PlacementService placement;

    WorkerRegistry(Jdbc jdbc, WorkersConfig config, Event<WorkersChanged> changed, PlacementService placement) {
        this.jdbc = jdbc;
        this.config = config;
        this.changed = changed;
        this.placement = placement;
    }

    /**
     * Registers a worker under its identity id, or revives its row. Its placements are dropped: a (re)starting worker
     * holds nothing until its heartbeats say otherwise. Placement is planned again at once, so the answer to its
     * first heartbeat already lists what it should load.
     */
    public UUID register(UUID identityId, Registration registration) {
        long host = registration.memory() == null ? 0 : registration.memory().host();
        long device = registration.memory() == null ? 0 : registration.memory().device();
        UUID id = jdbc.inTransaction(c -> {
            // trust: the row id is the caller's identity id (see worker.enrolment.service.WorkerRows)
            WorkerRows.claimUrl(c, identityId, stripSlash(registration.url()), config.downAfter());
            UUID registered = Jdbc.query(c, REGISTER, rs -> rs.getObject(1, UUID.class), identityId,
                    registration.name(), stripSlash(registration.url()), registration.device(), host, device).get(0);
            Jdbc.update(c, "DELETE FROM placements WHERE worker_id = ?", registered);
            return registered;
        });
        changed.fire(new WorkersChanged("registered " + id));
        placement.planQuietly();
        return id;
    }

    /**
     * Forgets a worker (it is shutting down): its placements and assignments go, routing reloads, and its versions
     * are placed elsewhere. The row stays as GONE (not listed, no calls, no heartbeats) so that usage rows still name
     * the worker that served them. Answers false when it was not registered (already gone).
     */
    public boolean deregister(UUID workerId) {
        boolean removed = jdbc.inTransaction(c -> {
            if (Jdbc.update(c, "UPDATE workers SET status = 'GONE', draining = true, outstanding = 0"
                    + " WHERE id = ? AND status <> 'GONE'", workerId) == 0) {
                return false;
            }
            Jdbc.update(c, "DELETE FROM placements WHERE worker_id = ?", workerId);
            Jdbc.update(c, "DELETE FROM assignments WHERE worker_id = ?", workerId);
            return true;
        });
        if (removed) {
            changed.fire(new WorkersChanged("deregistered " + workerId));
            placement.planQuietly();
        }
        return removed;
    }

    /**
     * Records a heartbeat: the worker is UP, its placements are exactly the reported ones (versions the platform
     * does not know are ignored).
     *
     * @throws ApiException 404 {@code worker_not_found} when the id is not registered (the worker registers again)
     */
    public void heartbeat(UUID workerId, Heartbeat heartbeat) {
        List<ReportedPlacement> reported = heartbeat.placements() == null ? List.of() : heartbeat.placements();
        boolean draining = heartbeat.isDraining();
        boolean startedDraining = jdbc.inTransaction(c -> {
            List<Boolean> before = Jdbc.query(c, BEAT, rs -> rs.getBoolean(1), workerId, heartbeat.outstanding(),
                    draining, workerId);
            if (before.isEmpty()) {
                throw ApiException.notFound("worker_not_found", "worker " + workerId + " is not registered;"
                        + " register again");
            }
            Map<String, KnownVersion> known = knownVersions(c, reported);
            List<UUID> kept = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(UPSERT_PLACEMENT)) {
                for (ReportedPlacement p : reported) {
                    KnownVersion version = known.get(p.model() + "\u0000" + p.version());
                    // another file under the same name and number: a version of a deleted model, not this one
                    if (version == null || p.sha256() != null && !version.sha256().equalsIgnoreCase(p.sha256())) {
                        continue;
                    }
                    UUID versionId = version.id();
                    if (kept.contains(versionId)) {
                        continue;
                    }
                    kept.add(versionId);
                    s.setObject(1, UUID.randomUUID());
                    s.setObject(2, versionId);
                    s.setObject(3, workerId);
                    s.setString(4, p.state());
                    s.setString(5, p.reason());
                    s.setLong(6, p.memoryBytes() == null ? 0 : p.memoryBytes());
                    s.addBatch();
                }
                s.executeBatch();
            }
            Jdbc.update(c, DROP_UNREPORTED, workerId, new Jdbc.UuidArray(kept));
            return draining && !before.get(0);
        });
        changed.fire(new WorkersChanged("heartbeat " + workerId));
        if (startedDraining) {
            placement.planQuietly();
        }
    }

    private record KnownVersion(UUID id, String sha256) {
    }

    /** The versions of the reported models' names, keyed by name and number. */
    private static Map<String, KnownVersion> knownVersions(Connection c, List<ReportedPlacement> reported)
            throws SQLException {
        Map<String, KnownVersion> ids = new HashMap<>();
        if (reported.isEmpty()) {
            return ids;
        }
        Object[] names = reported.stream().map(ReportedPlacement::model).distinct().toArray();
        for (var row : Jdbc.query(c, VERSIONS_BY_NAME, rs -> Map.entry(rs.getString(1) + "\u0000" + rs.getInt(2),
                new KnownVersion(rs.getObject(3, UUID.class), rs.getString(4).strip())),
                c.createArrayOf("varchar", names))) {
            ids.put(row.getKey(), row.getValue());
        }
        return ids;
    }

    /**
     * The READY versions placed on this worker, each with its example request, if any. Workers download artifacts
     * only from the control plane they are configured with, so no URL is sent.
     */
    public List<DesiredVersion> desired(UUID workerId) {
        return jdbc.query(DESIRED, rs -> new DesiredVersion(rs.getString(1), rs.getInt(2), rs.getString(3).strip(),
                rs.getLong(4), rs.getString(5)), workerId);
    }

    /** Marks workers DOWN whose last heartbeat is older than {@code aiaas.workers.down-after}; returns how many. */
    public int markSilentWorkersDown() {
        int count = jdbc.update(MARK_DOWN, config.downAfter().toMillis());
        if (count > 0) {
            changed.fire(new WorkersChanged(count + " worker(s) went silent"));
            placement.planQuietly();
        }
        return count;
    }

    /** Where versions are READY on workers that are UP and heard from within {@code aiaas.workers.down-after}. */
    public List<ReadyPlacement> readyPlacements() {
        return jdbc.query(READY, rs -> new ReadyPlacement(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                rs.getString(3), rs.getString(4), rs.getString(5), "EVICTED".equals(rs.getString(6))),
                config.downAfter().toMillis());
    }

    /** The placements of the given versions, whatever their state. */
    public List<PlacementRow> placementsOf(Collection<UUID> versionIds) {
        if (versionIds.isEmpty()) {
            return List.of();
        }
        return jdbc.query(PLACEMENTS_OF, rs -> new PlacementRow(rs.getObject(1, UUID.class),
                rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4), lower(rs.getString(5)),
                Jdbc.instant(rs, 6), lower(rs.getString(7)), rs.getString(8), Jdbc.instant(rs, 9), rs.getLong(10),
                rs.getBoolean(11), rs.getBoolean(12)), new Jdbc.UuidArray(versionIds));
    }

    /** All workers with their placements, for operators. */
    public List<WorkerView> list() {
        Map<UUID, WorkerView> workers = new LinkedHashMap<>();
        jdbc.query(LIST, rs -> {
            UUID id = rs.getObject(1, UUID.class);
            WorkerView worker = workers.get(id);
            if (worker == null) {
                worker = new WorkerView(id, rs.getString(2), rs.getString(3), rs.getString(4), lower(rs.getString(5)),
                        rs.getInt(6), rs.getBoolean(14), rs.getLong(15), rs.getLong(16), Jdbc.instant(rs, 7),
                        Jdbc.instant(rs, 8), new ArrayList<>());
                workers.put(id, worker);
            }
            String model = rs.getString(9);
            if (model != null) {
                worker.placements().add(new PlacementView(model, rs.getInt(10), lower(rs.getString(11)),
                        rs.getString(12), rs.getLong(17), rs.getBoolean(18), Jdbc.instant(rs, 13)));
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
