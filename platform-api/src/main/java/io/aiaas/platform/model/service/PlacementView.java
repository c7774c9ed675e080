package io.aiaas.platform.model.service;

import java.time.Instant;
import java.util.UUID;

/**
 * Where a version is placed or loaded: the worker, the state it reports (pending, loading, ready, failed with the
 * reason, evicted; {@code assigned} while the control plane placed it there and the worker has not reported it yet),
 * the memory it uses there, and whether the control plane wants it there ({@code assigned} false: being unloaded).
 */
public record PlacementView(UUID workerId, String workerName, String workerUrl, String workerStatus,
        boolean workerDraining, Instant workerLastHeartbeatAt, String state, String reason, long memoryBytes,
        boolean assigned, Instant updatedAt) {
}
