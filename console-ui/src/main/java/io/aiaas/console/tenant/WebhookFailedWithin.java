package io.aiaas.console.tenant;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How far back "Send every failed event again" ({@code form#webhook-redeliver-failed-form}) looks for failed
 * deliveries: the only periods the console sends a {@code since} for, whatever a forged form holds.
 */
public enum WebhookFailedWithin {
    HOUR("1h", Duration.ofHours(1), "the last hour"),
    DAY("24h", Duration.ofHours(24), "the last 24 hours"),
    THREE_DAYS("3d", Duration.ofDays(3), "the last 3 days"),
    WEEK("7d", Duration.ofDays(7), "the last 7 days"),
    MONTH("30d", Duration.ofDays(30), "the last 30 days");

    /** The form's field. */
    static final String FIELD = "within";
    /** Chosen until the person chooses otherwise: a day covers a night's outage of the receiver. */
    static final WebhookFailedWithin DEFAULT = DAY;
    /** Every choice, in the order the select lists them. */
    static final List<WebhookFailedWithin> ALL = List.of(values());

    private final String value;
    private final Duration period;
    private final String label;

    WebhookFailedWithin(String value, Duration period, String label) {
        this.value = value;
        this.period = period;
        this.label = label;
    }

    /** The option's value, as the form submits it ("24h"). */
    public String value() {
        return value;
    }

    /** The option's text. */
    public String label() {
        return label;
    }

    /**
     * The {@code since} sent to platform-api: {@code now} less the period, to the second below (so platform-api is sent
     * a plain {@code 2026-12-01T08:00:00Z}, and a failure in the very first second is not missed).
     */
    public Instant since(Instant now) {
        return now.minus(period).truncatedTo(ChronoUnit.SECONDS);
    }

    /** The choice a submitted value names ("24h"), or empty for anything else: blank, not offered. */
    static Optional<WebhookFailedWithin> submitted(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        return Arrays.stream(values()).filter(w -> w.value.equals(trimmed)).findFirst();
    }
}
