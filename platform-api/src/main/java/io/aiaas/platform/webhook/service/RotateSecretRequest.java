package io.aiaas.platform.webhook.service;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Body of {@code POST /api/v1/tenants/{slug}/webhook/secret}: how long the previous secret still signs deliveries
 * beside the new one, in seconds (0: it stops at once; absent: a day; at most a week).
 */
public record RotateSecretRequest(
        @Min(value = 0, message = "must be from 0 to 604800 seconds (a week)")
        @Max(value = RotateSecretRequest.MAX_OVERLAP_SECONDS, message = "must be from 0 to 604800 seconds (a week)")
        Integer overlapSeconds) {

    /** Longest overlap: a week. */
    public static final int MAX_OVERLAP_SECONDS = 7 * 24 * 3600;
    /** The overlap when the body names none: a day. */
    public static final int DEFAULT_OVERLAP_SECONDS = 24 * 3600;

    int overlapOrDefault() {
        return overlapSeconds == null ? DEFAULT_OVERLAP_SECONDS : overlapSeconds;
    }
}
