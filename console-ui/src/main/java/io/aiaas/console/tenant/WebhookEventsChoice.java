package io.aiaas.console.tenant;

import io.aiaas.console.api.tenant.Webhook;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the webhook's events form holds: whether "every event type" is ticked, and which types are. Read from the
 * webhook (every type ticked too when it gets every one, so that unticking "every" starts from the full list), or
 * from a submitted form, which it keeps when platform-api refuses it.
 *
 * @param every whether "every event type" is ticked: the boxes then do not count, and null is sent
 * @param ticked the types ticked, each once: those the console knows in {@link WebhookEventTypes#ALL}'s order, then
 *        any other (a forged form's, or a type platform-api added since) in the order given, for platform-api to judge
 */
public record WebhookEventsChoice(boolean every, List<String> ticked) {

    /** The form's field of "every event type" ({@code input#webhook-events-all}). */
    static final String EVERY = "all";
    /** The form's field of the types, one value per ticked box. */
    static final String EVENTS = "events";

    public WebhookEventsChoice {
        ticked = ordered(ticked);
    }

    /** The choice a webhook holds; for none (no form is shown then) every type. */
    static WebhookEventsChoice of(Webhook webhook) {
        if (webhook == null || webhook.events() == null) {
            return new WebhookEventsChoice(true, WebhookEventTypes.TYPES);
        }
        return new WebhookEventsChoice(false, webhook.events());
    }

    /**
     * The choice as submitted.
     *
     * @param every the "every event type" box's value, null when unticked
     * @param events the ticked boxes' values (blank ones ignored), null for none
     */
    static WebhookEventsChoice submitted(String every, List<String> events) {
        return new WebhookEventsChoice(every != null && !every.isBlank(), events);
    }

    /** Whether nothing is chosen: neither every type nor any of them, which the console refuses before the call. */
    public boolean none() {
        return !every && ticked.isEmpty();
    }

    /** What is sent to platform-api: null for every event type, else the ticked types in order. */
    List<String> toSend() {
        return every ? null : ticked;
    }

    /** Whether the box of that type is ticked. */
    public boolean checked(String type) {
        return ticked.contains(type);
    }

    /** Known types in the catalogue's order, then the others as given; blanks and repeats left out. */
    private static List<String> ordered(List<String> types) {
        Set<String> given = new LinkedHashSet<>();
        if (types != null) {
            for (String type : types) {
                if (type != null && !type.isBlank()) {
                    given.add(type.strip());
                }
            }
        }
        List<String> ordered = new ArrayList<>();
        for (String known : WebhookEventTypes.TYPES) {
            if (given.remove(known)) {
                ordered.add(known);
            }
        }
        ordered.addAll(given);
        return List.copyOf(ordered);
    }
}
