package io.aiaas.platform.usage.service;

import java.time.Instant;

/**
 * Usage in one time bucket (and group): requests, of which billable (2xx), errors (4xx/5xx) and refused (429 by a
 * rate limit, quota or budget; also counted in errors), items inferred, ONNX Runtime compute time, payload bytes,
 * and the cost of the billable calls in nano-units of the plan's currency ({@code /costs} separates currencies).
 *
 * @param group the model name or API key id when grouped, else null
 */
public record UsageBucket(Instant start, Instant end, String group, long requests, long billableRequests,
        long errors, long refused, long items, double computeMs, long bytesIn, long bytesOut, long costNanos) {
}
