package io.aiaas.platform.common.database;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/**
 * Keeps the monthly partitions of usage_records ahead of time and stops the embedded server at shutdown.
 */
@ApplicationScoped
public class DatabaseLifecycle {

    private static final Logger LOG = Logger.getLogger(DatabaseLifecycle.class);
    /** The current month and the next two, so a missed daily run never leaves inserts without a partition. */
    static final int MONTHS_AHEAD = 3;

    @Inject
    EntityManager em;

    void onStart(@Observes StartupEvent event) {
        ensureUsagePartitions();
    }

    @Scheduled(cron = "{aiaas.usage.partition-cron:0 17 3 * * ?}", identity = "usage-partitions")
    @Transactional
    void ensureUsagePartitions() {
        em.createNativeQuery("SELECT CAST(aiaas_ensure_usage_partitions(now(), :months) AS text)")
                .setParameter("months", MONTHS_AHEAD)
                .getSingleResult();
        LOG.debug("usage_records partitions ensured");
    }

    // runs after the other shutdown observers (higher priority value = later), so the pool is idle by then
    void onStop(@Observes @Priority(10_000) ShutdownEvent event) {
        EmbeddedPostgresServer.stop();
    }
}
