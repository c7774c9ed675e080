package io.aiaas.localstack.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures several targets side by side: they take turns (A, B, C, A, B, C, ...) of {@code round} requests each, so
 * noise from the rest of the machine lands on all of them alike. In a turn {@code concurrency} client threads share
 * the requests. Every loop is bounded by the request counts; nothing runs for a set time.
 */
public final class RoundRobin implements AutoCloseable {

    /**
     * What one target recorded: the successful latencies, the failures, its turns' wall time, and the CPU each group
     * of {@link CpuMeter} used during its turns (empty without a meter).
     */
    public record Measurement(String target, long[] nanos, int errors, long busyNanos, String firstError,
                              Map<String, Long> cpuNanos) {
    }

    private final int concurrency;
    private final CpuMeter cpu;
    private final ExecutorService pool;

    public RoundRobin(int concurrency) {
        this(concurrency, CpuMeter.NONE);
    }

    /** {@code cpu}: sampled before and after every measured turn, so each target is charged its own turns' CPU. */
    public RoundRobin(int concurrency, CpuMeter cpu) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        this.concurrency = concurrency;
        this.cpu = cpu;
        AtomicInteger counter = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "bench-client-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Warms every target up with {@code warmUp} requests (a failure there ends the run), then measures
     * {@code requests} requests per target in interleaved turns. Stops early, with an IllegalStateException naming
     * the target and its first error, once a target fails more than 1% of its requests (at least 5). The targets take
     * their turns in the order given, then in reverse, alternating.
     */
    public Map<String, Measurement> run(List<Target> targets, int warmUp, int requests, int round) {
        if (requests < 1 || round < 1 || warmUp < 0) {
            throw new IllegalArgumentException("need requests >= 1, round >= 1, warmUp >= 0");
        }
        warmUp(targets, warmUp);
        int maxErrors = Math.max(5, requests / 100);
        Map<String, Recorder> recorders = new LinkedHashMap<>();
        targets.forEach(t -> recorders.put(t.name(), new Recorder(requests)));
        boolean more = true;
        List<Target> reversed = new ArrayList<>(targets);
        Collections.reverse(reversed);
        for (int turnRound = 0; more; turnRound++) {
            more = false;
            // Every other round in reverse order, so that no target always follows the same one: the one after the
            // control plane would otherwise always start on a busy platform-api (its writer and GC still at work
            // from the previous turn) while the one after the worker starts on a rested one.
            for (Target target : turnRound % 2 == 0 ? targets : reversed) {
                Recorder recorder = recorders.get(target.name());
                int n = Math.min(round, requests - recorder.attempted);
                if (n <= 0) {
                    continue;
                }
                more = true;
                Map<String, Long> before = cpu.sample();
                recorder.busyNanos += turn(target, n, recorder);
                CpuMeter.since(before, cpu.sample()).forEach((group, spent) -> recorder.cpuNanos.merge(group, spent,
                        Long::sum));
                recorder.attempted += n;
                if (recorder.errors.get() > maxErrors) {
                    throw new IllegalStateException(target.name() + ": " + recorder.errors.get() + " of "
                            + recorder.attempted + " requests failed; first: " + recorder.firstError.get());
                }
            }
        }
        Map<String, Measurement> result = new LinkedHashMap<>();
        recorders.forEach((name, r) -> result.put(name, r.measurement(name)));
        return result;
    }

    /** {@code n} unmeasured calls per target, one target after the other; the first failure ends the run. */
    public void warmUp(List<Target> targets, int n) {
        for (Target target : targets) {
            Recorder recorder = new Recorder(n);
            turn(target, n, recorder);
            if (recorder.errors.get() > 0) {
                throw new IllegalStateException(target.name() + " failed during warm-up: " + recorder.firstError.get());
            }
        }
    }

    /** Runs {@code n} calls on the client threads and answers the turn's wall time in nanoseconds. */
    private long turn(Target target, int n, Recorder recorder) {
        if (n == 0) {
            return 0;
        }
        AtomicInteger left = new AtomicInteger(n);
        List<Callable<Void>> clients = new ArrayList<>();
        for (int i = 0; i < Math.min(concurrency, n); i++) {
            clients.add(() -> {
                while (left.getAndDecrement() > 0) {
                    long start = System.nanoTime();
                    try {
                        target.call();
                        recorder.add(System.nanoTime() - start);
                    } catch (RuntimeException e) {
                        recorder.error(e);
                    }
                }
                return null;
            });
        }
        long start = System.nanoTime();
        try {
            for (Future<Void> done : pool.invokeAll(clients)) {
                done.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring " + target.name(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(target.name() + ": client thread failed: " + e.getCause(), e.getCause());
        }
        return System.nanoTime() - start;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** Latencies of one target; client threads write distinct slots, read after invokeAll has returned. */
    private static final class Recorder {
        private final long[] nanos;
        private final AtomicInteger size = new AtomicInteger();
        private final AtomicInteger errors = new AtomicInteger();
        private final AtomicReference<String> firstError = new AtomicReference<>();
        private final Map<String, Long> cpuNanos = new LinkedHashMap<>();
        private int attempted;
        private long busyNanos;

        Recorder(int capacity) {
            nanos = new long[capacity];
        }

        void add(long latency) {
            nanos[size.getAndIncrement()] = latency;
        }

        void error(RuntimeException e) {
            errors.incrementAndGet();
            firstError.compareAndSet(null, String.valueOf(e.getMessage()));
        }

        Measurement measurement(String name) {
            return new Measurement(name, java.util.Arrays.copyOf(nanos, size.get()), errors.get(), busyNanos,
                    firstError.get(),
                    Collections.unmodifiableMap(new LinkedHashMap<>(cpuNanos)));
        }
    }
}
