package io.aiaas.console.api.tenant;

import java.time.Instant;

/**
 * Body of {@code POST .../webhook/deliveries/redeliver-failed}: every event whose latest delivery was created at or
 * after {@code since} and failed is sent again (written as ISO-8601 in UTC, e.g. {@code 2026-12-01T08:00:00Z}).
 */
public record FailedRedelivery(Instant since) {
}
