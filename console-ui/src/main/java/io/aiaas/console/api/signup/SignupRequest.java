package io.aiaas.console.api.signup;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Body of {@code POST /api/v1/signup}: the tenant a person creates for themselves (they become its admin); its billing
 * months run in {@code timeZone} (an IANA id; left out when none is given: UTC).
 */
public record SignupRequest(String slug, String name, @JsonInclude(JsonInclude.Include.NON_NULL) String timeZone) {
}
