package io.aiaas.console.api.signup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/** The 201 of {@code POST /api/v1/signup}: the new tenant, the caller's role in it (admin) and its plan. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SignedUpTenant(String slug, String name, String status, String role, UUID planId, String planName,
        Instant createdAt) {
}
