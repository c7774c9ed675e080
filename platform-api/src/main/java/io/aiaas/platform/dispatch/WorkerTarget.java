package io.aiaas.platform.dispatch;

import java.util.UUID;

/**
 * A worker that holds a model version and is UP: somewhere a call may go. {@code evicted}: the version was unloaded
 * there to make room and the call would load it again first (a cold start), so such a worker ranks after the others.
 */
public record WorkerTarget(UUID id, String url, String device, String name, boolean evicted) {

    /** A worker holding the version loaded. */
    public WorkerTarget(UUID id, String url, String device) {
        this(id, url, device, url, false);
    }
}
