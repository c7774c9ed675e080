package io.aiaas.platform.tenant.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.aiaas.platform.apikey.service.CreateApiKeyRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;

/**
 * Body of {@code PUT /api/v1/tenants/{slug}/budget}, and its answer: the most the whole tenant may spend in a billing
 * period, in micro-units of its plan's currency, or {@code null} for no cap of its own (the plan's budget, if any,
 * still applies). The field must be there (an empty body is not taken to mean "no cap").
 */
public record TenantBudgetRequest(
        @JsonProperty(required = true)
        @Positive @Max(value = CreateApiKeyRequest.MAX_BUDGET_MICROS, message = CreateApiKeyRequest.BUDGET_MAX)
        Long monthlyBudgetMicros) {
}
