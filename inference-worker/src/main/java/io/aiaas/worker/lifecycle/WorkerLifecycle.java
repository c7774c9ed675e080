package io.aiaas.worker.lifecycle;

import io.aiaas.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether this worker should get traffic: the one place readiness is decided. With the control-plane link on, the
 * worker is ready once it is registered and a {@code desired} list has been settled once (every version in it READY,
 * EVICTED, or FAILED for a reason of its own: bad artifact or example, no room in the budget), and stays ready while
 * registered, also while it loads versions placed later. Draining (shutdown) makes it not ready for good.
 */
@ApplicationScoped
public class WorkerLifecycle {

    private final boolean linked;
    private final String name;
    private volatile boolean registered;
    private volatile boolean settled;
    private volatile boolean draining;

    public WorkerLifecycle(WorkerConfig config) {
        this.linked = config.controlPlane().enabled();
        this.name = config.name();
    }

    public String name() {
        return name;
    }

    public boolean ready() {
        return !draining && (!linked || (registered && settled));
    }

    /** Why not ready, in words; null when ready. */
    public String notReadyReason() {
        if (draining) {
            return "draining: the worker is shutting down";
        }
        if (!linked) {
            return null;
        }
        if (!registered) {
            return "not registered with the control plane";
        }
        if (!settled) {
            return "loading the model versions placed on it";
        }
        return null;
    }

    public boolean draining() {
        return draining;
    }

    /** New infer calls are refused from now on, and readiness is false. */
    public void startDraining() {
        draining = true;
    }

    public void registered(boolean registered) {
        this.registered = registered;
    }

    /** The versions of a desired list are all settled: ready from now on (while registered). */
    public void settled() {
        settled = true;
    }

    public boolean isSettled() {
        return settled;
    }

    /** Takes traffic again after a drain: only tests call this, to keep using the same application. */
    public void resume() {
        draining = false;
    }
}
