package io.aiaas.platform.worker.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Marks workers DOWN when their heartbeats stop; every replica may run it, the UPDATE is idempotent. */
@ApplicationScoped
public class WorkerSweeper {

    private static final Logger LOG = Logger.getLogger(WorkerSweeper.class);

    private final WorkerRegistry registry;

    WorkerSweeper(WorkerRegistry registry) {
        this.registry = registry;
    }

    @Scheduled(every = "${aiaas.workers.sweep-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            int down = registry.markSilentWorkersDown();
            if (down > 0) {
                LOG.infof("%d worker(s) marked DOWN after missing heartbeats", down);
            }
        } catch (RuntimeException e) {
            LOG.warnf("worker sweep failed: %s", e.getMessage());
        }
    }
}
