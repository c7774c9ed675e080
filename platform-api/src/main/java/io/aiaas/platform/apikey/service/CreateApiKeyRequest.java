package io.aiaas.platform.apikey.service;

import io.aiaas.platform.common.validation.StorableTimestamp;
import io.aiaas.platform.model.service.ModelRefs;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * Body of {@code POST /api/v1/tenants/{slug}/keys}; expires_at is optional (absent or null = never), and so is models
 * (absent or null = every model the tenant may call; else 1 to 100 of them, by name), and so is monthly_budget_micros
 * (absent or null = no cap; else the most the key may spend in a billing period, micro-units of the plan's currency),
 * and requests_per_minute (absent or null = only the plan's limits; else the most calls the key may make in a minute),
 * and allowed_networks (absent or null = from anywhere; else 1 to 50 IPv4 or IPv6 addresses or CIDR networks the
 * key's calls must come from).
 */
public record CreateApiKeyRequest(@NotBlank @Size(max = 100) String name,
        @Future @StorableTimestamp Instant expiresAt,
        @Size(min = 1, max = MAX_MODELS, message = MODELS_SIZE)
        List<@NotNull @Pattern(regexp = ModelRefs.NAME_PATTERN, message = MODEL_NAME) String> models,
        @Positive @Max(value = MAX_BUDGET_MICROS, message = BUDGET_MAX) Long monthlyBudgetMicros,
        @Positive @Max(MAX_REQUESTS_PER_MINUTE) Integer requestsPerMinute,
        @Size(min = 1, max = MAX_NETWORKS, message = NETWORKS_SIZE)
        List<@NotNull @Size(max = 100) String> allowedNetworks) {

    public static final int MAX_NETWORKS = 50;
    static final String NETWORKS_SIZE = "must list 1 to 50 networks, or be null for anywhere";

    public static final int MAX_REQUESTS_PER_MINUTE = 1_000_000;

    /** 10^15 micro-units (a billion of the currency): in nano-units it still fits a long with room to add. */
    public static final long MAX_BUDGET_MICROS = 1_000_000_000_000_000L;
    public static final String BUDGET_MAX = "must be at most 1000000000000000 (micro-units)";

    public static final int MAX_MODELS = 100;
    static final String MODELS_SIZE = "must name 1 to 100 models, or be null for every model";
    static final String MODEL_NAME = "must be a model name";
}
