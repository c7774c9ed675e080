package io.aiaas.platform.model.service;

/**
 * {@code PUT /admin/v1/models/{name}/versions/{version}/sunset}: when the platform retires the version
 * ({@code sunset_at}, an ISO-8601 instant with its offset, in the future and at most ten years ahead), the version
 * callers should move to ({@code successor}, optional) and what the operator tells them ({@code note}, optional, at
 * most {@value #MAX_NOTE} characters). Checked by {@link ModelSunsets}, which names the field in its 400.
 */
public record SunsetRequest(String sunsetAt, Integer successor, String note) {

    /** The longest note, in characters (the column's width). */
    public static final int MAX_NOTE = 500;
}
