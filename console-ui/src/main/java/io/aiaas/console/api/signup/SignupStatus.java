package io.aiaas.console.api.signup;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * {@code GET /api/v1/signup}: whether the signed-in person may create a tenant of their own now, the plan it would
 * start on (null when closed), and how many of the per-person allowance they have used.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SignupStatus(boolean open, String planName, int maxTenantsPerPerson, int tenantsCreated) {

    /** What a page shows when platform-api cannot say: sign-up closed. */
    public static final SignupStatus CLOSED = new SignupStatus(false, null, 0, 0);

    /** How many more tenants this person may create (never below 0). */
    public int left() {
        return Math.max(0, maxTenantsPerPerson - tenantsCreated);
    }

    /** Whether the form is offered: sign-up is open and the person has some of their allowance left. */
    public boolean offered() {
        return open && left() > 0;
    }
}
