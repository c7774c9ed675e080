package io.aiaas.platform.dispatch;

import io.aiaas.platform.worker.service.WorkerRegistry;
import io.aiaas.platform.worker.service.WorkersChanged;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * This replica's picture of where each model version is READY (or EVICTED) on an UP worker that is not draining.
 * Requests read it from memory; it is reloaded from PostgreSQL every {@code aiaas.dispatch.routing-refresh} and after
 * every heartbeat this replica handles, so no request queries the database for routing.
 */
@ApplicationScoped
public class RoutingTable {

    private static final Logger LOG = Logger.getLogger(RoutingTable.class);

    private final WorkerRegistry workers;
    private final WorkerHealth health;
    private volatile Map<UUID, List<WorkerTarget>> routes = Map.of();
    private volatile long lastLoadedNanos;
    private long lastLoadStartedNanos;

    RoutingTable(WorkerRegistry workers, WorkerHealth health) {
        this.workers = workers;
        this.health = health;
    }

    /** The workers where the version is READY or EVICTED now (ejected ones included); empty when none. */
    public List<WorkerTarget> readyWorkers(UUID modelVersionId) {
        return routes.getOrDefault(modelVersionId, List.of());
    }

    /** Whether a call naming no version could go to this version now: a live worker not ejected here holds it. */
    public boolean isServing(UUID modelVersionId) {
        return readyWorkers(modelVersionId).stream().anyMatch(w -> !health.isEjected(w.id()));
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

    @Scheduled(every = "${aiaas.dispatch.routing-refresh}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRefresh() {
        refreshQuietly();
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // Keep serving the last known routes; a stale table is better than none for a second or two.
            LOG.warnf("routing table could not be reloaded: %s", e.getMessage());
        }
    }

    /**
     * Reloads the table; synchronized so that an older snapshot never replaces a newer one. A caller whose change
     * is already covered by a load that started after it asked returns at once, so a burst of heartbeats costs
     * one or two queries rather than one each.
     */
    public void refresh() {
        long asked = System.nanoTime();
        synchronized (this) {
            if (lastLoadStartedNanos - asked > 0) {
                return;
            }
            lastLoadStartedNanos = System.nanoTime();
            load();
        }
    }

    private void load() {
        Map<UUID, List<WorkerTarget>> loaded = new HashMap<>();
        Map<UUID, WorkerTarget> present = new HashMap<>();
        for (WorkerRegistry.ReadyPlacement p : workers.readyPlacements()) {
            WorkerTarget target = new WorkerTarget(p.workerId(), p.workerUrl(), p.device(), p.workerName(),
                    p.evicted());
            loaded.computeIfAbsent(p.modelVersionId(), k -> new ArrayList<>()).add(target);
            present.putIfAbsent(p.workerId(), target);
        }
        loaded.replaceAll((k, v) -> List.copyOf(v));
        routes = Map.copyOf(loaded);
        lastLoadedNanos = System.nanoTime();
        health.retain(present.values());
    }
}
