package io.aiaas.console.signup;

import io.aiaas.console.api.signup.SignupStatus;
import io.aiaas.console.web.FormError;

/**
 * What the sign-up form ({@code tags/signupForm.html}) shows, on the no-tenant page and on /signup alike: the offer
 * (open or not, the plan, how many tenants are left), the inputs as typed, and why the last try was refused.
 *
 * @param timeZone the zone the tenant's billing months run in, as typed; first the reader's (the {@code tz} cookie)
 */
public record SignupForm(SignupStatus status, String slug, String name, String timeZone, FormError error) {

    /** The form's id; its error is shown in {@code <p id="signup-error">}. */
    public static final String ID = "signup-form";

    /** The form as a page first shows it, the time zone prefilled with the reader's (UTC until the browser said). */
    public static SignupForm blank(SignupStatus status, String readersZone) {
        return new SignupForm(status, "", "", readersZone, FormError.NONE);
    }
}
