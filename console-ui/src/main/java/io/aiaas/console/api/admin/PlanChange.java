package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/** One entry of a tenant's plan history; state is past, current or scheduled. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlanChange(Instant effectiveFrom, UUID planId, String planName, String state, Instant createdAt,
        String createdBy) {
}
