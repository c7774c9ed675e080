package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.Csrf;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which event types the tenant's webhook receives, on the webhook page: the current choice in the summary, the form
 * with a box per type ticked from it, every type sent as null, the ticked ones in platform-api's order, nothing ticked
 * refused by the console, platform-api's refusals shown with what was ticked.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class WebhookEventsTest {

    static final String URL = WebhookResourceTest.URL;
    static final String CREATED = "2026-11-02T08:30:00Z";
    static final String EVENTS = "/api/v1/tenants/acme/webhook/events";
    static final String ROUTE = "/t/acme/webhook/events";

    /** The types a tenant may choose, in platform-api's order. */
    static final List<String> TYPES = List.of("quota.threshold_reached", "budget.threshold_reached",
            "key_budget.threshold_reached", "invoice.finalized", "invoice.paid", "invoice.payment_received",
            "invoice.refunded", "invoice.overdue", "tenant.suspended", "tenant.resumed", "model_version.deprecated",
            "model_version.deprecation_cancelled", "model.access_granted", "model.access_revoked", "api_key.expiring");

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.webhookEventTypes(api);
        PlatformApiStub.webhook(api, "acme", URL, CREATED);
        PlatformApiStub.webhookDeliveries(api, "acme", "[]");
    }

    @Test
    @TestSecurity(user = "alice")
    void aWebhookThatGetsEveryTypeHasEveryBoxTicked() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        // the webhook without the field (a platform-api of before) gets every type, as with "events": null
        for (String events : new String[] {null, "null"}) {
            if (events != null) {
                PlatformApiStub.webhook(api, "acme", URL, CREATED, events);
            }
            String html = given().when().get("/t/acme/webhook").then().statusCode(200).extract().asString();
            assertEquals("every event type", current(html));
            String form = form(html);
            assertTrue(form.startsWith("<form id=\"webhook-events-form\" method=\"post\" action=\"" + ROUTE + "\">"),
                    form);
            assertTrue(form.contains("name=\"csrf-token\""), "the form carries the CSRF token");
            assertTrue(input(form, "webhook-events-all").contains("name=\"all\" type=\"checkbox\" value=\"true\""),
                    form);
            assertTrue(checked(form, "webhook-events-all"), "every event type");
            for (String type : TYPES) {
                String id = "webhook-event-" + type.replace('.', '-');
                assertTrue(input(form, id).contains("name=\"events\" type=\"checkbox\" value=\"" + type + "\""),
                        input(form, id));
                assertTrue(checked(form, id), type + " ticked");
                assertTrue(form.contains("<label class=\"check\" for=\"" + id + "\">"), "a label for " + type);
            }
            assertEquals(TYPES.size(), form.split("name=\"events\"", -1).length - 1, "a box per type, no more");
            assertFalse(form.contains("value=\"webhook.test\""), "a test is always sent: no box");
            assertTrue(form.indexOf("value=\"quota.threshold_reached\"") < form.indexOf("value=\"invoice.paid\"")
                    && form.indexOf("value=\"invoice.paid\"") < form.indexOf("value=\"api_key.expiring\""),
                    "in platform-api's order");
            assertTrue(label(form, "webhook-event-invoice-paid").contains("a payment settled the invoice"), form);
            assertTrue(label(form, "webhook-event-api_key-expiring").contains("within a week"), form);
            assertTrue(form.contains("<button id=\"webhook-events-submit\" class=\"primary\" type=\"submit\">"), form);
            assertNull(Forms.text(html, "webhook-events-error"));
            assertNull(done(html));
        }
    }

    @Test
    @TestSecurity(user = "alice")
    void aWebhookWithChosenTypesShowsThemAndHasOnlyTheirBoxesTicked() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.webhook(api, "acme", URL, CREATED, "[\"invoice.finalized\",\"invoice.paid\"]");
        String html = given().when().get("/t/acme/webhook").then().statusCode(200).extract().asString();
        assertEquals("invoice.finalized, invoice.paid", current(html));
        assertTrue(html.contains("id=\"webhook-events-current\"><code>invoice.finalized</code>, "
                + "<code>invoice.paid</code></span>"), html);
        String form = form(html);
        assertFalse(checked(form, "webhook-events-all"), "not every type");
        for (String type : TYPES) {
            boolean chosen = type.equals("invoice.finalized") || type.equals("invoice.paid");
            assertEquals(chosen, checked(form, "webhook-event-" + type.replace('.', '-')), type);
        }
    }

    @Test
    @TestSecurity(user = "alice")
    void theTickedTypesAreSentInPlatformApisOrderAndThePageSaysWhichAreSent() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, put(urlPathEqualTo(EVENTS)), 200, "{\"url\":\"" + URL + "\",\"created_at\":\""
                + CREATED + "\",\"events\":[\"invoice.finalized\",\"api_key.expiring\"]}");
        Forms.from("/t/acme/webhook").formParam("events", "api_key.expiring").formParam("events", "invoice.finalized")
                .formParam("events", "api_key.expiring")
                .when().post(ROUTE).then().statusCode(303)
                .header("Location", endsWith("/t/acme/webhook?done=events"));
        api.verify(1, putRequestedFor(urlPathEqualTo(EVENTS)).withRequestBody(
                equalToJson("{\"events\":[\"invoice.finalized\",\"api_key.expiring\"]}")));

        PlatformApiStub.webhook(api, "acme", URL, CREATED, "[\"invoice.finalized\",\"api_key.expiring\"]");
        String html = given().when().get("/t/acme/webhook?done=events").then().statusCode(200).extract().asString();
        assertEquals("The event types are saved: from now on only invoice.finalized, api_key.expiring are sent, and"
                + " test events.", done(html));
        assertEquals("invoice.finalized, api_key.expiring", current(html));
        assertTrue(checked(form(html), "webhook-event-api_key-expiring"));
        assertFalse(checked(form(html), "webhook-event-invoice-paid"));
    }

    @Test
    @TestSecurity(user = "alice")
    void everyEventTypeSendsNullWhateverBoxesAreTicked() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.webhook(api, "acme", URL, CREATED, "[\"invoice.paid\"]");
        PlatformApiStub.json(api, put(urlPathEqualTo(EVENTS)), 200,
                "{\"url\":\"" + URL + "\",\"created_at\":\"" + CREATED + "\",\"events\":null}");
        Forms.from("/t/acme/webhook").formParam("all", "true").formParam("events", "invoice.paid")
                .when().post(ROUTE).then().statusCode(303)
                .header("Location", endsWith("/t/acme/webhook?done=events"));
        api.verify(1, putRequestedFor(urlPathEqualTo(EVENTS)).withRequestBody(equalToJson("{\"events\":null}")));
        api.resetRequests();
        Forms.from("/t/acme/webhook").formParam("all", "true").when().post(ROUTE).then().statusCode(303);
        api.verify(1, putRequestedFor(urlPathEqualTo(EVENTS)).withRequestBody(equalToJson("{\"events\":null}")));

        PlatformApiStub.webhook(api, "acme", URL, CREATED, "null");
        String html = given().when().get("/t/acme/webhook?done=events").then().statusCode(200).extract().asString();
        assertEquals("The event types are saved: every event type is sent from now on, those added later too.",
                done(html));
        assertEquals("every event type", current(html));
    }

    @Test
    @TestSecurity(user = "alice")
    void nothingTickedIsRefusedWithoutAskingThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = Forms.from("/t/acme/webhook").formParam("events", " ")
                .when().post(ROUTE).then().statusCode(400).extract().asString();
        assertEquals("Choose at least one event type, or every event type.", Forms.text(html, "webhook-events-error"));
        api.verify(0, putRequestedFor(anyUrl()));
        String form = form(html);
        assertFalse(checked(form, "webhook-events-all"), "what was ticked (nothing) stays");
        for (String type : TYPES) {
            assertFalse(checked(form, "webhook-event-" + type.replace('.', '-')), type);
        }
        assertEquals("every event type", current(html), "the webhook as it is");
        assertNull(Forms.text(html, "set-webhook-error"), "no other form is blamed");
    }

    @Test
    @TestSecurity(user = "alice")
    void aRefusalOfThePlatformIsShownEscapedAndKeepsWhatWasTicked() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.invalid(api, put(urlPathEqualTo(EVENTS)), "The request is not valid.",
                "events[2]", "'<b>foo</b>' is not an event type; the types are quota.threshold_reached, ...");
        String html = Forms.from("/t/acme/webhook").formParam("events", "invoice.paid")
                .formParam("events", "<b>foo</b>").formParam("events", "tenant.suspended")
                .when().post(ROUTE).then().statusCode(400).extract().asString();
        api.verify(putRequestedFor(urlPathEqualTo(EVENTS)).withRequestBody(
                equalToJson("{\"events\":[\"invoice.paid\",\"tenant.suspended\",\"<b>foo</b>\"]}")));
        String error = Forms.text(html, "webhook-events-error");
        assertTrue(error.startsWith("The request is not valid."), error);
        assertTrue(error.contains("events[2]: &#39;&lt;b&gt;foo&lt;/b&gt;&#39; is not an event type"), error);
        assertFalse(html.contains("<b>foo</b>"), "nothing sent back is rendered as HTML");
        String form = form(html);
        assertTrue(checked(form, "webhook-event-invoice-paid"));
        assertTrue(checked(form, "webhook-event-tenant-suspended"));
        assertFalse(checked(form, "webhook-events-all"));
        assertFalse(checked(form, "webhook-event-invoice-finalized"));

        PlatformApiStub.invalid(api, put(urlPathEqualTo(EVENTS)), "The request is not valid.",
                "events", "must list 1 to 15 event types, or be null for every one");
        html = Forms.from("/t/acme/webhook").formParam("events", "invoice.paid")
                .when().post(ROUTE).then().statusCode(400).extract().asString();
        assertTrue(Forms.text(html, "webhook-events-error").contains("must list 1 to 15 event types"), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void aWebhookRemovedMeanwhileIsSaidInPlaceOfTheForm() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.problem(api, put(urlPathEqualTo(EVENTS)), 404, "webhook_not_found",
                "Tenant acme has no webhook");
        var csrf = Csrf.from("/t/acme/webhook");
        PlatformApiStub.webhook(api, "acme", null, null);
        String html = csrf.form().formParam("events", "invoice.paid").when().post(ROUTE)
                .then().statusCode(404).extract().asString();
        assertEquals("Tenant acme has no webhook", Forms.text(html, "webhook-events-error"));
        assertFalse(html.contains("webhook-events-form"), "no webhook, no form");
        assertTrue(html.contains("id=\"webhook-none\""), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void aNewUrlKeepsTheChoiceAndThePageShowsIt() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, put(urlPathEqualTo("/api/v1/tenants/acme/webhook")), 200, "{\"url\":\"" + URL
                + "\",\"secret\":\"" + WebhookResourceTest.SECRET + "\",\"created_at\":\"2026-11-20T13:00:00Z\","
                + "\"events\":[\"model.access_granted\"]}");
        String html = Forms.from("/t/acme/webhook").formParam("url", URL).when().post("/t/acme/webhook")
                .then().statusCode(200).extract().asString();
        assertEquals("model.access_granted", current(html));
        assertTrue(checked(form(html), "webhook-event-model-access_granted"));
        assertFalse(checked(form(html), "webhook-events-all"));
    }

    @Test
    @TestSecurity(user = "alice")
    void withoutAWebhookThereIsNoEventsForm() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.webhook(api, "acme", null, null);
        given().when().get("/t/acme/webhook").then().statusCode(200)
                .body(containsString("id=\"webhook-none\""))
                .body(containsString("<form id=\"set-webhook\""))
                .body(not(containsString("webhook-events-form")))
                .body(not(containsString("webhook-events-current")))
                .body(not(containsString("name=\"events\"")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aClosedTenantsAdminSeesTheChoiceButNoForm() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin:closed");
        PlatformApiStub.webhook(api, "acme", URL, CREATED, "[\"invoice.overdue\"]");
        String html = given().when().get("/t/acme/webhook").then().statusCode(200)
                .body(not(containsString("webhook-events-form")))
                .body(not(containsString("name=\"events\"")))
                .extract().asString();
        assertEquals("invoice.overdue", current(html));
    }

    @Test
    @TestSecurity(user = "mallory")
    void aMemberSeesNoFormAndAForgedOneIsRefusedByThePlatform() {
        PlatformApiStub.me(api, "mallory@acme.test", false, "acme:member");
        Response page = given().when().get("/t/acme/webhook");
        String html = page.then().statusCode(200)
                .body(containsString("id=\"webhook-admins-only\""))
                .body(not(containsString("webhook-events-form")))
                .body(not(containsString("webhook-events-all")))
                .body(not(containsString("name=\"events\"")))
                .extract().asString();
        // platform-api answers members 403 for the webhook itself: the page does not ask it
        api.verify(0, anyRequestedFor(urlPathMatching("/api/v1/tenants/acme/webhook.*")));

        PlatformApiStub.problem(api, put(urlPathEqualTo(EVENTS)), 403, "forbidden",
                "Only tenant admins manage the webhook");
        String token = Csrf.metaToken(html);
        given().redirects().follow(false).cookie(Forms.COOKIE, page.getCookie(Forms.COOKIE))
                .formParam("csrf-token", token).formParam("all", "true")
                .when().post(ROUTE).then().statusCode(403)
                .body(containsString("id=\"webhook-events-error\">Only tenant admins manage the webhook</p>"))
                .body(not(containsString("webhook-events-form")));
        api.verify(1, putRequestedFor(urlPathEqualTo(EVENTS)).withRequestBody(equalToJson("{\"events\":null}")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aChangeWithoutTheCsrfTokenNeverReachesThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        given().redirects().follow(false).formParam("all", "true").when().post(ROUTE).then().statusCode(400);
        api.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "bob")
    void anOutsiderGetsTheForbiddenPageAndTheTenantIsNeverAsked() {
        PlatformApiStub.me(api, "bob@globex.test", false, "globex:admin");
        Csrf.fabricated().form().formParam("all", "true").when().post(ROUTE)
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/api/v1/tenants/.*")));
    }

    /** The text of {@code #webhook-events-current}, its tags stripped, or null. */
    static String current(String html) {
        return whole(html, "webhook-events-current", "span");
    }

    /** The text of {@code #webhook-done}, its tags stripped, or null. */
    private static String done(String html) {
        return whole(html, "webhook-done", "p");
    }

    /** The text of the element with that id up to its closing tag (it has none of its kind inside), or null. */
    private static String whole(String html, String id, String tag) {
        Matcher m = Pattern.compile("<" + tag + " [^>]*id=\"" + Pattern.quote(id) + "\"[^>]*>(.*?)</" + tag + ">",
                Pattern.DOTALL).matcher(html);
        return m.find() ? m.group(1).replaceAll("<[^>]+>", "").trim() : null;
    }

    /** The events form, from its start tag to its end. */
    static String form(String html) {
        int start = html.indexOf("<form id=\"webhook-events-form\"");
        if (start < 0) {
            throw new AssertionError("no events form in " + html);
        }
        return html.substring(start, html.indexOf("</form>", start));
    }

    /** The start tag of the input with that id. */
    static String input(String html, String id) {
        Matcher m = Pattern.compile("<input id=\"" + Pattern.quote(id) + "\"[^>]*>").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no input " + id + " in " + html);
        }
        return m.group();
    }

    /** Whether the checkbox with that id is ticked. */
    static boolean checked(String html, String id) {
        return input(html, id).matches("(?s).*\\schecked(\\s|>|=).*");
    }

    /** The text of the label of the input with that id. */
    static String label(String html, String id) {
        Matcher m = Pattern.compile("<label class=\"check\" for=\"" + Pattern.quote(id) + "\">(.*?)</label>",
                Pattern.DOTALL).matcher(html);
        if (!m.find()) {
            throw new AssertionError("no label for " + id + " in " + html);
        }
        return m.group(1).replaceAll("<[^>]+>", "").trim();
    }
}
