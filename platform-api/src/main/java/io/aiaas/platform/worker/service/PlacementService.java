package io.aiaas.platform.worker.service;

import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.worker.WorkersConfig;
import io.aiaas.platform.worker.service.PlacementPlanner.Assignment;
import io.aiaas.platform.worker.service.PlacementPlanner.DeviceRequirement;
import io.aiaas.platform.worker.service.PlacementPlanner.Reported;
import io.aiaas.platform.worker.service.PlacementPlanner.Version;
import io.aiaas.platform.worker.service.PlacementPlanner.Worker;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Keeps {@code assignments} (which worker should hold which version) in step with the workers, the READY versions
 * and their models' placement policies. Every replica may plan; each plan runs in one transaction under one
 * PostgreSQL advisory lock, so plans never interleave and every replica answers heartbeats from the same table.
 */
@ApplicationScoped
public class PlacementService {

    private static final Logger LOG = Logger.getLogger(PlacementService.class);
    /** The advisory lock key of planning ("aiaasplc"): one number the whole cluster agrees on. */
    static final long LOCK = 0x616961617370_6c63L;
    private static final String LIVE_WORKERS = """
            SELECT id, name, device, host_memory_bytes, device_memory_bytes, draining FROM workers
            WHERE status = 'UP' AND last_heartbeat_at > now() - ? * interval '1 millisecond'""";
    private static final String READY_VERSIONS = """
            SELECT v.id, m.name, v.version, v.size_bytes, m.min_replicas, m.max_replicas, m.device_requirement
            FROM model_versions v JOIN models m ON m.id = v.model_id WHERE v.status = 'READY'""";
    private static final String CURRENT = "SELECT model_version_id, worker_id FROM assignments";
    private static final String REPORTED = "SELECT model_version_id, worker_id, state, memory_bytes FROM placements";
    private static final String DELETE = "DELETE FROM assignments WHERE model_version_id = ? AND worker_id = ?";
    private static final String INSERT = """
            INSERT INTO assignments (model_version_id, worker_id) VALUES (?, ?) ON CONFLICT DO NOTHING""";

    private final Jdbc jdbc;
    private final WorkersConfig config;
    private final PlacementPlanner planner;

    PlacementService(Jdbc jdbc, WorkersConfig config) {
        this.jdbc = jdbc;
        this.config = config;
        this.planner = new PlacementPlanner(config.defaultMaxReplicas(), config.memoryPerArtifactByte());
    }

    /** Plans now, waiting for a plan another replica is making; answers how many assignments changed. */
    public int plan() {
        return jdbc.inTransaction(c -> {
            Jdbc.query(c, "SELECT pg_advisory_xact_lock(?)", rs -> null, LOCK);
            return planLocked(c);
        });
    }

    /** {@link #plan()}, logging instead of failing: for callers whose own work is already done. */
    public void planQuietly() {
        try {
            plan();
        } catch (RuntimeException e) {
            LOG.warnf("placement could not be planned now (the next scheduled plan retries): %s", e.getMessage());
        }
    }

    /** The periodic plan: skipped when another replica is planning at this moment (its plan covers this one). */
    @Scheduled(every = "${aiaas.workers.placement-interval:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPlan() {
        try {
            jdbc.inTransaction(c -> {
                boolean locked = Jdbc.query(c, "SELECT pg_try_advisory_xact_lock(?)", rs -> rs.getBoolean(1), LOCK)
                        .get(0);
                return locked ? planLocked(c) : 0;
            });
        } catch (RuntimeException e) {
            LOG.warnf("scheduled placement failed: %s", e.getMessage());
        }
    }

    private int planLocked(Connection c) throws SQLException {
        List<Worker> workers = Jdbc.query(c, LIVE_WORKERS, rs -> new Worker(rs.getObject(1, UUID.class),
                rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getBoolean(6)),
                config.downAfter().toMillis());
        List<Version> versions = Jdbc.query(c, READY_VERSIONS, rs -> new Version(rs.getObject(1, UUID.class),
                rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getInt(5), (Integer) rs.getObject(6),
                DeviceRequirement.valueOf(rs.getString(7))));
        List<Assignment> current = Jdbc.query(c, CURRENT, rs -> new Assignment(rs.getObject(1, UUID.class),
                rs.getObject(2, UUID.class)));
        List<Reported> reported = Jdbc.query(c, REPORTED, rs -> new Reported(rs.getObject(1, UUID.class),
                rs.getObject(2, UUID.class), rs.getString(3), rs.getLong(4)));
        Set<Assignment> target = planner.plan(workers, versions, current, reported);
        Set<Assignment> gone = new HashSet<>(current);
        gone.removeAll(target);
        Set<Assignment> added = new HashSet<>(target);
        current.forEach(added::remove);
        batch(c, DELETE, gone);
        batch(c, INSERT, added);
        if (!gone.isEmpty() || !added.isEmpty()) {
            LOG.debugf("placement: %d assignment(s) added, %d removed", added.size(), gone.size());
        }
        return gone.size() + added.size();
    }

    private static void batch(Connection c, String sql, Set<Assignment> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (Assignment a : rows) {
                s.setObject(1, a.versionId());
                s.setObject(2, a.workerId());
                s.addBatch();
            }
            s.executeBatch();
        }
    }
}
