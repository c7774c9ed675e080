package io.aiaas.platform.model.service;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotNull;

/**
 * {@code PUT /api/v1/tenants/{slug}/models/{name}/settings}: {@code "version"} is a version number to pin calls that
 * name no version to, or {@code "latest"} to follow the newest version a worker serves.
 */
public record ModelSettingsRequest(@NotNull JsonNode version) {
}
