package io.aiaas.platform.model.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A model with its placement policy, all its versions and where they are placed, and the tenants it is shared with
 * besides its owner ({@code grants}; admin API).
 */
public record ModelDetail(UUID id, String name, String description, String visibility, String ownerTenant,
        Instant createdAt, Instant updatedAt, PlacementPolicyView placement, RolloutView rollout,
        List<VersionView> versions, List<GrantView> grants) {
}
