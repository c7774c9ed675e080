package io.aiaas.platform.usage.service;

import java.time.Instant;

/**
 * Usage in one time bucket (and group): requests, of which billable (2xx) and errors (4xx/5xx), items inferred,
 * ONNX Runtime compute time and payload bytes.
 *
 * @param group the model name or API key id when grouped, else null
 */
public record UsageBucket(Instant start, Instant end, String group, long requests, long billableRequests,
        long errors, long items, double computeMs, long bytesIn, long bytesOut) {
}
