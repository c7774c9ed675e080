package io.aiaas.platform.apikey.service;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Body of {@code POST /api/v1/tenants/{slug}/keys/{id}/rotate}: how long the old key keeps working, 0 to 604800
 * seconds (7 days); absent or null means {@link #DEFAULT_OVERLAP_SECONDS}.
 */
public record RotateApiKeyRequest(@Min(0) @Max(MAX_OVERLAP_SECONDS) Long overlapSeconds) {

    public static final long MAX_OVERLAP_SECONDS = 604_800;
    public static final long DEFAULT_OVERLAP_SECONDS = 3_600;

    /** The overlap asked for, or the default. */
    public long overlap() {
        return overlapSeconds == null ? DEFAULT_OVERLAP_SECONDS : overlapSeconds;
    }
}
