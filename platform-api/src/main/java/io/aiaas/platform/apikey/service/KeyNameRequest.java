package io.aiaas.platform.apikey.service;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code PUT /api/v1/tenants/{slug}/keys/{id}/name}: the key's new name, as when it was issued (not blank, at
 * most 100 characters, stored trimmed).
 */
public record KeyNameRequest(@NotBlank @Size(max = 100) String name) {
}
