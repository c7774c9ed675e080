package io.aiaas.console.tenant;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How long the previous signing secret keeps signing deliveries after a rotation, as the webhook page's
 * {@code form#webhook-rotate-form} offers it: the only values the console sends, whatever a forged form holds.
 */
public enum WebhookSecretOverlap {
    NOW(0, "Now: the old secret stops at once"),
    HOUR(3_600, "1 hour"),
    DAY(86_400, "24 hours"),
    WEEK(604_800, "7 days");

    /** The form's field, as platform-api names it. */
    static final String FIELD = "overlap_seconds";
    /** Chosen until the person chooses otherwise: platform-api's own default. */
    static final WebhookSecretOverlap DEFAULT = DAY;
    /** Every choice, in the order the select lists them. */
    static final List<WebhookSecretOverlap> ALL = List.of(values());

    private final long seconds;
    private final String label;

    WebhookSecretOverlap(long seconds, String label) {
        this.seconds = seconds;
        this.label = label;
    }

    /** The overlap sent to platform-api, in seconds. */
    public long seconds() {
        return seconds;
    }

    /** The option's text. */
    public String label() {
        return label;
    }

    /** The choice a submitted value names ("86400"), or empty for anything else: blank, not a number, not offered. */
    static Optional<WebhookSecretOverlap> submitted(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        return Arrays.stream(values()).filter(o -> Long.toString(o.seconds).equals(trimmed)).findFirst();
    }
}
