package io.aiaas.console.tenant;

import io.aiaas.console.api.tenant.Webhook;
import io.aiaas.console.api.tenant.WebhookEventType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the webhook's events form holds: whether "every event type" is ticked, and which types are. Read from the
 * webhook (every type ticked too when it gets every one, so that unticking "every" starts from the full list), or
 * from a submitted form, which it keeps when platform-api refuses it. The types are ordered by platform-api's
 * catalogue ({@code GET /api/v1/webhook-event-types}), the console keeping no list of its own.
 *
 * @param every whether "every event type" is ticked: the boxes then do not count, and null is sent
 * @param ticked the types ticked, each once: those the catalogue lists in its order, then any other (a type the
 *        webhook holds that the catalogue does not list, or a forged form's) in the order given, for platform-api to
 *        judge
 */
public record WebhookEventsChoice(boolean every, List<String> ticked) {

    /** The form's field of "every event type" ({@code input#webhook-events-all}). */
    static final String EVERY = "all";
    /** The form's field of the types, one value per ticked box. */
    static final String EVENTS = "events";

    public WebhookEventsChoice {
        ticked = List.copyOf(ticked);
    }

    /** The choice a webhook holds; for none (no form is shown then) every type of the catalogue. */
    static WebhookEventsChoice of(Webhook webhook, List<WebhookEventType> catalogue) {
        if (webhook == null || webhook.events() == null) {
            return new WebhookEventsChoice(true, ordered(List.of(), catalogue, true));
        }
        return new WebhookEventsChoice(false, ordered(webhook.events(), catalogue, false));
    }

    /**
     * The choice as submitted.
     *
     * @param every the "every event type" box's value, null when unticked
     * @param events the ticked boxes' values (blank ones ignored), null for none
     * @param catalogue platform-api's catalogue, whose order the ticked types take
     */
    static WebhookEventsChoice submitted(String every, List<String> events, List<WebhookEventType> catalogue) {
        return new WebhookEventsChoice(every != null && !every.isBlank(), ordered(events, catalogue, false));
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

    /**
     * The boxes the form shows: one per type of the catalogue, then one per ticked type it does not list (without a
     * description), so that saving keeps such a type rather than dropping it unseen; unticking it removes it.
     */
    List<WebhookEventType> boxes(List<WebhookEventType> catalogue) {
        List<WebhookEventType> boxes = new ArrayList<>(catalogue);
        Set<String> listed = types(catalogue);
        for (String type : ticked) {
            if (!listed.contains(type)) {
                boxes.add(new WebhookEventType(type, null));
            }
        }
        return List.copyOf(boxes);
    }

    /**
     * The catalogue's types among those given (all of them when {@code all}) in its order, then the others as given;
     * blanks and repeats left out.
     */
    private static List<String> ordered(List<String> types, List<WebhookEventType> catalogue, boolean all) {
        Set<String> given = new LinkedHashSet<>();
        if (types != null) {
            for (String type : types) {
                if (type != null && !type.isBlank()) {
                    given.add(type.strip());
                }
            }
        }
        List<String> ordered = new ArrayList<>();
        for (String known : types(catalogue)) {
            if (given.remove(known) || all) {
                ordered.add(known);
            }
        }
        ordered.addAll(given);
        return ordered;
    }

    private static Set<String> types(List<WebhookEventType> catalogue) {
        Set<String> types = new LinkedHashSet<>();
        if (catalogue != null) {
            catalogue.forEach(entry -> types.add(entry.type()));
        }
        return types;
    }
}
