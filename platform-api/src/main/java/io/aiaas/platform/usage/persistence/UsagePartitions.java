package io.aiaas.platform.usage.persistence;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/** Keeps the monthly partitions of usage_records ahead of time, at start and daily. */
@ApplicationScoped
public class UsagePartitions {

    private static final Logger LOG = Logger.getLogger(UsagePartitions.class);
    /** The current month and the next two, so a missed daily run never leaves inserts without a partition. */
    static final int MONTHS_AHEAD = 3;

    private final EntityManager em;

    UsagePartitions(EntityManager em) {
        this.em = em;
    }

    void onStart(@Observes StartupEvent event) {
        ensure();
    }

    @Scheduled(cron = "{aiaas.usage.partition-cron}", identity = "usage-partitions")
    @Transactional
    void ensure() {
        em.createNativeQuery("SELECT CAST(aiaas_ensure_usage_partitions(now(), :months) AS text)")
                .setParameter("months", MONTHS_AHEAD)
                .getSingleResult();
        LOG.debug("usage_records partitions ensured");
    }
}
