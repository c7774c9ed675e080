package io.aiaas.platform.usage.service;

import java.time.Instant;
import java.util.UUID;

/** One row of {@code usage_records}: what a single call through the gateway did and cost. */
public record UsageRecord(
        UUID requestId,
        UUID tenantId,
        UUID apiKeyId,
        UUID modelId,
        UUID modelVersionId,
        UUID workerId,
        String modelName,
        Integer modelVersion,
        String endpoint,
        int statusCode,
        boolean billable,
        int itemCount,
        long computeUs,
        long bytesIn,
        long bytesOut,
        String device,
        String errorCode,
        Instant startedAt,
        Instant finishedAt) {
}
