package io.aiaas.platform.idempotency.service;

import io.aiaas.platform.idempotency.persistence.IdempotencyRepository;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Deletes expired idempotency keys. Expired keys are already ignored by {@link IdempotencyKeys#begin}; this only
 * bounds the table. Every replica may run it: the DELETE is idempotent and skips keys replaced meanwhile.
 */
@ApplicationScoped
public class IdempotencySweeper {

    private static final Logger LOG = Logger.getLogger(IdempotencySweeper.class);
    /** Rows per DELETE, so that one sweep never holds many row locks or a long transaction. */
    static final int SLICE = 5000;

    private final IdempotencyRepository repository;

    IdempotencySweeper(IdempotencyRepository repository) {
        this.repository = repository;
    }

    @Scheduled(cron = "{aiaas.idempotency.sweep-cron}", identity = "idempotency-sweep",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledSweep() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warnf("idempotency key sweep failed: %s", e.getMessage());
        }
    }

    /** Deletes every expired key; answers how many. */
    public long sweep() {
        long total = 0;
        int deleted;
        do {
            deleted = repository.sweep(SLICE);
            total += deleted;
        } while (deleted == SLICE);
        if (total > 0) {
            LOG.debugf("%d expired idempotency key(s) deleted", total);
        }
        return total;
    }
}
