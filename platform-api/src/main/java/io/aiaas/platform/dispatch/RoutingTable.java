package io.aiaas.platform.dispatch;

import io.agroal.api.AgroalDataSource;
import io.aiaas.platform.worker.WorkersConfig;
import io.aiaas.platform.worker.service.WorkersChanged;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * This replica's picture of where each model version is READY on an UP worker. Requests read it from memory; it is
 * reloaded from PostgreSQL every {@code aiaas.gateway.routing-refresh} and after every heartbeat this replica
 * handles, so no request queries the database for routing.
 */
@ApplicationScoped
public class RoutingTable {

    private static final Logger LOG = Logger.getLogger(RoutingTable.class);
    // The heartbeat age condition keeps a silent worker out even before the sweeper marks it DOWN.
    private static final String LOAD = """
            SELECT p.model_version_id, w.id, w.url, w.device
            FROM placements p JOIN workers w ON w.id = p.worker_id
            WHERE p.state = 'READY' AND w.status = 'UP'
              AND w.last_heartbeat_at > now() - ? * interval '1 millisecond'""";

    private final AgroalDataSource dataSource;
    private final WorkersConfig workers;
    private volatile Map<UUID, List<WorkerTarget>> routes = Map.of();
    private volatile long lastLoadedNanos;
    private long lastLoadStartedNanos;

    RoutingTable(AgroalDataSource dataSource, WorkersConfig workers) {
        this.dataSource = dataSource;
        this.workers = workers;
    }

    /** The workers where the version is READY now; empty when none. */
    public List<WorkerTarget> readyWorkers(UUID modelVersionId) {
        return routes.getOrDefault(modelVersionId, List.of());
    }

    /** True when the table was loaded successfully within the last few seconds. */
    public boolean isFresh() {
        return lastLoadedNanos != 0 && System.nanoTime() - lastLoadedNanos < 5_000_000_000L;
    }

    void onStart(@Observes StartupEvent event) {
        refreshQuietly();
    }

    void onWorkersChanged(@Observes WorkersChanged event) {
        refreshQuietly();
    }

    @Scheduled(every = "${aiaas.gateway.routing-refresh:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRefresh() {
        refreshQuietly();
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (SQLException e) {
            // Keep serving the last known routes; a stale table is better than none for a second or two.
            LOG.warnf("routing table could not be reloaded: %s", e.getMessage());
        }
    }

    /**
     * Reloads the table; synchronized so that an older snapshot never replaces a newer one. A caller whose change
     * is already covered by a load that started after it asked returns at once, so a burst of heartbeats costs
     * one or two queries rather than one each.
     */
    public void refresh() throws SQLException {
        long asked = System.nanoTime();
        synchronized (this) {
            if (lastLoadStartedNanos - asked > 0) {
                return;
            }
            lastLoadStartedNanos = System.nanoTime();
            load();
        }
    }

    private void load() throws SQLException {
        Map<UUID, List<WorkerTarget>> loaded = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(LOAD)) {
            s.setLong(1, workers.downAfter().toMillis());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    loaded.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(new WorkerTarget(rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4)));
                }
            }
        }
        loaded.replaceAll((k, v) -> List.copyOf(v));
        routes = Map.copyOf(loaded);
        lastLoadedNanos = System.nanoTime();
    }
}
