package io.aiaas.worker.inference;

import io.aiaas.engine.EngineUnavailableException;
import io.aiaas.engine.InferenceResult;
import io.aiaas.engine.LoadedModel;
import io.aiaas.engine.Tensor;
import io.aiaas.engine.TensorBatches;
import io.aiaas.engine.TensorSpec;
import io.aiaas.worker.model.ModelVersion;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Where the requests of one model version wait and run. Unbatched (batching off, or a model whose first dimension
 * is fixed), a request runs on its caller's thread once one of {@code queue-capacity} permits is free. Batched, it
 * joins a bounded queue drained by {@code instances} batcher threads, each of which stacks compatible requests
 * (same inputs, datatypes and non-batch dimensions, same outputs) along the first dimension, runs them once and
 * splits the outputs back. Either way a full queue refuses at once with {@link QueueFullException}.
 */
public final class ModelQueue implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelQueue.class);
    private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ModelVersion version;
    private final BatchSettings settings;
    private final boolean batched;
    private final Semaphore unbatchedPermits;
    private final LinkedBlockingQueue<Job> queue;
    private final List<Thread> batchers = new ArrayList<>();
    private final AtomicLong executions = new AtomicLong();
    private final AtomicLong requestsRun = new AtomicLong();
    private final Consumer<String> onExecuted;
    private volatile boolean closed;

    public ModelQueue(ModelVersion version, BatchSettings settings) {
        this(version, settings, device -> { });
    }

    /** @param onExecuted told the device of every run that returned outputs (a batch is one run) */
    public ModelQueue(ModelVersion version, BatchSettings settings, Consumer<String> onExecuted) {
        this.version = version;
        this.settings = settings;
        this.onExecuted = onExecuted;
        this.batched = settings.enabled() && batchable(version.model());
        if (batched) {
            this.unbatchedPermits = null;
            this.queue = new LinkedBlockingQueue<>(settings.queueCapacity());
            for (int i = 0; i < settings.instances(); i++) {
                Thread t = new Thread(this::drain, "batcher-" + version.key().name() + "-v" + version.key().version()
                        + "-" + i);
                t.setDaemon(true);
                batchers.add(t);
                t.start();
            }
        } else {
            this.unbatchedPermits = new Semaphore(settings.queueCapacity());
            this.queue = null;
        }
    }

    /** A model can be batched when every input and output has a known rank with a dynamic first dimension. */
    static boolean batchable(LoadedModel model) {
        List<TensorSpec> all = new ArrayList<>(model.signature().inputs());
        all.addAll(model.signature().outputs());
        return !all.isEmpty() && all.stream().allMatch(s -> s.rank() >= 1 && s.shape()[0] == -1);
    }

    /** Whether requests are batched here (settings on and a dynamic first dimension). */
    public boolean batched() {
        return batched;
    }

    public ModelVersion version() {
        return version;
    }

    /** Model runs attempted so far (one per batch, one per request run alone). */
    public long executions() {
        return executions.get();
    }

    /** Requests that reached a run so far, answered or failed (one cancelled or refused before is not counted). */
    public long requestsRun() {
        return requestsRun.get();
    }

    /** Requests waiting in the batching queue now (0 unbatched). */
    public int waiting() {
        return queue == null ? 0 : queue.size();
    }

    /** One caller's request; cancel it while it waits and it never runs. */
    public static final class Pending {
        private final CompletableFuture<InferenceResult> result;
        private final Runnable cancel;
        private final LongSupplier waitedNanos;

        Pending(CompletableFuture<InferenceResult> result, Runnable cancel, LongSupplier waitedNanos) {
            this.result = result;
            this.cancel = cancel;
            this.waitedNanos = waitedNanos;
        }

        public CompletableFuture<InferenceResult> result() {
            return result;
        }

        /** How long the request waited in the queue before its run started (0 unbatched, or while it waits). */
        public long waitedNanos() {
            return waitedNanos.getAsLong();
        }

        /** The caller gave up: a request still waiting is removed and never runs; a running one finishes unseen. */
        public void cancel() {
            cancel.run();
        }
    }

    /**
     * Checks the request against the model, then runs it: unbatched at once on this thread, batched by a batcher.
     *
     * @throws QueueFullException                  at once when the queue is full
     * @throws io.aiaas.engine.InvalidInputException when the request does not fit the model (it joined no batch)
     */
    public Pending submit(List<Tensor> inputs, Set<String> outputs) {
        if (!batched) {
            if (!unbatchedPermits.tryAcquire()) {
                throw new QueueFullException(version.key(), settings.queueCapacity());
            }
            try {
                CompletableFuture<InferenceResult> done = new CompletableFuture<>();
                try {
                    done.complete(runHeld(inputs, outputs));
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                } finally {
                    requestsRun.incrementAndGet();
                }
                return new Pending(done, () -> { }, () -> 0);
            } finally {
                unbatchedPermits.release();
            }
        }
        validate(inputs, outputs);
        Job job = new Job(inputs, outputs);
        if (closed || !queue.offer(job)) {
            if (closed) {
                throw new InferenceUnavailableException(version.key(), "it was unloaded meanwhile");
            }
            throw new QueueFullException(version.key(), settings.queueCapacity());
        }
        // The batchers may have stopped (version unloaded) after the check above and drained the queue already.
        if (closed && job.state.compareAndSet(Job.QUEUED, Job.CANCELLED)) {
            queue.remove(job);
            throw new InferenceUnavailableException(version.key(), "it was unloaded meanwhile");
        }
        return new Pending(job.future, () -> {
            if (job.state.compareAndSet(Job.QUEUED, Job.CANCELLED)) {
                queue.remove(job);
                job.future.cancel(false);
            }
        }, job::waitedNanos);
    }

    private void validate(List<Tensor> inputs, Set<String> outputs) {
        if (!version.acquire()) {
            throw new InferenceUnavailableException(version.key(), "it was unloaded meanwhile");
        }
        try {
            version.model().validate(inputs, outputs);
        } finally {
            version.release();
        }
    }

    private InferenceResult runHeld(List<Tensor> inputs, Set<String> outputs) {
        if (!version.acquire()) {
            throw new InferenceUnavailableException(version.key(), "it was unloaded meanwhile");
        }
        try {
            executions.incrementAndGet();
            InferenceResult result = version.model().run(inputs, outputs);
            onExecuted.accept(result.device());
            return result;
        } finally {
            version.release();
        }
    }

    /** One waiting request. */
    private static final class Job {
        static final int QUEUED = 0;
        static final int RUNNING = 1;
        static final int CANCELLED = 2;

        final List<Tensor> inputs;
        final Set<String> outputs;
        final CompletableFuture<InferenceResult> future = new CompletableFuture<>();
        final AtomicInteger state = new AtomicInteger(QUEUED);
        final long enqueuedNanos = System.nanoTime();
        /** The id of the call, for the log lines written while it waits and runs on a batcher thread. */
        final String requestId = RequestMdc.current();
        /** When its run started; 0 until then. */
        volatile long startedNanos;
        /** Rows along the first dimension; -1 when the request cannot share a run (inputs disagree on it). */
        final long rows;
        /** Requests with equal keys stack: input names, datatypes, non-batch dimensions, and the outputs asked. */
        final String key;

        Job(List<Tensor> inputs, Set<String> outputs) {
            this.inputs = inputs;
            this.outputs = outputs;
            long common = -1;
            StringBuilder k = new StringBuilder();
            List<Tensor> sorted = new ArrayList<>(inputs);
            sorted.sort(Comparator.comparing(Tensor::name));
            for (Tensor t : sorted) {
                long[] shape = t.shape();
                if (shape.length == 0 || (common >= 0 && shape[0] != common)) {
                    common = -2;
                    break;
                }
                common = shape[0];
                k.append(t.name()).append('\u0000').append(t.type()).append(Arrays.toString(
                        Arrays.copyOfRange(shape, 1, shape.length))).append('\u0000');
            }
            k.append(new java.util.TreeSet<>(outputs));
            this.rows = common < 1 ? -1 : common;
            this.key = k.toString();
        }

        boolean claim() {
            return state.compareAndSet(QUEUED, RUNNING);
        }

        long waitedNanos() {
            long started = startedNanos;
            return started == 0 ? 0 : Math.max(0, started - enqueuedNanos);
        }
    }

    private void drain() {
        long delayNanos = TimeUnit.MICROSECONDS.toNanos(settings.maxQueueDelayMicros());
        Set<Integer> preferred = Set.copyOf(settings.preferredBatchSizes());
        int max = settings.maxBatchSize();
        Job carry = null;
        while (!closed) {
            Job first;
            try {
                first = carry != null ? carry : queue.poll(IDLE_CHECK_NANOS, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                break;
            }
            carry = null;
            if (first == null) {
                if (stale()) {
                    closed = true;
                }
                continue;
            }
            if (!first.claim()) {
                continue;
            }
            List<Job> batch = new ArrayList<>();
            batch.add(first);
            long rows = first.rows;
            if (first.rows > 0) {
                long deadline = first.enqueuedNanos + delayNanos;
                while (rows < max) {
                    if (preferred.contains((int) rows) && queue.isEmpty()) {
                        break;
                    }
                    Job next;
                    long wait = deadline - System.nanoTime();
                    try {
                        next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        next = null;
                    }
                    if (next == null) {
                        break;
                    }
                    if (next.rows < 1 || !next.key.equals(first.key) || rows + next.rows > max) {
                        carry = next;
                        break;
                    }
                    if (next.claim()) {
                        batch.add(next);
                        rows += next.rows;
                    }
                }
            }
            long started = System.nanoTime();
            batch.forEach(j -> j.startedNanos = started);
            // the lines logged for a batch carry the ids of all its calls
            try (RequestMdc.Scope ids = RequestMdc.open(RequestMdc.joined(batch.stream().map(j -> j.requestId)
                    .toList()))) {
                try {
                    execute(batch, rows);
                    LOG.debugf("%s: ran %d call(s), %d row(s), in one run", version.key(), batch.size(), rows);
                } catch (Throwable e) {
                    // Never leave a caller waiting for ever; an Error here (out of memory while stacking) is passing.
                    LOG.errorf(e, "batch of %d on %s failed", batch.size(), version.key());
                    EngineUnavailableException failure = new EngineUnavailableException("the batch failed", e);
                    batch.forEach(j -> j.future.completeExceptionally(failure));
                }
            }
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        failWaiting(carry);
    }

    private void execute(List<Job> batch, long rows) {
        if (batch.size() == 1) {
            runAlone(batch.get(0));
            return;
        }
        if (!version.acquire()) {
            batch.forEach(j -> j.future.completeExceptionally(
                    new InferenceUnavailableException(version.key(), "it was unloaded meanwhile")));
            return;
        }
        List<List<Tensor>> split;
        InferenceResult result;
        boolean failed = false;
        try {
            Job first = batch.get(0);
            List<Tensor> stacked = new ArrayList<>(first.inputs.size());
            for (Tensor input : first.inputs) {
                List<Tensor> parts = new ArrayList<>(batch.size());
                for (Job job : batch) {
                    parts.add(job.inputs.stream().filter(t -> t.name().equals(input.name())).findFirst()
                            .orElseThrow());
                }
                stacked.add(TensorBatches.concat(input.name(), parts));
            }
            executions.incrementAndGet();
            result = version.model().run(stacked, first.outputs);
            onExecuted.accept(result.device());
            long[] blocks = batch.stream().mapToLong(j -> j.rows).toArray();
            split = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                split.add(new ArrayList<>());
            }
            for (Tensor output : result.outputs()) {
                List<Tensor> parts = TensorBatches.split(output, blocks);
                for (int i = 0; i < parts.size(); i++) {
                    split.get(i).add(parts.get(i));
                }
            }
        } catch (EngineUnavailableException e) {
            batch.forEach(j -> j.future.completeExceptionally(e));
            return;
        } catch (RuntimeException e) {
            // One member's values (or a model whose outputs do not follow the batch) failed the shared run:
            // run each alone below, so that only the faulty one fails.
            LOG.debugf("batch of %d on %s failed (%s); running its members one by one", batch.size(), version.key(),
                    e.getMessage());
            failed = true;
            split = null;
            result = null;
        } finally {
            version.release();
        }
        if (failed) {
            batch.forEach(this::runAlone);
            return;
        }
        requestsRun.addAndGet(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Job job = batch.get(i);
            // The run's compute time is shared by rows, so that the members' compute adds up to the run's.
            long share = result.computeNanos() * job.rows / rows;
            job.future.complete(new InferenceResult(split.get(i), share, result.device()));
        }
    }

    private void runAlone(Job job) {
        try (RequestMdc.Scope id = RequestMdc.open(job.requestId)) {
            job.future.complete(runHeld(job.inputs, job.outputs));
        } catch (RuntimeException e) {
            job.future.completeExceptionally(e);
        } finally {
            requestsRun.incrementAndGet();
        }
    }

    private void failWaiting(Job carry) {
        List<Job> left = new ArrayList<>();
        if (carry != null) {
            left.add(carry);
        }
        queue.drainTo(left);
        for (Job job : left) {
            if (job.claim()) {
                job.future.completeExceptionally(
                        new InferenceUnavailableException(version.key(), "it was unloaded meanwhile"));
            }
        }
    }

    /** Stops the batchers; requests still waiting get 503. */
    @Override
    public void close() {
        closed = true;
        batchers.forEach(Thread::interrupt);
    }

    /** Whether the version this queue serves was unloaded, so that the queue can be dropped. */
    boolean stale() {
        if (closed || !version.acquire()) {
            return true;
        }
        version.release();
        return false;
    }
}
