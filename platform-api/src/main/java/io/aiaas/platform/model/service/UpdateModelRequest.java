package io.aiaas.platform.model.service;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code PATCH /admin/v1/models/{name}}: what to change; an absent (or null) field stays as it is. An empty
 * description or owner_tenant clears it (a private model keeps needing an owner).
 */
public record UpdateModelRequest(
        @Size(max = 2000) String description,
        @Pattern(regexp = "public|private", message = "must be 'public' or 'private'") String visibility,
        @Size(max = 63) String ownerTenant) {
}
