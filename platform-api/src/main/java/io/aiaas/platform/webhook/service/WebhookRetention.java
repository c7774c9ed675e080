package io.aiaas.platform.webhook.service;

import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.webhook.WebhookConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Bounds the webhook delivery history: once an hour each replica deletes the finished deliveries (DELIVERED or
 * FAILED) queued longer than {@code aiaas.webhooks.retention} ago, oldest first, a batch per statement, so no
 * transaction holds many rows and a replica that stops midway leaves a consistent table. A pending delivery is never
 * deleted; a repeat of a deleted delivery stays, no longer linked to it. Replicas sweeping at once skip each other's
 * rows (SKIP LOCKED). No HTTP in here.
 */
@ApplicationScoped
public class WebhookRetention {

    private static final Logger LOG = Logger.getLogger(WebhookRetention.class);
    static final Duration MIN_RETENTION = Duration.ofDays(1);
    static final int BATCH = 5_000;

    private static final String DELETE_BATCH = """
            DELETE FROM webhook_deliveries WHERE id IN (
                SELECT id FROM webhook_deliveries
                WHERE state <> 'PENDING' AND created_at < ?
                ORDER BY created_at LIMIT ?
                FOR UPDATE SKIP LOCKED)""";

    private final Jdbc jdbc;
    private final Duration retention;

    WebhookRetention(Jdbc jdbc, WebhookConfig config) {
        this.jdbc = jdbc;
        this.retention = checked(config.retention());
    }

    /** The setting, refused when it would keep less than a day (a bare number is seconds, not days). */
    static Duration checked(Duration retention) {
        if (retention.isNegative() || !retention.isZero() && retention.compareTo(MIN_RETENTION) < 0) {
            throw new IllegalArgumentException("aiaas.webhooks.retention is " + retention + ": 0 keeps webhook"
                    + " deliveries for ever, otherwise at least a day is kept (write days as 90d)");
        }
        return retention;
    }

    /** Created at start, so that a wrong setting stops platform-api then, not at the first hourly run. */
    void onStart(@Observes StartupEvent event) {
        LOG.debugf("webhook deliveries kept %s", retention.isZero() ? "for ever" : retention);
    }

    @Scheduled(every = "1h", delayed = "1m", identity = "webhook-retention",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void hourly() {
        if (!retention.isZero()) {
            try {
                int deleted = deleteQueuedBefore(Instant.now().minus(retention), BATCH);
                if (deleted > 0) {
                    LOG.infof("deleted %d webhook deliveries queued more than %s ago", deleted, retention);
                }
            } catch (RuntimeException e) {
                LOG.warnf("webhook deliveries not expired now (%s); the next run tries again", e.getMessage());
            }
        }
    }

    /**
     * Deletes the finished deliveries queued before {@code cutoff}, {@code batch} rows per statement (each its own
     * transaction) until none is left.
     *
     * @return how many were deleted
     */
    public int deleteQueuedBefore(Instant cutoff, int batch) {
        int total = 0;
        int deleted;
        do {
            deleted = jdbc.update(DELETE_BATCH, Jdbc.utc(cutoff), batch);
            total += deleted;
        } while (deleted == batch && !Thread.currentThread().isInterrupted());
        return total;
    }
}
