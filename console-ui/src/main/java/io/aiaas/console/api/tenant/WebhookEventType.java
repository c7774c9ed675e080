package io.aiaas.console.api.tenant;

/**
 * One event type a tenant may choose for its webhook, as {@code GET /api/v1/webhook-event-types} lists it.
 *
 * @param type platform-api's name of the type, sent as the checkbox's value
 * @param description what it tells, in plain words; null for a type the webhook holds that platform-api did not list
 */
public record WebhookEventType(String type, String description) {

    /** The checkbox's id: {@code webhook-event-} and the type with its dots as dashes. */
    public String inputId() {
        return "webhook-event-" + type.replace('.', '-');
    }
}
