package io.aiaas.platform.usage.service;

import io.agroal.api.AgroalDataSource;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.persistence.Jdbc;
import io.aiaas.platform.billing.pricing.Pricing.Cost;
import io.aiaas.platform.usage.UsageConfig;
import io.aiaas.platform.usage.persistence.UsageBatchWriter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * Writes usage rows durably before the response leaves: writer threads ({@code aiaas.usage.writers}) collect the rows
 * of concurrent calls and commit them in batches, one transaction each ({@link UsageBatchWriter}: prices, counters,
 * roll-ups, lease settlements), and each call waits (bounded) for the commit of its own row. The first writer takes
 * rows as they come, so the rows that arrive while it writes make its next batch; the others start a batch only when
 * rows pile up ({@code aiaas.usage.helper-backlog}). Then, while one writer waits for PostgreSQL (its statements, its
 * commit), another builds and sends the next batch, so the database works on two batches at once; their transactions
 * lock shared rows only at the end, in one order (see UsageBatchWriter).
 *
 * <p>The answer always follows the database. A call that gives up waiting withdraws its row while the writer has not
 * sealed it yet; the writer seals a batch at the start of its transaction and writes only sealed rows. Once sealed, the
 * call can no longer withdraw it and waits for that commit's outcome, which the writer learns for certain (the commit
 * runs under a network timeout, and a commit whose outcome is unknown is looked up with {@code txid_status}). So a
 * call that answered 503 is never billed later, and a call that answered 2xx has its billable row.
 */
@ApplicationScoped
public class UsageRecorder {

    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);

    private static final String TX_STATUS = "SELECT txid_status(?)";
    // For rows whose commit outcome could not be learned while their call answered 503: make sure they never bill.
    private static final String UNBILL = """
            UPDATE usage_records SET billable = false, status_code = 503, error_code = 'usage_not_recorded'
            WHERE request_id = ANY (?)""";

    private static final String FORGET_IDEMPOTENT = "DELETE FROM idempotency_keys WHERE request_id = ANY (?)";
    // The stored cost of a row written before (the same call recorded twice).
    private static final String STORED_COST = """
            SELECT cost_request_nanos, cost_item_nanos, cost_compute_nanos, coalesce(price_request, 0),
                   coalesce(price_item, 0), coalesce(price_compute, 0)
            FROM usage_records WHERE request_id = ? AND started_at = ?""";

    private static final int QUEUED = 0;
    private static final int WRITING = 1;
    private static final int COMMITTING = 2;
    private static final int WITHDRAWN = 3;

    /** A row waiting for the writer, and the call waiting for the row (none for rows recorded in the background). */
    private record Pending(UsageRecord record, CompletableFuture<Cost> committed, AtomicInteger state) {
    }

    /** The rows a transaction is about to commit, their costs, and its id for looking up the outcome. */
    private record Sealed(long transactionId, List<Pending> committing, Cost[] costs) {

        void complete() {
            for (int i = 0; i < committing.size(); i++) {
                committing.get(i).committed().complete(costs[i]);
            }
        }
    }

    private final AgroalDataSource dataSource;
    private final UsageConfig config;
    private final BlockingQueue<Pending> queue;
    private final Set<UUID> toUnbill = ConcurrentHashMap.newKeySet();
    private final AtomicLong commits = new AtomicLong();
    private final Executor direct = Runnable::run;
    private final ScheduledThreadPoolExecutor timeouts = new ScheduledThreadPoolExecutor(1, task -> {
        Thread thread = new Thread(task, "aiaas-usage-timeouts");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean running;
    private final List<Thread> writers = new ArrayList<>();
    /** The writers after the first, which help only with a backlog (see {@link #writeLoop}). */
    private final List<Thread> helpers = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final UsageBatchWriter.Hooks hooks;

    UsageRecorder(AgroalDataSource dataSource, UsageConfig config, UsageHooks hooks) {
        timeouts.setRemoveOnCancelPolicy(true);
        this.dataSource = dataSource;
        this.config = config;
        this.hooks = hooks;
        this.queue = new ArrayBlockingQueue<>(config.maxQueued());
    }

    void start(@Observes StartupEvent event) {
        running = true;
        for (int i = 0; i < config.writers(); i++) {
            // with a backlog of 0 or 1 every writer takes rows as they come
            boolean first = i == 0 || config.helperBacklog() <= 1;
            Thread writer = new Thread(() -> writeLoop(first), "aiaas-usage-writer-" + i);
            writer.setDaemon(true);
            writers.add(writer);
            if (!first) {
                helpers.add(writer);
            }
            writer.start();
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        helpers.forEach(LockSupport::unpark); // all hands for what is still queued
        long deadline = System.nanoTime() + config.commitTimeout().toNanos();
        for (Thread writer : writers) {
            writer.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        timeouts.shutdownNow();
    }

    /**
     * Blocks until the row is committed, and answers what the call cost: {@link #recordAsync} and a wait.
     *
     * @throws ApiException 503 {@code usage_not_recorded} as {@link #recordAsync} fails
     */
    public Cost record(UsageRecord record) {
        try {
            return recordAsync(record).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof ApiException api ? api : e;
        }
    }

    /**
     * Queues the row and answers what the call cost once its row is committed (priced by the writer, in the
     * transaction that advances the tenant's period counters, so graduated tiers are exact across replicas). Nothing
     * waits on a thread: the stage completes on the writer's thread (or the timeout's), so callers continue elsewhere.
     *
     * <p>It fails with ApiException 503 {@code usage_not_recorded} when the row could not be committed within the
     * commit timeout; the row then does not exist and never will, so the caller answers an error and bills nothing. A
     * row the writer is already committing when the timeout runs out is not withdrawn: that commit's outcome decides.
     */
    public CompletableFuture<Cost> recordAsync(UsageRecord record) {
        Pending pending = enqueue(record);
        if (pending == null) {
            return CompletableFuture.failedFuture(notRecorded("the usage writer is not accepting rows", null));
        }
        CompletableFuture<Cost> answer = new CompletableFuture<>();
        Duration timeout = config.commitTimeout();
        ScheduledFuture<?> giveUp;
        try {
            giveUp = scheduleGiveUp(pending, answer, timeout);
        } catch (RejectedExecutionException e) {
            // stopping: the writers finish what is queued, so the commit still answers
            giveUp = null;
        }
        ScheduledFuture<?> timer = giveUp;
        pending.committed().whenComplete((cost, failure) -> {
            if (timer != null) {
                timer.cancel(false);
            }
            if (failure == null) {
                answer.complete(cost);
            } else {
                answer.completeExceptionally(notRecorded("the usage row could not be committed", failure));
            }
        });
        return answer;
    }

    private ScheduledFuture<?> scheduleGiveUp(Pending pending, CompletableFuture<Cost> answer, Duration timeout) {
        return timeouts.schedule(() -> {
            if (withdraw(pending)) {
                answer.completeExceptionally(notRecorded("the usage row was not committed within " + timeout, null));
                return;
            }
            // The writer is committing the row: that commit, not the clock, decides whether the row exists. It
            // answers within the commit's network timeout plus one read-back; should even that not come (a writer
            // stuck beyond every timeout), the call answers 503 and the row (if any) is unbilled, so it never bills.
            timeouts.schedule(() -> {
                if (answer.completeExceptionally(notRecorded("the outcome of the usage commit is not known yet",
                        null))) {
                    toUnbill.add(pending.record().requestId());
                }
            }, timeout.toMillis() * 4, TimeUnit.MILLISECONDS);
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Queues a row nobody waits for (the record of a call that is answered anyway, such as a 503 of this class). */
    public void recordInBackground(UsageRecord record) {
        if (enqueue(record) == null) {
            LOG.warnf("usage row of request %s dropped: the writer's queue is full", record.requestId());
        }
    }

    /**
     * Queues the row for the writers (null when they are stopping or the queue is full), and wakes the helping
     * writers once rows pile up (an unpark of a running thread only sets its permit).
     */
    private Pending enqueue(UsageRecord record) {
        Pending pending = new Pending(record, new CompletableFuture<>(), new AtomicInteger(QUEUED));
        if (!running || !queue.offer(pending)) {
            return null;
        }
        if (!helpers.isEmpty() && queue.size() >= config.helperBacklog()) {
            helpers.forEach(LockSupport::unpark);
        }
        return pending;
    }

    /** Transactions committed so far: with concurrent calls, far fewer than rows. */
    public long commits() {
        return commits.get();
    }

    /** Takes the row back unless the writer has sealed it; answers whether it did. */
    private static boolean withdraw(Pending pending) {
        return pending.state().compareAndSet(QUEUED, WITHDRAWN) || pending.state().compareAndSet(WRITING, WITHDRAWN);
    }

    private static ApiException notRecorded(String why, Throwable cause) {
        return ApiException.unavailable("usage_not_recorded",
                "The call could not be metered (" + why + "), so its result is withheld and nothing is billed; retry",
                cause);
    }

    /**
     * One writer's loop. The first writer waits for any row; a helper parks until {@link #enqueue} sees a
     * backlog (or 200 ms pass), and writes only while there is one, so that a trickle of rows makes bigger batches
     * on the first writer instead of more transactions.
     */
    private void writeLoop(boolean firstWriter) {
        List<Pending> batch = new ArrayList<>(config.maxBatch());
        while (running || !queue.isEmpty()) {
            try {
                unbillPending();
                Pending first;
                if (firstWriter || !running) {
                    first = queue.poll(200, TimeUnit.MILLISECONDS);
                } else if (queue.size() >= config.helperBacklog()) {
                    first = queue.poll();
                } else {
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(200));
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    continue;
                }
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, config.maxBatch() - 1);
                // Rows whose call gave up waiting are dropped here; the rest can no longer be withdrawn.
                batch.removeIf(p -> !p.state().compareAndSet(QUEUED, WRITING));
                if (!batch.isEmpty()) {
                    writeBatch(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // Never let a writer die (not even of an OutOfMemoryError): fail this batch, serve the next.
                LOG.error("usage writer failed a batch", e);
                batch.forEach(p -> p.committed().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void writeBatch(List<Pending> batch) {
        Sealed sealed;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                sealed = insertAndSeal(connection, batch);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                connection.setAutoCommit(true);
                failed(batch, e);
                return;
            }
            try {
                connection.setNetworkTimeout(direct, (int) config.commitTimeout().toMillis());
                connection.commit();
                commits.incrementAndGet();
                sealed.complete();
            } catch (SQLException e) {
                LOG.warnf("commit of %d usage rows failed or timed out (%s); looking up its outcome",
                        sealed.committing().size(), e.getMessage());
                settleUnknownOutcome(sealed);
            } finally {
                try {
                    connection.setNetworkTimeout(direct, 0);
                    connection.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // a broken connection is discarded by the pool
                }
            }
        } catch (SQLException e) {
            // No connection: nothing was sent, so nothing was written.
            failed(batch, e);
        }
    }

    /**
     * Seals the batch first (a call that has not withdrawn its row by now waits for this transaction's outcome), then
     * writes it: period counters, prices, rows, roll-ups, lease settlements and the hooks, in one transaction.
     */
    private Sealed insertAndSeal(Connection connection, List<Pending> batch) throws SQLException {
        // The statement timeout for this transaction and its id (to look up the outcome of a lost COMMIT), in one trip.
        long transactionId = Jdbc.query(connection, "SELECT txid_current(), set_config('statement_timeout', ?, true)",
                rs -> rs.getLong(1), Long.toString(config.commitTimeout().multipliedBy(2).toMillis())).get(0);
        List<Pending> committing = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            if (pending.state().compareAndSet(WRITING, COMMITTING)) {
                committing.add(pending);
            }
        }
        List<UsageRecord> rows = committing.stream().map(Pending::record).toList();
        Cost[] costs = rows.isEmpty() ? new Cost[0] : UsageBatchWriter.write(connection, rows, hooks);
        return new Sealed(transactionId, committing, costs);
    }

    /**
     * A failed insert (rolled back): with a value problem (SQLSTATE 22/23) only the offending row should fail, so the
     * rows are retried one by one; anything else fails the batch.
     */
    private void failed(List<Pending> batch, Exception e) {
        boolean valueProblem = e instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"));
        if (valueProblem && batch.size() > 1) {
            LOG.warnf("usage batch of %d failed (%s); retrying row by row", batch.size(), e.getMessage());
            for (Pending pending : batch) {
                // nothing was committed, so a sealed row may be withdrawn again until its own retry seals it
                pending.state().compareAndSet(COMMITTING, WRITING);
                if (pending.state().get() == WRITING) {
                    writeBatch(List.of(pending));
                }
            }
            return;
        }
        if (batch.size() == 1) {
            Pending only = batch.get(0);
            Cost stored = e instanceof SQLException sql && "23505".equals(sql.getSQLState()) ? storedCost(only) : null;
            if (stored != null) {
                // the same call recorded twice: it is stored (and counted) once, and answered with what it cost
                only.committed().complete(stored);
                return;
            }
            LOG.errorf("usage row %s could not be written: %s", only.record().requestId(), e.getMessage());
        }
        batch.forEach(p -> p.committed().completeExceptionally(e));
    }

    private Cost storedCost(Pending pending) {
        UsageRecord row = pending.record();
        try (Connection connection = dataSource.getConnection()) {
            List<Cost> stored = Jdbc.query(connection, STORED_COST, rs -> new Cost(rs.getLong(1), rs.getLong(2),
                    rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)), row.requestId(),
                    row.startedAt().truncatedTo(ChronoUnit.MICROS));
            return stored.isEmpty() ? null : stored.get(0);
        } catch (SQLException e) {
            LOG.debugf("looking up the stored usage row %s failed: %s", row.requestId(), e.getMessage());
            return null;
        }
    }

    /**
     * The commit's outcome is unknown (the connection broke or timed out during COMMIT): ask the server what became
     * of the transaction, waiting while it is still in progress, and answer each call by that.
     */
    private void settleUnknownOutcome(Sealed sealed) {
        List<Pending> committing = sealed.committing();
        long deadline = System.nanoTime() + config.commitTimeout().toNanos();
        String status = null;
        while (System.nanoTime() - deadline < 0) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setNetworkTimeout(direct, (int) config.commitTimeout().toMillis());
                status = Jdbc.query(connection, TX_STATUS, rs -> rs.getString(1), sealed.transactionId()).get(0);
                connection.setNetworkTimeout(direct, 0);
            } catch (SQLException e) {
                status = null;
            }
            if (status != null && !status.equals("in progress")) {
                break;
            }
            sleepQuietly(50);
        }
        if ("committed".equals(status)) {
            sealed.complete();
            return;
        }
        IllegalStateException notCommitted = new IllegalStateException("usage commit outcome: " + status);
        if (!"aborted".equals(status)) {
            // Still unknown: these calls answer 503, so make sure their rows (if any) never bill.
            LOG.errorf("outcome of a usage commit of %d rows is unknown; they will be unbilled when the database"
                    + " answers", committing.size());
            committing.forEach(p -> toUnbill.add(p.record().requestId()));
        }
        committing.forEach(p -> p.committed().completeExceptionally(notCommitted));
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void unbillPending() {
        if (toUnbill.isEmpty()) {
            return;
        }
        List<UUID> ids = List.copyOf(toUnbill);
        try (Connection connection = dataSource.getConnection()) {
            Jdbc.update(connection, UNBILL, new Jdbc.UuidArray(ids));
            // an answer stored for such a call is not what its client got: a retry must run again
            Jdbc.update(connection, FORGET_IDEMPOTENT, new Jdbc.UuidArray(ids));
            ids.forEach(toUnbill::remove);
        } catch (SQLException e) {
            LOG.debugf("unbilling %d usage rows failed again: %s", ids.size(), e.getMessage());
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback after a failed usage batch failed too", e);
        }
    }
}
