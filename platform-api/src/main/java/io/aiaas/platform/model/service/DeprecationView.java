package io.aiaas.platform.model.service;

import java.time.Instant;

/**
 * A version's sunset as the admin and tenant APIs show it: deprecated since, retired by the platform at
 * {@code sunsetAt}, the version to move to ({@code successor}, or null) and the operator's note (or null).
 */
public record DeprecationView(Instant deprecatedAt, Instant sunsetAt, Integer successor, String note) {

    /** The view of a version's columns; null when it is not deprecated. */
    static DeprecationView of(Instant deprecatedAt, Instant sunsetAt, Integer successor, String note) {
        return deprecatedAt == null ? null : new DeprecationView(deprecatedAt, sunsetAt, successor, note);
    }
}
