package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sending a delivery's event again from the webhook page's latest deliveries: a "Send again" form on each row that is
 * not pending (none while the tenant is closed, without a webhook, or for members), the POST reaching platform-api for
 * that delivery, the redirect and its notice, platform-api's refusals shown above the table, an id that is no UUID
 * answered by the console, and the note on a row that repeats another.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class WebhookRedeliveryTest {

    static final String URL = WebhookResourceTest.URL;
    static final String DELIVERED = WebhookResourceTest.DELIVERED;
    static final String PENDING = WebhookResourceTest.PENDING;
    static final String FAILED = WebhookResourceTest.FAILED;
    static final String AGAIN = "7c1e5a92-4b3d-4f10-9a2e-0d5b8c6f4e21";
    static final String API = "/api/v1/tenants/acme/webhook/deliveries/%s/redeliver";
    static final String ROUTE = "/t/acme/webhook/deliveries/%s/redeliver";
    /** A delivery of the FAILED one's event, sent again, as the list shows it at the top. */
    static final String REDELIVERY = """
            {"id":"%s","event_id":"e0000000-0000-4000-8000-000000000003","event_type":"quota.threshold_reached",
             "state":"DELIVERED","attempts":1,"last_status":204,"last_error":null,
             "created_at":"2026-11-20T13:00:00Z","next_attempt_at":null,"delivered_at":"2026-11-20T13:00:01Z",
             "redelivery_of":"%s"}""".formatted(AGAIN, FAILED);

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.webhookEventTypes(api);
        PlatformApiStub.webhook(api, "acme", URL, "2026-11-02T08:30:00Z");
        PlatformApiStub.webhookDeliveries(api, "acme", WebhookResourceTest.DELIVERIES);
    }

    @Test
    @TestSecurity(user = "alice")
    void failedAndDeliveredRowsOfferSendAgainAndPendingOnesDoNot() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().when().get("/t/acme/webhook").then().statusCode(200).extract().asString();
        for (String id : new String[] {FAILED, DELIVERED}) {
            String form = form(row(html, id), id);
            assertTrue(form.startsWith("<form id=\"redeliver-" + id + "\" class=\"inline\" method=\"post\" action=\""
                    + ROUTE.formatted(id) + "\">"), form);
            assertTrue(form.contains("name=\"csrf-token\""), "the form carries the CSRF token: " + form);
            assertTrue(form.matches("(?s).*<button type=\"submit\" class=\"redeliver\" aria-label=\"Send again the"
                    + " [a-z_.]+ event of [0-9: -]+\">Send again</button>.*"), form);
        }
        String pending = row(html, PENDING);
        assertFalse(pending.contains("<form"), "a pending delivery is retried by itself: " + pending);
        assertFalse(pending.contains("redeliver"), pending);
        assertEquals(2, html.split("class=\"redeliver\"", -1).length - 1, "one button per row not pending");
        assertTrue(html.contains("<th scope=\"col\"><span class=\"visually-hidden\">Send again</span></th>"), html);
        assertNull(Forms.text(html, "webhook-redeliver-error"));
        assertNull(Forms.text(html, "webhook-done"));
        api.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "alice")
    void sendingAgainPostsForThatDeliveryAndRedirectsToTheNotice() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, post(urlPathEqualTo(API.formatted(FAILED))), 202, "{\"delivery_id\":\"" + AGAIN
                + "\",\"event_id\":\"e0000000-0000-4000-8000-000000000003\",\"event_type\":\"quota.threshold_reached\","
                + "\"redelivery_of\":\"" + FAILED + "\"}");
        String action = formAction(given().when().get("/t/acme/webhook").then().extract().asString(), FAILED);
        Forms.from("/t/acme/webhook").when().post(action)
                .then().statusCode(303).header("Location", endsWith("/t/acme/webhook?done=redelivered"));
        api.verify(1, postRequestedFor(urlPathEqualTo(API.formatted(FAILED))));
        api.verify(1, postRequestedFor(urlPathMatching("/api/v1/tenants/acme/webhook/.*")));

        PlatformApiStub.webhookDeliveries(api, "acme", "[" + REDELIVERY + ","
                + WebhookResourceTest.DELIVERIES.substring(1));
        String html = given().when().get("/t/acme/webhook?done=redelivered").then().statusCode(200)
                .extract().asString();
        String done = paragraph(html, "webhook-done");
        assertTrue(done != null && done.startsWith("The event is queued again"), html);
        assertTrue(done.contains("same x-aiaas-event-id as before, so a receiver that already has the event can drop"
                + " the duplicate"), done);
        assertTrue(html.indexOf(AGAIN) < html.indexOf(FAILED), "the new delivery at the top");
    }

    @Test
    @TestSecurity(user = "alice")
    void aDeliveredEventCanBeSentAgainToo() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, post(urlPathEqualTo(API.formatted(DELIVERED))), 202, "{\"delivery_id\":\"" + AGAIN
                + "\",\"event_id\":\"e0000000-0000-4000-8000-000000000001\",\"event_type\":\"webhook.test\","
                + "\"redelivery_of\":\"" + DELIVERED + "\"}");
        Forms.from("/t/acme/webhook").when().post(ROUTE.formatted(DELIVERED))
                .then().statusCode(303).header("Location", endsWith("/t/acme/webhook?done=redelivered"));
        api.verify(1, postRequestedFor(urlPathEqualTo(API.formatted(DELIVERED))));
        api.verify(0, postRequestedFor(urlPathEqualTo(API.formatted(FAILED))));
    }

    @Test
    @TestSecurity(user = "alice")
    void aRedeliveryRowSaysWhichDeliveryItRepeats() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        // rows of a platform-api of before have no redelivery_of at all; the others null
        PlatformApiStub.webhookDeliveries(api, "acme", "[" + REDELIVERY + ","
                + WebhookResourceTest.DELIVERIES.substring(1).replace("\"delivered_at\":null}",
                        "\"delivered_at\":null,\"redelivery_of\":null}"));
        String html = given().when().get("/t/acme/webhook").then().statusCode(200).extract().asString();
        String again = row(html, AGAIN);
        assertTrue(again.startsWith("<tr data-delivery-id=\"" + AGAIN + "\" data-redelivery-of=\"" + FAILED + "\">"),
                again);
        assertTrue(again.contains("<code>quota.threshold_reached</code> <span class=\"muted redelivery-of\""
                + " title=\"Sent again from delivery " + FAILED + "\">again, of <code>" + FAILED.substring(0, 8)
                + "</code></span>"), again);
        assertTrue(again.contains("id=\"redeliver-" + AGAIN + "\""), "a redelivery can be sent again too: " + again);
        assertEquals(1, html.split("data-redelivery-of=", -1).length - 1, "only the redelivery: " + html);
        assertEquals(1, html.split("again, of", -1).length - 1, html);
        for (String id : new String[] {DELIVERED, PENDING, FAILED}) {
            assertTrue(html.contains("<tr data-delivery-id=\"" + id + "\">"), id);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "404|delivery_not_found|Delivery 'd0000000-0000-4000-8000-000000000003' not found",
        "409|delivery_pending|A delivery of this event is still pending; it is retried by itself",
        "409|webhook_not_configured|Tenant 'acme' has no webhook",
        "403|forbidden|Only tenant admins manage the webhook",
    })
    @TestSecurity(user = "alice")
    void aRefusalIsShownAboveTheDeliveries(int status, String code, String detail) {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.problem(api, post(urlPathEqualTo(API.formatted(FAILED))), status, code, detail);
        String html = Forms.from("/t/acme/webhook").when().post(ROUTE.formatted(FAILED))
                .then().statusCode(status).extract().asString();
        assertEquals(detail.replace("'", "&#39;"), Forms.text(html, "webhook-redeliver-error"), html);
        assertEquals(1, html.split("id=\"webhook-redeliver-error\"", -1).length - 1, "once: " + html);
        assertTrue(html.indexOf("id=\"webhook-redeliver-error\"") < html.indexOf("<table id=\"webhook-deliveries\""),
                "above the table");
        assertNull(Forms.text(html, "webhook-done"));
        assertFalse(html.contains("Exception") || html.contains("at io.aiaas"), "no stack trace: " + html);
        assertTrue(html.contains("<tr data-delivery-id=\"" + FAILED + "\">"), "the deliveries still shown");
        api.verify(1, postRequestedFor(urlPathEqualTo(API.formatted(FAILED))));
    }

    @ParameterizedTest
    @CsvSource({"not-a-delivery", "1-2-3-4-5", "d0000000-0000-4000-8000-00000000000Z"})
    @TestSecurity(user = "alice")
    void anIdThatIsNoUuidIsAnswered404WithoutAskingThePlatform(String id) {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = Forms.from("/t/acme/webhook").when().post(ROUTE.formatted(id))
                .then().statusCode(404).extract().asString();
        assertEquals("There is no such delivery: send an event again with the button of its row in the latest"
                + " deliveries.", Forms.text(html, "webhook-redeliver-error"));
        assertFalse(html.contains(id), "the path is not echoed");
        api.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "alice")
    void aClosedTenantsDeliveriesOfferNoSendAgainAndAForgedOneShowsTheRefusalOnce() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin:closed");
        String html = given().when().get("/t/acme/webhook").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<tr data-delivery-id=\"" + FAILED + "\">"), html);
        assertFalse(html.contains("redeliver"), "no Send again on a closed tenant: " + html);
        assertFalse(html.contains(">Send again<"), html);

        PlatformApiStub.tenantClosed(api, post(urlPathEqualTo(API.formatted(FAILED))), "acme");
        html = Csrf.fabricated().form().when().post(ROUTE.formatted(FAILED))
                .then().statusCode(409).extract().asString();
        assertTrue(Forms.text(html, "webhook-redeliver-error").startsWith("Tenant &#39;acme&#39; is closed"), html);
        assertEquals(1, html.split("id=\"webhook-redeliver-error\"", -1).length - 1, "once: " + html);
    }

    @Test
    @TestSecurity(user = "alice")
    void withoutAWebhookTheDeliveriesOfferNoSendAgain() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.webhook(api, "acme", null, null);
        String html = given().when().get("/t/acme/webhook").then().statusCode(200).extract().asString();
        assertTrue(html.contains("id=\"webhook-none\""), html);
        assertTrue(html.contains("<tr data-delivery-id=\"" + FAILED + "\">"), "the deliveries still shown");
        assertFalse(html.contains("class=\"redeliver\""), html);
        assertFalse(html.contains("id=\"redeliver-"), html);
    }

    @Test
    @TestSecurity(user = "carol")
    void aMemberGetsNoButtonAndAForgedPostShowsThePlatformsRefusal() {
        PlatformApiStub.me(api, "carol@acme.test", false, "acme:member");
        given().when().get("/t/acme/webhook").then().statusCode(200)
                .body(containsString("id=\"webhook-admins-only\""))
                .body(not(containsString("redeliver")))
                .body(not(containsString(FAILED)));
        PlatformApiStub.problem(api, post(urlPathEqualTo(API.formatted(FAILED))), 403, "forbidden",
                "Only tenant admins manage the webhook");
        String html = Csrf.fabricated().form().when().post(ROUTE.formatted(FAILED))
                .then().statusCode(403).extract().asString();
        assertEquals("Only tenant admins manage the webhook", Forms.text(html, "webhook-redeliver-error"));
        assertTrue(html.contains("id=\"webhook-admins-only\""), html);
        assertFalse(html.contains("<table id=\"webhook-deliveries\""), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void aPostWithoutTheCsrfTokenNeverReachesThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        given().redirects().follow(false).formParam("x", "y").when().post(ROUTE.formatted(FAILED))
                .then().statusCode(400);
        api.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "bob")
    void anOutsiderGetsTheForbiddenPageAndTheTenantIsNeverAsked() {
        PlatformApiStub.me(api, "bob@globex.test", false, "globex:admin");
        Csrf.fabricated().form().when().post(ROUTE.formatted(FAILED))
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        Csrf.fabricated().form().when().post(ROUTE.formatted("not-a-delivery"))
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/api/v1/tenants/.*")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aTestEventsAnswerWithRedeliveryOfNullStillRedirects() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, post(urlPathEqualTo("/api/v1/tenants/acme/webhook/test")), 202,
                "{\"delivery_id\":\"" + AGAIN + "\",\"event_id\":\"e0000000-0000-4000-8000-000000000009\","
                        + "\"event_type\":\"webhook.test\",\"redelivery_of\":null}");
        Forms.from("/t/acme/webhook").when().post("/t/acme/webhook/test")
                .then().statusCode(303).header("Location", endsWith("/t/acme/webhook?done=test"));
    }

    /** The table row of the delivery with that id, from its {@code <tr>} to its end. */
    private static String row(String html, String id) {
        int start = html.indexOf("<tr data-delivery-id=\"" + id + "\"");
        if (start < 0) {
            throw new AssertionError("no row for " + id + " in " + html);
        }
        return html.substring(start, html.indexOf("</tr>", start));
    }

    /** The text of the paragraph with this id, to its {@code </p>} (tags inside stripped), or null. */
    private static String paragraph(String html, String id) {
        Matcher m = Pattern.compile("<p [^>]*id=\"" + Pattern.quote(id) + "\"[^>]*>(.*?)</p>", Pattern.DOTALL)
                .matcher(html);
        return m.find() ? m.group(1).replaceAll("<[^>]+>", "").trim() : null;
    }

    /** The row's "Send again" form, from its {@code <form>} to its end. */
    private static String form(String row, String id) {
        int start = row.indexOf("<form id=\"redeliver-" + id + "\"");
        if (start < 0) {
            throw new AssertionError("no Send again form in " + row);
        }
        return row.substring(start, row.indexOf("</form>", start) + "</form>".length());
    }

    /** Where the row's "Send again" form posts, as a browser reads it. */
    private static String formAction(String html, String id) {
        Matcher m = Pattern.compile("<form id=\"redeliver-" + Pattern.quote(id) + "\"[^>]* action=\"([^\"]+)\"")
                .matcher(html);
        if (!m.find()) {
            throw new AssertionError("no Send again form for " + id + " in " + html);
        }
        return m.group(1);
    }
}
