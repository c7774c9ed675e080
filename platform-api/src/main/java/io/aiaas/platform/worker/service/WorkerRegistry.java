package io.aiaas.platform.worker.service;

import io.agroal.api.AgroalDataSource;
import io.aiaas.platform.worker.WorkersConfig;
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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Keeps {@code workers} and {@code placements} in step with what the workers report. Plain JDBC: these statements
 * run on every heartbeat of every worker and need no entity model.
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
            SELECT m.name, v.version, v.sha256, v.size_bytes FROM model_versions v JOIN models m ON m.id = v.model_id
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

    private final AgroalDataSource dataSource;
    private final WorkersConfig config;
    private final Event<WorkersChanged> changed;

    WorkerRegistry(AgroalDataSource dataSource, WorkersConfig config, Event<WorkersChanged> changed) {
        this.dataSource = dataSource;
        this.config = config;
        this.changed = changed;
    }

    /**
     * Registers a worker, or revives the row of the same URL. Its placements are dropped: a (re)starting worker
     * holds nothing until its heartbeats say otherwise.
     */
    public UUID register(Registration registration) {
        UUID id;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement s = c.prepareStatement(REGISTER)) {
                    s.setObject(1, UUID.randomUUID());
                    s.setString(2, registration.name());
                    s.setString(3, stripSlash(registration.url()));
                    s.setString(4, registration.device());
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        id = rs.getObject(1, UUID.class);
                    }
                }
                try (PreparedStatement s = c.prepareStatement("DELETE FROM placements WHERE worker_id = ?")) {
                    s.setObject(1, id);
                    s.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("worker registration failed: " + e.getMessage(), e);
        }
        changed.fire(new WorkersChanged("registered " + id));
        return id;
    }

    /**
     * Records a heartbeat: the worker is UP, its placements are exactly the reported ones (versions the platform
     * does not know are ignored).
     *
     * @throws UnknownWorkerException when the id is not registered
     */
    public void heartbeat(UUID workerId, Heartbeat heartbeat) {
        List<ReportedPlacement> reported = heartbeat.placements() == null ? List.of() : heartbeat.placements();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement s = c.prepareStatement(BEAT)) {
                    s.setInt(1, heartbeat.outstanding());
                    s.setObject(2, workerId);
                    if (s.executeUpdate() == 0) {
                        throw new UnknownWorkerException(workerId);
                    }
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
                try (PreparedStatement s = c.prepareStatement(DROP_UNREPORTED)) {
                    s.setObject(1, workerId);
                    s.setArray(2, c.createArrayOf("uuid", kept.toArray()));
                    s.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("heartbeat could not be recorded: " + e.getMessage(), e);
        }
        changed.fire(new WorkersChanged("heartbeat " + workerId));
    }

    private static Map<String, UUID> versionIds(Connection c, List<ReportedPlacement> reported) throws SQLException {
        Map<String, UUID> ids = new HashMap<>();
        if (reported.isEmpty()) {
            return ids;
        }
        Object[] names = reported.stream().map(ReportedPlacement::model).distinct().toArray();
        try (PreparedStatement s = c.prepareStatement(VERSIONS_BY_NAME)) {
            s.setArray(1, c.createArrayOf("varchar", names));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getString(1) + "\u0000" + rs.getInt(2), rs.getObject(3, UUID.class));
                }
            }
        }
        return ids;
    }

    /** Every READY version (all of them, for now), with the URL to download it from. */
    public List<DesiredVersion> desired(String baseUrl) {
        String base = stripSlash(config.artifactBaseUrl().orElse(baseUrl));
        List<DesiredVersion> desired = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(DESIRED);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(1);
                int version = rs.getInt(2);
                desired.add(new DesiredVersion(name, version, rs.getString(3).strip(), rs.getLong(4),
                        base + "/internal/v1/artifacts/" + name + "/" + version));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("desired versions could not be read: " + e.getMessage(), e);
        }
        return desired;
    }

    /** Marks workers DOWN whose last heartbeat is older than {@code aiaas.workers.down-after}; returns how many. */
    public int markSilentWorkersDown() {
        int count;
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(MARK_DOWN)) {
            s.setLong(1, config.downAfter().toMillis());
            count = s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not mark silent workers down: " + e.getMessage(), e);
        }
        if (count > 0) {
            changed.fire(new WorkersChanged(count + " worker(s) went silent"));
        }
        return count;
    }

    /** All workers with their placements, for operators. */
    public List<WorkerView> list() {
        Map<UUID, WorkerView> workers = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(LIST);
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                UUID id = rs.getObject(1, UUID.class);
                WorkerView worker = workers.get(id);
                if (worker == null) {
                    worker = new WorkerView(id, rs.getString(2), rs.getString(3), rs.getString(4), lower(rs.getString(5)),
                            rs.getInt(6), instant(rs, 7), instant(rs, 8), new ArrayList<>());
                    workers.put(id, worker);
                }
                String model = rs.getString(9);
                if (model != null) {
                    worker.placements().add(new PlacementView(model, rs.getInt(10), lower(rs.getString(11)),
                            rs.getString(12), instant(rs, 13)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("workers could not be listed: " + e.getMessage(), e);
        }
        return List.copyOf(workers.values());
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    // the public APIs spell enum values in lower case; the database and the worker protocol in upper case
    private static String lower(String value) {
        return value == null ? null : value.toLowerCase(java.util.Locale.ROOT);
    }
}
