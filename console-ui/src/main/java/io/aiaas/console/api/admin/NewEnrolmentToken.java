package io.aiaas.console.api.admin;

/**
 * Body of {@code POST /admin/v1/workers/enrolment-tokens}: a name (1-100 characters), how many workers may enrol with
 * it (1 to 10,000) and for how long it is valid in seconds (at least 60; platform-api refuses more than its
 * {@code aiaas.workers.enrolment.max-token-ttl}, 30 days by default, with 400 {@code invalid_expiry}).
 */
public record NewEnrolmentToken(String name, int uses, long expiresInSeconds) {
}
