package io.aiaas.platform.model.service;

import java.time.Instant;
import java.util.UUID;

/** A model in the admin list: latest_version is the highest READY version number, or null. */
public record ModelView(UUID id, String name, String description, String visibility, String ownerTenant,
        Integer latestVersion, Instant createdAt, Instant updatedAt) {
}
