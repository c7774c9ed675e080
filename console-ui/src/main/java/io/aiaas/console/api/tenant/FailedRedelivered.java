package io.aiaas.console.api.tenant;

import java.time.Instant;

/**
 * The answer to {@code POST .../webhook/deliveries/redeliver-failed} (202): the since it was asked for, how many failed
 * events were queued again, and whether more are left (true when platform-api's limit per call was reached: calling
 * again queues the next ones).
 */
public record FailedRedelivered(Instant since, int queued, boolean more) {
}
