package io.aiaas.platform.model.service;

/**
 * A model's placement policy as the admin API shows it: {@code max_replicas} null means the configured default
 * ({@code aiaas.workers.default-max-replicas}; 0 there: every eligible worker); {@code device} gpu, cpu or any.
 */
public record PlacementPolicyView(int minReplicas, Integer maxReplicas, String device) {
}
