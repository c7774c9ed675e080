package io.aiaas.platform.dispatch;

import java.util.UUID;

/** A worker that holds a model version READY and is UP: somewhere a call may go. */
public record WorkerTarget(UUID id, String url, String device) {
}
