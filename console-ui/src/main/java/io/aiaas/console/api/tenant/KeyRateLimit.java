package io.aiaas.console.api.tenant;

/**
 * Body of {@code PUT .../keys/{id}/rate-limit}: the most requests the key may make in a clock minute (1 to
 * 1,000,000); null (sent as null) removes it, leaving only the plan's limits.
 */
public record KeyRateLimit(Integer requestsPerMinute) {
}
