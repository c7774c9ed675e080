package io.aiaas.platform.apikey.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;

/**
 * Body of {@code PUT /api/v1/tenants/{slug}/keys/{id}/budget}: the most the key may spend in a billing period, in
 * micro-units of the plan's currency, or {@code null} for no cap. The field must be there (an empty body is not taken
 * to mean "no cap").
 */
public record KeyBudgetRequest(
        @JsonProperty(required = true)
        @Positive @Max(value = CreateApiKeyRequest.MAX_BUDGET_MICROS, message = CreateApiKeyRequest.BUDGET_MAX)
        Long monthlyBudgetMicros) {
}
