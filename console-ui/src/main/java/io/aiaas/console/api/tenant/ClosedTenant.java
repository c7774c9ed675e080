package io.aiaas.console.api.tenant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** The tenant as {@code POST .../close} answers it: status {@code closed} and when it closed. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClosedTenant(String slug, String name, String status, Instant closedAt) {
}
