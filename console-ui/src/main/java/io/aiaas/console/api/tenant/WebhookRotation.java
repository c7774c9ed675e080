package io.aiaas.console.api.tenant;

/**
 * Body of {@code POST .../webhook/secret}: how long, in seconds (0 to 604800), deliveries are also signed with the
 * secret being replaced; 0 stops it at once.
 */
public record WebhookRotation(long overlapSeconds) {
}
