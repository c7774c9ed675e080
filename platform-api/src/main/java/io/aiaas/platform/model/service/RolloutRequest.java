package io.aiaas.platform.model.service;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * {@code PUT /admin/v1/models/{name}/rollout}: replaces the model's rollout ({@link RolloutView}); an absent field is
 * null. {@code canary_version} and {@code canary_percent} come together or not at all.
 */
public record RolloutRequest(
        @Min(1) Integer stableVersion,
        @Min(1) Integer canaryVersion,
        @Min(1) @Max(99) Integer canaryPercent) {
}
