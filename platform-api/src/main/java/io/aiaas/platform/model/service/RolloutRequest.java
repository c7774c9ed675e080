package io.aiaas.platform.model.service;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

/**
 * {@code PUT /admin/v1/models/{name}/rollout}: replaces the model's rollout ({@link RolloutView}); an absent field is
 * null. {@code canary_version} and {@code canary_percent} come together or not at all; {@code canary_by} (default
 * {@code call}) and {@code rollback_error_percent} only with a canary, {@code rollback_window} (default
 * {@value #DEFAULT_WINDOW}) only with a rollback percent; {@code shadow_version} and {@code shadow_percent} together,
 * the shadow neither the stable version nor the canary.
 */
public record RolloutRequest(
        @Min(1) Integer stableVersion,
        @Min(1) Integer canaryVersion,
        @Min(1) @Max(99) Integer canaryPercent,
        @Pattern(regexp = "call|tenant", message = "must be call or tenant") String canaryBy,
        @Min(1) @Max(100) Integer rollbackErrorPercent,
        @Min(10) @Max(100_000) Integer rollbackWindow,
        @Min(1) Integer shadowVersion,
        @Min(1) @Max(100) Integer shadowPercent) {

    /** The calls judged together when the request names no window. */
    public static final int DEFAULT_WINDOW = 100;
}
