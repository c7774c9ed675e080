package io.aiaas.console.api.tenant;

/** Body of {@code POST .../keys/{id}/rotate}: how long the old key keeps working, 0 to 7 days. */
public record Rotation(long overlapSeconds) {
}
