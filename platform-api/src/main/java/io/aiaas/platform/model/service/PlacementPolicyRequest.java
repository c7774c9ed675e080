package io.aiaas.platform.model.service;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

/**
 * {@code PUT /admin/v1/models/{name}/placement}: replaces the model's placement policy; an absent field takes its
 * default (min 1, max the configured default, device any).
 */
public record PlacementPolicyRequest(
        @Min(0) @Max(1000) Integer minReplicas,
        @Min(1) @Max(1000) Integer maxReplicas,
        @Pattern(regexp = "gpu|cpu|any", message = "must be gpu, cpu or any") String device) {
}
