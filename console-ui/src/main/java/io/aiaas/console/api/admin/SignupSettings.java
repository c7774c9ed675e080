package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/**
 * {@code GET /admin/v1/signup}: the plan people's own tenants start on (null: sign-up closed), how many tenants one
 * person may create, and who changed it last. Open means a plan is chosen and it is not archived.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SignupSettings(boolean open, UUID planId, String planName, boolean planArchived,
        int maxTenantsPerPerson, Instant updatedAt, String updatedBy) {
}
