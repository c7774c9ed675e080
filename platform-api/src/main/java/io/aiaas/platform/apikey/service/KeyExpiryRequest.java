package io.aiaas.platform.apikey.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.aiaas.platform.common.validation.StorableTimestamp;
import jakarta.validation.constraints.Future;
import java.time.Instant;

/**
 * Body of {@code PUT /api/v1/tenants/{slug}/keys/{id}/expiry}: when the key stops working, in the future, or
 * {@code null} for never. The field must be there (an empty body is not taken to mean "never").
 */
public record KeyExpiryRequest(@JsonProperty(required = true) @Future @StorableTimestamp Instant expiresAt) {
}
