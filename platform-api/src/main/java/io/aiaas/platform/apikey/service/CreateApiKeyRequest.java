package io.aiaas.platform.apikey.service;

import io.aiaas.platform.common.validation.StorableTimestamp;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** Body of {@code POST /api/v1/tenants/{slug}/keys}; expires_at is optional (absent or null = never). */
public record CreateApiKeyRequest(@NotBlank @Size(max = 100) String name,
        @Future @StorableTimestamp Instant expiresAt) {
}
