package io.aiaas.platform.model.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A model version as the admin API shows it: status ready or retired, its signature, warm-up, example request and
 * answer, its sunset ({@code deprecation}, null when none) and where it is placed.
 */
public record VersionView(UUID id, String model, int version, String status, String statusReason, String sha256,
        long sizeBytes, SignatureView signature, WarmupView warmup, ExampleView example, Instant createdAt,
        Instant retiredAt, DeprecationView deprecation, List<PlacementView> placements) {
}
