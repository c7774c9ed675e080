package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/** A model in the admin list: latest_version is its highest ready version, or null. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelSummary(UUID id, String name, String description, String visibility, String ownerTenant,
        Integer latestVersion, Instant createdAt, Instant updatedAt) {
}
