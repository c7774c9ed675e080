package io.aiaas.console.api.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * Body of {@code POST .../keys}: a name, an optional expiry (null = never), models (null = every model), a monthly
 * budget in micro-units of the plan's currency (null = no cap), a limit of requests per minute (null = only the
 * plan's limits) and the client networks it may be used from (null = anywhere). Null models, budget, limit and networks
 * are left out of the JSON.
 */
public record NewKey(String name, Instant expiresAt, @JsonInclude(JsonInclude.Include.NON_NULL) List<String> models,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long monthlyBudgetMicros,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer requestsPerMinute,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> allowedNetworks) {
}
