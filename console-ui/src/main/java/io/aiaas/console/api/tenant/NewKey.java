package io.aiaas.console.api.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** Body of {@code POST .../keys}: a name, an optional expiry (null = never) and models (null = every model). */
public record NewKey(String name, Instant expiresAt, @JsonInclude(JsonInclude.Include.NON_NULL) List<String> models) {
}
