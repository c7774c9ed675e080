package io.aiaas.platform.apikey.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;

/**
 * Body of {@code PUT /api/v1/tenants/{slug}/keys/{id}/disabled}: {@code true} disables the key (its calls are refused
 * until it is enabled), {@code false} enables it. The field must be there.
 */
public record KeyDisabledRequest(@JsonProperty(required = true) @NotNull Boolean disabled) {
}
