package io.aiaas.console.api.admin;

import java.util.UUID;

/**
 * Body of {@code PUT /admin/v1/signup}: both settings, always; a null plan is sent as {@code "plan_id": null} and
 * closes sign-up.
 */
public record SignupChange(UUID planId, int maxTenantsPerPerson) {
}
