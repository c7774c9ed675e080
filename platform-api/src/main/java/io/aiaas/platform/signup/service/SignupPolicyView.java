package io.aiaas.platform.signup.service;

import java.time.Instant;
import java.util.UUID;

/**
 * Self-service sign-up as the admin API shows it: {@code open} when a plan is chosen and not archived; tenants created
 * by signing up start on {@code plan_id}; one person may create {@code max_tenants_per_person} of them.
 */
public record SignupPolicyView(boolean open, UUID planId, String planName, boolean planArchived,
        int maxTenantsPerPerson, Instant updatedAt, String updatedBy) {
}
