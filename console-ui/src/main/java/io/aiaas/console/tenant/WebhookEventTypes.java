package io.aiaas.console.tenant;

import java.util.List;

/**
 * The event types a tenant may choose for its webhook, in platform-api's order, each with the few words the page's
 * "What is sent" says of it: the console shows one checkbox per type and sends the ticked ones in this order.
 * {@code webhook.test} is not among them: a test is always sent.
 */
public final class WebhookEventTypes {

    /**
     * One event type and what it tells, for its checkbox.
     *
     * @param type platform-api's name of the type, sent as the checkbox's value
     * @param label what it tells, in plain words
     */
    public record EventType(String type, String label) {

        /** The checkbox's id: {@code webhook-event-} and the type with its dots as dashes. */
        public String inputId() {
            return "webhook-event-" + type.replace('.', '-');
        }
    }

    /** Every type a tenant may choose, in platform-api's order. */
    public static final List<EventType> ALL = List.of(
            new EventType("quota.threshold_reached", "80% and 100% of a quota"),
            new EventType("budget.threshold_reached", "80% and 100% of the budget"),
            new EventType("key_budget.threshold_reached", "80% and 100% of a key's monthly budget"),
            new EventType("invoice.finalized", "an invoice or credit note became final"),
            new EventType("invoice.paid", "a payment settled the invoice: nothing is left to pay"),
            new EventType("invoice.payment_received",
                    "a payment was recorded and part of the invoice is still to be paid"),
            new EventType("invoice.refunded",
                    "money you paid beyond what the invoice asks after a credit note was sent back"),
            new EventType("invoice.overdue", "something left to pay after its terms, once"),
            new EventType("tenant.suspended",
                    "your keys stopped, for an invoice unpaid past its grace or by a platform admin"),
            new EventType("tenant.resumed", "your keys work again"),
            new EventType("model_version.deprecated", "a version you may call is retired at a date"),
            new EventType("model_version.deprecation_cancelled", "a version's retirement is called off"),
            new EventType("model.access_granted", "a private model shared with you"),
            new EventType("model.access_revoked", "a private model no longer shared with you"),
            new EventType("api_key.expiring", "one of your keys stops working within a week, once per key"));

    /** The types' names alone, in order. */
    static final List<String> TYPES = ALL.stream().map(EventType::type).toList();

    private WebhookEventTypes() {
    }
}
