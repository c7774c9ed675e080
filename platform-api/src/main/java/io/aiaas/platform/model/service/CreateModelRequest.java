package io.aiaas.platform.model.service;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /admin/v1/models}; owner_tenant (a slug) is required for private models. */
public record CreateModelRequest(
        @NotNull
        @Pattern(regexp = ModelRefs.NAME_PATTERN,
                message = "must be 1-100 letters, digits, '_', '.' or '-', starting with a letter or digit")
        String name,
        @Size(max = 2000) String description,
        @NotNull @Pattern(regexp = "public|private", message = "must be 'public' or 'private'") String visibility,
        @Size(max = 63) String ownerTenant) {
}
