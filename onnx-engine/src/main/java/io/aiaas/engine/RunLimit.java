package io.aiaas.engine;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds one ONNX Runtime run: a shared timer sets the run's terminate flag when the limit passes, and ONNX Runtime
 * stops between kernels; {@link #fired()} then tells the caller why the run failed.
 */
final class RunLimit implements AutoCloseable {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "onnx-run-limit");
        t.setDaemon(true);
        return t;
    });

    private final OrtSession.RunOptions options;
    private final ScheduledFuture<?> alarm;
    private final AtomicBoolean fired = new AtomicBoolean();

    private RunLimit(OrtSession.RunOptions options, Duration limit) {
        this.options = options;
        this.alarm = options == null ? null : TIMER.schedule(this::terminate, limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A limit for one run; {@code limit} null means none (the run gets no options). */
    static RunLimit start(Duration limit) throws OrtException {
        return limit == null ? new RunLimit(null, null) : new RunLimit(new OrtSession.RunOptions(), limit);
    }

    /** The options to pass to {@code OrtSession.run}; null without a limit, which ONNX Runtime accepts. */
    OrtSession.RunOptions options() {
        return options;
    }

    private void terminate() {
        synchronized (this) {
            if (alarm != null && !alarm.isCancelled()) {
                try {
                    options.setTerminate(true);
                    fired.set(true);
                } catch (OrtException e) {
                    // the run ends on its own; nothing to stop
                }
            }
        }
    }

    /** True when the limit passed and the run was told to stop. */
    boolean fired() {
        return fired.get();
    }

    @Override
    public void close() {
        if (options == null) {
            return;
        }
        synchronized (this) {
            alarm.cancel(false);
            options.close();
        }
    }
}
