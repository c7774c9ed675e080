package io.aiaas.platform.model.service;

import java.time.Instant;
import java.util.UUID;

/** Where a version is (being) loaded: the worker and the placement state PENDING, LOADING, READY or FAILED. */
public record PlacementView(UUID workerId, String workerName, String workerUrl, String workerStatus,
        Instant workerLastHeartbeatAt, String state, String reason, Instant updatedAt) {
}
