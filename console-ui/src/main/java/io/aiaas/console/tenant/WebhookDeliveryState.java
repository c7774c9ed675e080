package io.aiaas.console.tenant;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A state the webhook page's latest deliveries can be filtered on ({@code ?state=FAILED}, any case), passed on to
 * platform-api as its {@code state}; anything else in the query is ignored and every state is shown.
 */
public enum WebhookDeliveryState {
    PENDING("pending"),
    DELIVERED("delivered"),
    FAILED("failed");

    private final String label;

    WebhookDeliveryState(String label) {
        this.label = label;
    }

    /** The state in words, for the heading and the note ("failed"). */
    public String label() {
        return label;
    }

    /** The filter a query value names, in any case; empty for anything else (blank, unknown, too long). */
    static Optional<WebhookDeliveryState> of(String value) {
        if (value == null || value.length() > 20) {
            return Optional.empty();
        }
        String upper = value.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.name().equals(upper)).findFirst();
    }
}
