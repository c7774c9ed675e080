package io.aiaas.platform.apikey.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;

/**
 * Body of {@code PUT /api/v1/tenants/{slug}/keys/{id}/rate-limit}: the most calls the key may make in a clock minute,
 * or {@code null} for only the plan's limits. The field must be there (an empty body is not taken to mean "none").
 */
public record KeyRateLimitRequest(
        @JsonProperty(required = true)
        @Positive @Max(CreateApiKeyRequest.MAX_REQUESTS_PER_MINUTE) Integer requestsPerMinute) {
}
