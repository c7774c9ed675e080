package io.aiaas.platform.apikey.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The answer to creating a key: the only response type that carries the secret {@code key}; {@code
 * monthly_budget_micros} is its cap per billing period and {@code requests_per_minute} its own rate limit (null: none),
 * {@code allowed_networks} the client networks it may be used from (null: anywhere).
 */
public record CreatedApiKey(UUID id, String name, String key, String prefix, String lastFour, Instant createdAt,
        Instant expiresAt, List<String> models, Long monthlyBudgetMicros, Integer requestsPerMinute,
        List<String> allowedNetworks) {
}
