package io.aiaas.platform.webhook.service;

import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.common.error.Problem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The event types a tenant may choose for its webhook, in the order the documentation lists them, with what each
 * tells (served to the console and to clients, so they need no copy), and the check of a choice. {@code webhook.test} is not among them: a test is sent whenever asked for. The features that queue events
 * own their type constants; {@code WebhookEventsTest} checks each of them is here.
 */
public final class WebhookEvents {

    /**
     * One event type a tenant may choose and what it tells, in plain words (the console's label for its checkbox).
     *
     * @param type the type, as payloads and {@code x-aiaas-event-type} name it
     * @param description what it tells
     */
    public record EventType(String type, String description) {
    }

    /** Every type a tenant may choose, in the documentation's order, with what it tells. */
    public static final List<EventType> CATALOGUE = List.of(
            new EventType("quota.threshold_reached", "80% and 100% of a quota"),
            new EventType("budget.threshold_reached", "80% and 100% of the budget"),
            new EventType("tenant_budget.threshold_reached", "80% and 100% of the tenant's own monthly budget"),
            new EventType("key_budget.threshold_reached", "80% and 100% of a key's monthly budget"),
            new EventType(WebhookOutbox.INVOICE_FINALIZED, "an invoice or credit note became final"),
            new EventType(WebhookOutbox.INVOICE_PAID, "a payment settled the invoice: nothing is left to pay"),
            new EventType(WebhookOutbox.INVOICE_PAYMENT_RECEIVED,
                    "a payment was recorded and part of the invoice is still to be paid"),
            new EventType(WebhookOutbox.INVOICE_REFUNDED,
                    "money you paid beyond what the invoice asks after a credit note was sent back"),
            new EventType(WebhookOutbox.INVOICE_OVERDUE, "something left to pay after its terms, once"),
            new EventType(WebhookOutbox.TENANT_SUSPENDED,
                    "your keys stopped, for an invoice unpaid past its grace or by a platform admin"),
            new EventType(WebhookOutbox.TENANT_RESUMED, "your keys work again"),
            new EventType("model_version.deprecated", "a version you may call is retired at a date"),
            new EventType("model_version.deprecation_cancelled", "a version's retirement is called off"),
            new EventType("model.access_granted", "a private model shared with you"),
            new EventType("model.access_revoked", "a private model no longer shared with you"),
            new EventType("api_key.expiring", "one of your keys stops working within a week, once per key"));

    /** Every type a tenant may choose, the names alone. */
    public static final List<String> TYPES = CATALOGUE.stream().map(EventType::type).toList();

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
