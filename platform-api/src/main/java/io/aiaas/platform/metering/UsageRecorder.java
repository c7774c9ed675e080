package io.aiaas.platform.metering;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Writes usage rows durably before the response leaves: one writer thread collects the rows of concurrent requests
 * and commits them in one JDBC batch, and each request waits (bounded) for the commit of its own batch.
 */
@ApplicationScoped
public class UsageRecorder {

    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);

    // Request ids are fresh UUIDs made by this control plane (RequestIds), so a conflict can only be the same row
    // written twice; DO NOTHING keeps it to one.
    static final String INSERT = """
            INSERT INTO usage_records (request_id, tenant_id, api_key_id, model_id, model_version_id, worker_id,
                model_name, model_version, endpoint, status_code, billable, item_count, compute_us, bytes_in, bytes_out,
                device, error_code, started_at, finished_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (request_id, started_at) DO NOTHING""";

    private static final int QUEUED = 0;
    private static final int WRITING = 1;
    private static final int ABANDONED = 2;

    /** A row waiting for the writer, and the request waiting for the row. */
    private record Pending(UsageRecord record, CompletableFuture<Void> committed, AtomicInteger state) {
    }

    private final AgroalDataSource dataSource;
    private final MeteringConfig config;
    private final BlockingQueue<Pending> queue;
    private final AtomicLong commits = new AtomicLong();
    private volatile boolean running;
    private Thread writer;

    UsageRecorder(AgroalDataSource dataSource, MeteringConfig config) {
        this.dataSource = dataSource;
        this.config = config;
        this.queue = new ArrayBlockingQueue<>(config.maxQueued());
    }

    void start(@Observes StartupEvent event) {
        running = true;
        writer = new Thread(this::writeLoop, "aiaas-usage-writer");
        writer.setDaemon(true);
        writer.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (writer != null) {
            writer.join(config.commitTimeout().toMillis());
        }
    }

    /**
     * Blocks until the row is committed.
     *
     *
     * @throws UsageNotRecordedException when the row could not be committed within the commit timeout; then the
     *     row is not written later either, so the caller may answer an error without billing for it
     */
    public void record(UsageRecord record) {
        Pending pending = new Pending(record, new CompletableFuture<>(), new AtomicInteger(QUEUED));
        if (!running || !queue.offer(pending)) {
            throw new UsageNotRecordedException("usage writer is not accepting rows", null);
        }
        Duration timeout = config.commitTimeout();
        try {
            pending.committed().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (pending.state().compareAndSet(QUEUED, ABANDONED)) {
                throw new UsageNotRecordedException("usage row was not committed within " + timeout, e);
            }
            // The writer already took the row: its commit is under way and decides whether the row exists, so the
            // answer must follow that commit rather than the clock.
            awaitCommitInProgress(pending, timeout);
        } catch (ExecutionException e) {
            throw new UsageNotRecordedException("usage row could not be committed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageNotRecordedException("interrupted while waiting for the usage commit", e);
        }
    }

    /** Transactions committed so far: with concurrent calls, far fewer than rows. */
    public long commits() {
        return commits.get();
    }

    private static void awaitCommitInProgress(Pending pending, Duration timeout) {
        try {
            pending.committed().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new UsageNotRecordedException("usage row could not be committed", e.getCause());
        } catch (TimeoutException e) {
            throw new UsageNotRecordedException("usage commit did not finish within " + timeout.multipliedBy(2), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UsageNotRecordedException("interrupted while waiting for the usage commit", e);
        }
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(config.maxBatch());
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, config.maxBatch() - 1);
                batch.removeIf(p -> !p.state().compareAndSet(QUEUED, WRITING));
                if (!batch.isEmpty()) {
                    writeBatch(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Never let the only writer die: fail this batch and keep serving the next ones.
                LOG.error("usage writer failed a batch", e);
                batch.forEach(p -> p.committed().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void writeBatch(List<Pending> batch) {
        try {
            insert(batch);
            batch.forEach(p -> p.committed().complete(null));
        } catch (SQLException e) {
            if (batch.size() == 1) {
                LOG.errorf(e, "usage row %s could not be written", batch.get(0).record().requestId());
                batch.get(0).committed().completeExceptionally(e);
                return;
            }
            // One bad row must not cost the others their answer: retry them one by one.
            LOG.warnf("usage batch of %d failed (%s); retrying row by row", batch.size(), e.getMessage());
            for (Pending pending : batch) {
                writeBatch(List.of(pending));
            }
        }
    }

    private void insert(List<Pending> batch) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
                    for (Pending pending : batch) {
                        bind(statement, pending.record());
                        statement.addBatch();
                    }
                    statement.executeBatch();
                }
                connection.commit();
                commits.incrementAndGet();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private static void bind(PreparedStatement s, UsageRecord r) throws SQLException {
        s.setObject(1, r.requestId());
        s.setObject(2, r.tenantId());
        setUuid(s, 3, r.apiKeyId());
        setUuid(s, 4, r.modelId());
        setUuid(s, 5, r.modelVersionId());
        setUuid(s, 6, r.workerId());
        s.setString(7, r.modelName());
        if (r.modelVersion() == null) {
            s.setNull(8, Types.INTEGER);
        } else {
            s.setInt(8, r.modelVersion());
        }
        s.setString(9, r.endpoint());
        s.setShort(10, (short) r.statusCode());
        s.setBoolean(11, r.billable());
        s.setInt(12, r.itemCount());
        s.setLong(13, r.computeUs());
        s.setLong(14, r.bytesIn());
        s.setLong(15, r.bytesOut());
        s.setString(16, r.device());
        s.setString(17, r.errorCode());
        s.setObject(18, utc(r.startedAt()));
        s.setObject(19, utc(r.finishedAt()));
    }

    private static void setUuid(PreparedStatement s, int index, UUID value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.OTHER);
        } else {
            s.setObject(index, value);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback after a failed usage batch failed too", e);
        }
    }
}
