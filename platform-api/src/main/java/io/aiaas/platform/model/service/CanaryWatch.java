package io.aiaas.platform.model.service;

import io.aiaas.platform.model.service.VisibleModels.Canary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Judges the calls a rollout sends to a canary that has an automatic rollback: in windows of
 * {@code rollback_window} calls, the canary is rolled back ({@link ModelRollouts#rollBack}) as soon as the failures of
 * the window reach {@code rollback_error_percent} of it. A failure is an answer of 500 or more other than
 * {@code worker_busy} (the worker failed to run the version, could not be reached or timed out, as the dispatcher
 * sees it); a client's mistake, a limit's refusal or a client gone (4xx) is not the version's doing and is not
 * judged. Each replica judges the calls it routed; the first to see the threshold rolls back for all. No HTTP, no
 * database on the call's path: the rollback runs on a thread of its own.
 */
@ApplicationScoped
public class CanaryWatch {

    private static final Logger LOG = Logger.getLogger(CanaryWatch.class);

    private final ModelRollouts rollouts;
    private final MeterRegistry registry;
    /** The window of each model's canary on this replica; replaced when the model has another canary. */
    private final Map<UUID, Window> windows = new ConcurrentHashMap<>();
    private final ExecutorService judging = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "aiaas-canary-rollback");
        thread.setDaemon(true);
        return thread;
    });

    CanaryWatch(ModelRollouts rollouts, MeterRegistry registry) {
        this.rollouts = rollouts;
        this.registry = registry;
    }

    void stop(@Observes ShutdownEvent event) {
        judging.shutdown();
    }

    /** The outcome of a call that the rollout of {@code model} sent to its {@code canary}. */
    public void observe(UUID modelId, String model, Canary canary, int status, String errorCode) {
        Integer percent = canary.rollbackErrorPercent();
        if (percent == null) {
            return;
        }
        boolean failed = status >= 500 && !"worker_busy".equals(errorCode);
        if (!failed && status >= 400) {
            return;
        }
        Window window = windows.compute(modelId, (id, w) -> w != null && w.judges(canary) ? w : new Window(canary));
        int[] tripped = window.add(failed, percent, canary.rollbackWindow());
        if (tripped != null) {
            judging.execute(() -> rollBack(window, model, canary, tripped[0], tripped[1]));
        }
    }

    private void rollBack(Window window, String model, Canary canary, int calls, int failures) {
        try {
            if (rollouts.rollBack(model, canary.version(), canary.since(), calls, failures,
                    canary.rollbackErrorPercent())) {
                LOG.warnf("model %s: canary version %d rolled back, %d of %d calls of its window failed", model,
                        canary.version(), failures, calls);
                registry.counter("aiaas_canary_rollbacks_total", "model", model).increment();
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "model %s: canary version %d could not be rolled back; judged again from its next calls",
                    model, canary.version());
            window.reopen();
        }
    }

    /** The calls of one canary's current window on this replica. */
    private static final class Window {
        private final int version;
        private final Instant since;
        private int calls;
        private int failures;
        private boolean tripped;

        Window(Canary canary) {
            this.version = canary.version();
            this.since = canary.since();
        }

        boolean judges(Canary canary) {
            return version == canary.version() && since.equals(canary.since());
        }

        /** Counts a call; answers {calls, failures} once when the window fails the canary, else null. */
        synchronized int[] add(boolean failed, int percent, int size) {
            if (tripped) {
                return null;
            }
            calls++;
            if (failed) {
                failures++;
            }
            if ((long) failures * 100 >= (long) percent * size) {
                tripped = true;
                return new int[] {calls, failures};
            }
            if (calls >= size) {
                calls = 0;
                failures = 0;
            }
            return null;
        }

        synchronized void reopen() {
            tripped = false;
            calls = 0;
            failures = 0;
        }
    }
}
