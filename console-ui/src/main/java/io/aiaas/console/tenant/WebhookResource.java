package io.aiaas.console.tenant;

import io.aiaas.console.api.ApiProblem;
import io.aiaas.console.api.TenantApi;
import io.aiaas.console.api.WebhookEventTypesApi;
import io.aiaas.console.api.tenant.CreatedWebhook;
import io.aiaas.console.api.tenant.FailedRedelivered;
import io.aiaas.console.api.tenant.FailedRedelivery;
import io.aiaas.console.api.tenant.NewWebhook;
import io.aiaas.console.api.tenant.Webhook;
import io.aiaas.console.api.tenant.WebhookDelivery;
import io.aiaas.console.api.tenant.WebhookEventType;
import io.aiaas.console.api.tenant.WebhookEvents;
import io.aiaas.console.api.tenant.WebhookRotation;
import io.aiaas.console.web.CurrentUser;
import io.aiaas.console.web.FormError;
import io.aiaas.console.web.Parallel;
import io.aiaas.console.web.SecretPage;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * A tenant's webhook for its admins (and platform admins): the URL events are posted to, setting it (the new signing
 * secret is shown once, on the answer to the POST itself, never in a URL and never kept by the console, with
 * {@code Cache-Control: no-store}, as for API keys), which event types it receives (every one, or those ticked, the
 * boxes being platform-api's catalogue {@code GET /api/v1/webhook-event-types}, never a list of the console's), a new
 * signing secret with an overlap during which the previous one also signs deliveries (shown once likewise), a test
 * event, removal, and the latest deliveries (every state, or only those of one state, {@code ?state=FAILED}), each one
 * not pending with a button to send its event again, and above them a form to send again every event that failed in a
 * chosen period (after the receiver's outage). Members are told the page is for admins; the API is not asked (it
 * answers them 403). A closed tenant's admins see the webhook and its deliveries, and may only remove it.
 */
@Path("/t/{slug}/webhook")
@Produces(MediaType.TEXT_HTML)
public class WebhookResource {

    private static final Logger LOG = Logger.getLogger(WebhookResource.class);

    /** How many deliveries the table shows, newest first. */
    static final int DELIVERIES = 50;

    /** The set form ({@code #set-webhook-error}). */
    static final String SET = "set-webhook";
    /** The test button's form ({@code #webhook-test-error}). */
    static final String TEST = "webhook-test";
    /** The remove button's form ({@code #webhook-remove-error}). */
    static final String REMOVE = "webhook-remove";
    /** The event types' form {@code form#webhook-events-form} ({@code #webhook-events-error}). */
    static final String EVENTS = "webhook-events";
    /** The secret rotation's form {@code form#webhook-rotate-form} ({@code #webhook-rotate-error}). */
    static final String ROTATE = "webhook-rotate";
    /** The "Send again" buttons' forms {@code form#redeliver-<id>}, one per row ({@code #webhook-redeliver-error}). */
    static final String REDELIVER = "webhook-redeliver";
    /**
     * "Send every failed event again": {@code form#webhook-redeliver-failed-form}
     * ({@code #webhook-redeliver-failed-error}).
     */
    static final String REDELIVER_FAILED = "webhook-redeliver-failed";
    /** What the redirect after "Send every failed event again" says was done, with {@code queued} and {@code more}. */
    static final String REDELIVERED_FAILED = "redelivered-failed";

    /** What a redirect after an action may say was done. */
    static final List<String> DONE = List.of("test", "removed", "events", "redelivered", REDELIVERED_FAILED);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance webhook(String slug, Page page);
    }

    /**
     * The page.
     *
     * @param admin whether the webhook is shown at all (tenant admins and platform admins)
     * @param closed whether the tenant is closed: the webhook can no longer be set or tested, only removed
     * @param webhook the configured webhook, null when there is none
     * @param created the webhook just set, with its secret shown once, else null
     * @param deliveries the latest deliveries, of {@code state} only when it is not null
     * @param done what the last redirected action did (test, removed, events, redelivered, redelivered-failed), else
     *     null
     * @param typed what the set form holds: what was typed when it was refused, else the configured URL (or "")
     * @param choice what the events form holds: what was ticked when it was refused, else the webhook's event types
     * @param overlap what the rotation form's select holds: what was chosen when it was refused, else the default
     * @param state the state the deliveries are filtered on, null for every state
     * @param failedQueued what the notice after "Send every failed event again" says (done redelivered-failed), else
     *     null
     * @param within what the failed events form's select holds: what was chosen when it was refused, else the default
     * @param catalogue the event types platform-api lists, in its order; null when it could not be read (the events
     *     form is then replaced by a note) or was not asked (a member's page)
     */
    public record Page(boolean admin, boolean closed, Webhook webhook, CreatedWebhook created,
            List<WebhookDelivery> deliveries, String done, String typed, WebhookEventsChoice choice,
            WebhookSecretOverlap overlap, WebhookDeliveryState state, WebhookFailedQueued failedQueued,
            WebhookFailedWithin within, List<WebhookEventType> catalogue, FormError error) {

        /**
         * The boxes the events form offers: the catalogue's types in its order, then any type the choice holds that the
         * catalogue does not list (so that saving keeps it); empty without a catalogue.
         */
        public List<WebhookEventType> eventTypes() {
            return catalogue == null ? List.of() : choice.boxes(catalogue);
        }

        /** Whether platform-api's catalogue was read: without it the events form is not shown. */
        public boolean catalogued() {
            return catalogue != null;
        }

        /**
         * Whether the deliveries' rows offer "Send again" (to those not pending: a pending one is retried by itself):
         * while the tenant is open and has a webhook, where platform-api would send it.
         */
        public boolean redeliver() {
            return !closed && webhook != null;
        }

        /** The overlaps the rotation form offers, one option each. */
        public List<WebhookSecretOverlap> overlaps() {
            return WebhookSecretOverlap.ALL;
        }

        /** The periods the failed events form offers, one option each. */
        public List<WebhookFailedWithin> withins() {
            return WebhookFailedWithin.ALL;
        }

        /** The most failed events platform-api sends again in one go, for the form's help. */
        public int failedAtOnce() {
            return WebhookFailedQueued.AT_ONCE;
        }

        /** Whether only the failed deliveries are shown (no "Show only failed deliveries" link then). */
        public boolean failedOnly() {
            return state == WebhookDeliveryState.FAILED;
        }
    }

    private final CurrentUser user;
    private final TenantApi api;
    private final WebhookEventTypesApi eventTypes;
    private final Parallel parallel;

    WebhookResource(CurrentUser user, @RestClient TenantApi api, @RestClient WebhookEventTypesApi eventTypes,
            Parallel parallel) {
        this.user = user;
        this.api = api;
        this.eventTypes = eventTypes;
        this.parallel = parallel;
    }

    /**
     * The page; {@code state} (PENDING, DELIVERED or FAILED, any case) filters the deliveries, anything else is
     * ignored; {@code queued} and {@code more} only count with {@code done=redelivered-failed}.
     */
    @GET
    public Response page(@RestPath String slug, @RestQuery String done, @RestQuery String state,
            @RestQuery String queued, @RestQuery String more) {
        user.requireTenant(slug);
        String said = done != null && DONE.contains(done) ? done : null;
        WebhookFailedQueued failed = REDELIVERED_FAILED.equals(said) ? WebhookFailedQueued.fromQuery(queued, more)
                : null;
        return html(200, page(slug, null, new Shown(said, failed, WebhookDeliveryState.of(state).orElse(null)),
                Held.NOTHING, FormError.NONE));
    }

    /** Sets the URL; platform-api answers with a new signing secret, which this answer shows once. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response set(@RestPath String slug, @RestForm String url) {
        user.requireTenant(slug);
        String typed = url == null ? "" : url.trim();
        if (typed.isEmpty()) {
            FormError error = FormError.of(SET, "Give the URL the platform should post the events to.");
            return html(error.status(), page(slug, null, null, Held.typed(typed), error));
        }
        CreatedWebhook created;
        try {
            created = api.setWebhook(slug, new NewWebhook(typed));
        } catch (ApiProblem problem) {
            return refused(slug, SET, problem, Held.typed(typed));
        }
        return SecretPage.of(page(slug, created, null, Held.NOTHING, FormError.NONE));
    }

    /**
     * Chooses the event types the webhook receives: "every event type" ticked sends null (every one, those added later
     * too), else the ticked types in the order of platform-api's catalogue, then any it does not list. Nothing ticked
     * is refused before the call; a refusal keeps what was ticked. Without the catalogue (platform-api did not list
     * it) nothing is sent and the page says so (502).
     */
    @POST
    @Path("events")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response events(@RestPath String slug, @RestForm(WebhookEventsChoice.EVERY) String every,
            @RestForm(WebhookEventsChoice.EVENTS) List<String> events) {
        user.requireTenant(slug);
        List<WebhookEventType> catalogue = catalogue();
        if (catalogue == null) {
            FormError error = new FormError(EVENTS, "The event types could not be read from the platform, so nothing"
                    + " was saved: try again in a moment.", Map.of(), 502);
            return html(error.status(), page(slug, null, null, Held.NOTHING, error));
        }
        WebhookEventsChoice choice = WebhookEventsChoice.submitted(every, events, catalogue);
        if (choice.none()) {
            FormError error = FormError.of(EVENTS, "Choose at least one event type, or every event type.");
            return html(error.status(), page(slug, null, null, Held.choice(choice), error));
        }
        try {
            api.setWebhookEvents(slug, new WebhookEvents(choice.toSend()));
        } catch (ApiProblem problem) {
            return refused(slug, EVENTS, problem, Held.choice(choice));
        }
        return Response.seeOther(URI.create("/t/" + slug + "/webhook?done=events")).build();
    }

    /**
     * Replaces the signing secret; the previous one also signs deliveries for the chosen overlap (none: it stops at
     * once). Shows the new secret once, as a save of the URL does. A value the select does not offer is refused before
     * the call; a refusal keeps what was chosen.
     */
    @POST
    @Path("secret")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response rotate(@RestPath String slug, @RestForm(WebhookSecretOverlap.FIELD) String overlap) {
        user.requireTenant(slug);
        WebhookSecretOverlap chosen = WebhookSecretOverlap.submitted(overlap).orElse(null);
        if (chosen == null) {
            FormError error = FormError.of(ROTATE, "Choose when the previous secret stops: now, after 1 hour, after"
                    + " 24 hours or after 7 days.");
            return html(error.status(), page(slug, null, null, Held.NOTHING, error));
        }
        CreatedWebhook created;
        try {
            created = api.rotateWebhookSecret(slug, new WebhookRotation(chosen.seconds()));
        } catch (ApiProblem problem) {
            return refused(slug, ROTATE, problem, Held.overlap(chosen));
        }
        return SecretPage.of(page(slug, created, null, Held.NOTHING, FormError.NONE));
    }

    /** Queues a {@code webhook.test} event; without a webhook platform-api answers 409, shown next to the button. */
    @POST
    @Path("test")
    public Response test(@RestPath String slug) {
        return act(slug, TEST, "test", () -> api.testWebhook(slug));
    }

    /** Removes the webhook: no more deliveries, and pending ones fail at their next attempt. */
    @POST
    @Path("remove")
    public Response remove(@RestPath String slug) {
        return act(slug, REMOVE, "removed", () -> api.removeWebhook(slug));
    }

    /**
     * Sends a delivery's event again: a new delivery of the same event (same {@code x-aiaas-event-id}) to the webhook's
     * current URL. An id that is no UUID is no delivery: answered 404 on the page without asking platform-api, as its
     * refusals (404 {@code delivery_not_found}, 409 {@code delivery_pending}, {@code webhook_not_configured},
     * {@code tenant_closed}, 403) are shown, in {@code #webhook-redeliver-error}.
     */
    @POST
    @Path("deliveries/{id}/redeliver")
    public Response redeliver(@RestPath String slug, @RestPath String id) {
        user.requireTenant(slug);
        UUID delivery = uuid(id);
        if (delivery == null) {
            FormError error = FormError.notFound(REDELIVER, "There is no such delivery: send an event again with the"
                    + " button of its row in the latest deliveries.");
            return html(error.status(), page(slug, null, null, Held.NOTHING, error));
        }
        return act(slug, REDELIVER, "redelivered", () -> api.redeliverWebhookDelivery(slug, delivery));
    }

    /**
     * Sends again every event whose latest delivery failed within the chosen period (since now less the period, oldest
     * first, at most 1000; the redirect says how many and whether more are left). A period the select does not offer
     * is refused before the call; platform-api's refusals ({@code invalid_since}, {@code webhook_not_configured},
     * {@code tenant_closed}, 403) are shown in {@code #webhook-redeliver-failed-error}, keeping what was chosen.
     */
    @POST
    @Path("deliveries/redeliver-failed")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response redeliverFailed(@RestPath String slug, @RestForm(WebhookFailedWithin.FIELD) String within) {
        user.requireTenant(slug);
        WebhookFailedWithin chosen = WebhookFailedWithin.submitted(within).orElse(null);
        if (chosen == null) {
            FormError error = FormError.of(REDELIVER_FAILED, "Choose how far back failed events are sent again: the"
                    + " last hour, 24 hours, 3 days, 7 days or 30 days.");
            return html(error.status(), page(slug, null, null, Held.NOTHING, error));
        }
        FailedRedelivered answer;
        try {
            answer = api.redeliverFailedWebhookDeliveries(slug, new FailedRedelivery(chosen.since(Instant.now())));
        } catch (ApiProblem problem) {
            return refused(slug, REDELIVER_FAILED, problem, Held.within(chosen));
        }
        return Response.seeOther(URI.create("/t/" + slug + "/webhook?done=" + REDELIVERED_FAILED + "&queued="
                + answer.queued() + "&more=" + answer.more())).build();
    }

    /** The UUID written in its usual form (as platform-api writes ids), else null. */
    static UUID uuid(String id) {
        if (id == null || id.length() != 36) {
            return null;
        }
        try {
            UUID parsed = UUID.fromString(id);
            return parsed.toString().equalsIgnoreCase(id) ? parsed : null;
        } catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }

    private Response act(String slug, String form, String done, Runnable call) {
        user.requireTenant(slug);
        try {
            call.run();
        } catch (ApiProblem problem) {
            return refused(slug, form, problem, Held.NOTHING);
        }
        return Response.seeOther(URI.create("/t/" + slug + "/webhook?done=" + done)).build();
    }

    /**
     * The page again with platform-api's refusal of a form next to it and what the form held; a problem that is not
     * the form's to show (401, 5xx) goes on to the error pages.
     */
    private Response refused(String slug, String form, ApiProblem problem, Held held) {
        if (!FormError.inline(problem)) {
            throw problem;
        }
        FormError error = FormError.of(form, problem);
        return html(error.status(), page(slug, null, null, held, error));
    }

    /**
     * The page as this person may see it: for a member only the note (platform-api would answer 403, so it is not
     * asked); for an admin the webhook (the one just set, else platform-api's), its deliveries and the event types'
     * catalogue, asked at once; without the catalogue the rest of the page is still shown.
     *
     * @param shown what the GET's query asks to show, null for nothing (a POST's answer: every state, no notice)
     * @param held what a refused form holds again ({@link Held#NOTHING}: each form as the webhook is, or its default)
     */
    private TemplateInstance page(String slug, CreatedWebhook created, Shown shown, Held held, FormError error) {
        String typed = held.typed();
        WebhookEventsChoice choice = held.choice();
        WebhookSecretOverlap chosen = held.overlap() != null ? held.overlap() : WebhookSecretOverlap.DEFAULT;
        WebhookFailedWithin period = held.within() != null ? held.within() : WebhookFailedWithin.DEFAULT;
        Shown asked = shown != null ? shown : Shown.NOTHING;
        if (!user.adminOf(slug)) {
            return Templates.webhook(slug, new Page(false, false, null, null, List.of(), null, "",
                    WebhookEventsChoice.of(null, List.of()), chosen, null, null, period, null, error));
        }
        String state = asked.state() == null ? null : asked.state().name();
        var webhookCall = created != null ? null : parallel.start(() -> configured(slug));
        var deliveriesCall = parallel.start(() -> api.webhookDeliveries(slug, DELIVERIES, state));
        var catalogueCall = parallel.start(this::catalogue);
        Webhook webhook = created != null ? created.webhook() : webhookCall.get();
        List<WebhookDelivery> deliveries = deliveriesCall.get();
        List<WebhookEventType> catalogue = catalogueCall.get();
        String inForm = typed != null ? typed : webhook == null ? "" : webhook.url();
        WebhookEventsChoice ticked = choice != null ? choice : WebhookEventsChoice.of(webhook, catalogue);
        return Templates.webhook(slug, new Page(true, user.closed(slug), webhook, created,
                deliveries == null ? List.of() : deliveries, asked.done(), inForm, ticked, chosen, asked.state(),
                asked.failedQueued(), period, catalogue, error));
    }

    /**
     * What a refused form holds again when the page is shown with its error: what was typed, ticked or chosen; null
     * for a form shown as the webhook is (or with its default).
     */
    private record Held(String typed, WebhookEventsChoice choice, WebhookSecretOverlap overlap,
            WebhookFailedWithin within) {
        static final Held NOTHING = new Held(null, null, null, null);

        static Held typed(String typed) {
            return new Held(typed, null, null, null);
        }

        static Held choice(WebhookEventsChoice choice) {
            return new Held(null, choice, null, null);
        }

        static Held overlap(WebhookSecretOverlap overlap) {
            return new Held(null, null, overlap, null);
        }

        static Held within(WebhookFailedWithin within) {
            return new Held(null, null, null, within);
        }
    }

    /**
     * What a GET's query asks the page to show.
     *
     * @param done the notice of the action just done, else null
     * @param failedQueued the notice's count after "Send every failed event again", else null
     * @param state the deliveries' filter, null for every state
     */
    private record Shown(String done, WebhookFailedQueued failedQueued, WebhookDeliveryState state) {
        static final Shown NOTHING = new Shown(null, null, null);
    }

    /** The configured webhook, or null: {@code webhook_not_found} only says there is none. */
    private Webhook configured(String slug) {
        try {
            return api.webhook(slug);
        } catch (ApiProblem problem) {
            if (problem.status() == 404 && "webhook_not_found".equals(problem.code())) {
                return null;
            }
            throw problem;
        }
    }

    /**
     * platform-api's catalogue of event types, or null when it could not be read (its error, no answer): the page is
     * still shown without the events form. An expired session (401) is not hidden.
     */
    private List<WebhookEventType> catalogue() {
        try {
            return eventTypes.all();
        } catch (ApiProblem problem) {
            if (problem.status() == 401) {
                throw problem;
            }
            LOG.warnf("platform-api did not list the webhook event types: %s", problem.getMessage());
        } catch (ProcessingException unreachable) {
            LOG.warnf("platform-api did not list the webhook event types: %s", unreachable.getMessage());
        }
        return null;
    }

    private static Response html(int status, TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page).build();
    }
}
