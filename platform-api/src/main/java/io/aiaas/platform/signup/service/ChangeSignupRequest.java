package io.aiaas.platform.signup.service;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.UUID;

/**
 * Body of {@code PUT /admin/v1/signup}: the plan tenants created by signing up start on (null closes sign-up) and how
 * many tenants one person may create that way.
 */
public record ChangeSignupRequest(UUID planId, @NotNull @Min(1) @Max(100) Integer maxTenantsPerPerson) {
}
