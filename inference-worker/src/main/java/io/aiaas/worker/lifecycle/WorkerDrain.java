package io.aiaas.worker.lifecycle;

import io.aiaas.worker.config.WorkerConfig;
import io.aiaas.worker.controlplane.ControlPlaneLink;
import io.aiaas.worker.inference.InferenceService;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Graceful shutdown. On SIGTERM Quarkus fires {@link ShutdownDelayInitiatedEvent} first
 * ({@code quarkus.shutdown.delay-enabled=true}), while HTTP still serves; the drain runs there: new infer calls get
 * 503 and readiness goes false, the worker deregisters ({@code DELETE /internal/v1/workers/{id}}), then waits for the
 * calls in flight and queued, up to {@code aiaas.worker.drain-timeout}. {@link ShutdownEvent} drains too, for a
 * shutdown without that phase; a second drain does nothing.
 *
 * <p>Both run inside the JVM's shutdown, though, and ONNX Runtime's Java binding registers a shutdown hook of its own
 * that releases the native environment; hooks run at the same time, so calls still being drained would run on a
 * released environment (seen: a Loop model's calls failing with "Attempt to use DefaultLogger but none has been
 * registered" around a SIGTERM). So SIGTERM and SIGINT are caught first ({@link #onSignal}): the drain runs, and only
 * then the signal's previous handler starts the JVM's shutdown as before.
 */
@ApplicationScoped
public class WorkerDrain {

    private static final Logger LOG = Logger.getLogger(WorkerDrain.class);
    private static final List<String> SIGNALS = List.of("TERM", "INT");

    private final WorkerLifecycle lifecycle;
    private final ControlPlaneLink link;
    private final InferenceService inference;
    private final Duration timeout;
    private boolean drained;

    public WorkerDrain(WorkerLifecycle lifecycle, ControlPlaneLink link, InferenceService inference,
                       WorkerConfig config) {
        this.lifecycle = lifecycle;
        this.link = link;
        this.inference = inference;
        this.timeout = config.drainTimeout();
    }

    /** Catches SIGTERM and SIGINT, so the drain finishes before any shutdown hook runs. */
    void installSignalHandlers(@Observes StartupEvent event) {
        for (String name : SIGNALS) {
            try {
                Signal signal = new Signal(name);
                AtomicReference<SignalHandler> previous = new AtomicReference<>();
                previous.set(Signal.handle(signal, caught -> onSignal(caught, previous.get())));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.debugf("no %s handler (%s): the drain runs in the shutdown hooks only", name, e.getMessage());
            }
        }
    }

    /** Drains, then hands the signal to the handler it replaced (the JVM's, which starts the shutdown). */
    public void onSignal(Signal signal, SignalHandler previous) {
        try {
            drain();
        } catch (RuntimeException e) {
            LOG.warnf(e, "draining on SIG%s failed; shutting down anyway", signal.getName());
        }
        forward(signal, previous);
    }

    static void forward(Signal signal, SignalHandler previous) {
        if (previous == null || previous == SignalHandler.SIG_DFL || previous == SignalHandler.SIG_IGN) {
            System.exit(128 + signal.getNumber());
        } else {
            previous.handle(signal);
        }
    }

    void onShutdownRequested(@Observes ShutdownDelayInitiatedEvent event) {
        drain();
    }

    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        drain();
    }

    /** What a drain did: calls still running when it gave up (0 when all finished) and whether it deregistered. */
    public record Outcome(int unfinished, boolean deregistered, long millis) {
    }

    /** Stops taking calls, deregisters, waits for the calls in flight; blocks up to the drain timeout. */
    public synchronized Outcome drain() {
        if (drained) {
            return new Outcome(inference.outstanding(), false, 0);
        }
        drained = true;
        long start = System.nanoTime();
        lifecycle.startDraining();
        LOG.infof("worker %s draining: no new calls, deregistering, waiting up to %d s for %d call(s) in flight",
                lifecycle.name(), timeout.toSeconds(), inference.outstanding());
        boolean deregistered = link.deregister(Duration.ofSeconds(5));
        long deadline = start + timeout.toNanos();
        while (inference.outstanding() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = inference.outstanding();
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (left > 0) {
            LOG.warnf("worker %s drain timed out after %d ms with %d call(s) still running", lifecycle.name(), millis, left);
        } else {
            LOG.infof("worker %s drained in %d ms", lifecycle.name(), millis);
        }
        return new Outcome(left, deregistered, millis);
    }

    /** Takes traffic and heartbeats again after {@link #drain()}: only tests call this. */
    public synchronized void resume() {
        drained = false;
        lifecycle.resume();
        link.resume();
    }
}
