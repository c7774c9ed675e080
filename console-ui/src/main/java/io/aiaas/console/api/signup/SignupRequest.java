package io.aiaas.console.api.signup;

/** Body of {@code POST /api/v1/signup}: the tenant a person creates for themselves (they become its admin). */
public record SignupRequest(String slug, String name) {
}
