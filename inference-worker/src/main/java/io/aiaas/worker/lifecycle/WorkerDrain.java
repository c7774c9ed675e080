package io.aiaas.worker.lifecycle;

import io.aiaas.worker.config.WorkerConfig;
import io.aiaas.worker.controlplane.ControlPlaneLink;
import io.aiaas.worker.inference.InferenceService;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Graceful shutdown. On SIGTERM Quarkus fires {@link ShutdownDelayInitiatedEvent} first
 * ({@code quarkus.shutdown.delay-enabled=true}), while HTTP still serves; the drain runs there: new infer calls get
 * 503 and readiness goes false, the worker deregisters ({@code DELETE /internal/v1/workers/{id}}), then waits for the
 * calls in flight and queued, up to {@code aiaas.worker.drain-timeout}. {@link ShutdownEvent} drains too, for a
 * shutdown without that phase; a second drain does nothing.
 */
@ApplicationScoped
public class WorkerDrain {

    private static final Logger LOG = Logger.getLogger(WorkerDrain.class);

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
