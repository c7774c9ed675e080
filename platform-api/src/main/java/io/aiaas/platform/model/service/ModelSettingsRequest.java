package io.aiaas.platform.model.service;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code PUT /api/v1/tenants/{slug}/models/{name}/settings}: {@code "version"} is a version number to pin calls that
 * name no version to, or {@code "latest"} to follow the newest version a worker serves.
 */
public record ModelSettingsRequest(@NotNull @Schema(required = true, implementation = Object.class, oneOf = {Integer.class, String.class},
        description = "A version number (a positive integer) or \"latest\"", examples = {"3", "latest"})
        JsonNode version) {
}
