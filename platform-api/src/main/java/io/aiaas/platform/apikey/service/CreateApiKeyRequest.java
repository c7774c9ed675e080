package io.aiaas.platform.apikey.service;

import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** Body of {@code POST /api/v1/tenants/{slug}/keys}; expires_at is optional (null = never). */
public record CreateApiKeyRequest(@NotBlank @Size(max = 100) String name, @Future Instant expiresAt) {
}
