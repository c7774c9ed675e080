package io.aiaas.platform.webhook.service;

import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.error.Problem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The event types a tenant may choose for its webhook, in the order the documentation lists them, and the check of a
 * choice. {@code webhook.test} is not among them: a test is sent whenever asked for. The features that queue events
 * own their type constants; {@code WebhookEventsTest} checks each of them is here.
 */
public final class WebhookEvents {

    /** Every type a tenant may choose. */
    public static final List<String> TYPES = List.of(
            "quota.threshold_reached", "budget.threshold_reached", "key_budget.threshold_reached",
            WebhookOutbox.INVOICE_FINALIZED, WebhookOutbox.INVOICE_PAID, WebhookOutbox.INVOICE_PAYMENT_RECEIVED,
            WebhookOutbox.INVOICE_REFUNDED, WebhookOutbox.INVOICE_OVERDUE, WebhookOutbox.TENANT_SUSPENDED,
            WebhookOutbox.TENANT_RESUMED, "model_version.deprecated", "model_version.deprecation_cancelled",
            "model.access_granted", "model.access_revoked", "api_key.expiring");

    private WebhookEvents() {
    }

    /**
     * A tenant's choice without repeats, in {@link #TYPES}' order; null (every type) stays null.
     *
     * @throws ApiException 400 {@code validation_failed} naming each entry that is not a type ({@code events[i]})
     */
    public static List<String> canonical(List<String> given) {
        if (given == null) {
            return null;
        }
        Set<String> chosen = new LinkedHashSet<>();
        List<Problem.Violation> invalid = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String type = given.get(i).strip();
            if (TYPES.contains(type)) {
                chosen.add(type);
            } else if (WebhookOutbox.TEST_EVENT.equals(type)) {
                invalid.add(new Problem.Violation("events[" + i + "]", "webhook.test is always sent when asked for "
                        + "(POST .../webhook/test); it is not chosen"));
            } else {
                invalid.add(new Problem.Violation("events[" + i + "]", "'" + shorten(type) + "' is not an event "
                        + "type; the types are " + String.join(", ", TYPES)));
            }
        }
        if (!invalid.isEmpty()) {
            throw ApiException.invalid("validation_failed", invalid);
        }
        return TYPES.stream().filter(chosen::contains).toList();
    }

    private static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }
}
