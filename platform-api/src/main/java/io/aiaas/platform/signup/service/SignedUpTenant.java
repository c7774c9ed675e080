package io.aiaas.platform.signup.service;

import java.time.Instant;
import java.util.UUID;

/** A tenant just created by signing up: its creator is its admin, and it is on {@code plan_id} from now. */
public record SignedUpTenant(String slug, String name, String status, String role, UUID planId, String planName,
        Instant createdAt) {
}
