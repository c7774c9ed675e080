package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
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
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.aiaas.console.testsupport.Csrf;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "Send every failed event again" above the webhook page's latest deliveries: the form only where platform-api would
 * send (an open tenant with a webhook, for its admins), the since sent for the chosen period, the redirect and its
 * notice (read defensively from the query), platform-api's refusals and the console's own for a period it does not
 * offer, and the deliveries' state filter ({@code ?state=FAILED}) passed on to platform-api, anything else ignored.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class WebhookFailedRedeliveryTest {

    static final String FAILED = WebhookResourceTest.FAILED;
    static final String API = "/api/v1/tenants/acme/webhook/deliveries/redeliver-failed";
    static final String LIST = "/api/v1/tenants/acme/webhook/deliveries";
    static final String ROUTE = "/t/acme/webhook/deliveries/redeliver-failed";
    /** The whole body platform-api is sent: only since, to the second, in UTC. */
    static final Pattern SINCE = Pattern.compile(
            "\\{\"since\":\"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)\"}");

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.webhookEventTypes(api);
        PlatformApiStub.webhook(api, "acme", WebhookResourceTest.URL, "2026-11-02T08:30:00Z");
        PlatformApiStub.webhookDeliveries(api, "acme", WebhookResourceTest.DELIVERIES);
    }

    @Test
    @TestSecurity(user = "alice")
    void anAdminOfAnOpenTenantWithAWebhookGetsTheFormAboveTheDeliveries() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().when().get("/t/acme/webhook").then().statusCode(200).extract().asString();
        String form = form(html);
        assertTrue(form.startsWith("<form id=\"webhook-redeliver-failed-form\" method=\"post\" action=\"" + ROUTE
                + "\">"), form);
        assertTrue(form.contains("name=\"csrf-token\""), "the form carries the CSRF token: " + form);
        assertTrue(form.contains("<select id=\"webhook-redeliver-failed-within\" name=\"within\""), form);
        assertEquals(List.of(
                "<option value=\"1h\">the last hour</option>",
                "<option value=\"24h\" selected>the last 24 hours</option>",
                "<option value=\"3d\">the last 3 days</option>",
                "<option value=\"7d\">the last 7 days</option>",
                "<option value=\"30d\">the last 30 days</option>"), options(form));
        assertTrue(form.contains("<button type=\"submit\" id=\"webhook-redeliver-failed\">Send every failed event"
                + " again</button>"), form);
        assertTrue(html.indexOf("id=\"webhook-redeliver-failed-form\"")
                < html.indexOf("<table id=\"webhook-deliveries\""), "above the table");
        assertNull(Forms.text(html, "webhook-redeliver-failed-error"));
        assertNull(Forms.text(html, "webhook-done"));
        api.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "alice")
    void aClosedTenantGetsNoFormAndAForgedPostShowsTheRefusalOnce() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin:closed");
        String html = given().when().get("/t/acme/webhook").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<tr data-delivery-id=\"" + FAILED + "\">"), "the deliveries still shown: " + html);
        assertFalse(html.contains("redeliver-failed"), html);
        assertFalse(html.contains("Send every failed event again"), html);

        PlatformApiStub.tenantClosed(api, post(urlPathEqualTo(API)), "acme");
        html = Csrf.fabricated().form().formParam("within", "24h").when().post(ROUTE)
                .then().statusCode(409).extract().asString();
        assertTrue(Forms.text(html, "webhook-redeliver-failed-error").startsWith("Tenant &#39;acme&#39; is closed"),
                html);
        assertEquals(1, html.split("id=\"webhook-redeliver-failed-error\"", -1).length - 1, "once: " + html);
        assertFalse(html.contains("id=\"webhook-redeliver-failed-form\""), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void withoutAWebhookThereIsNoForm() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.webhook(api, "acme", null, null);
        String html = given().when().get("/t/acme/webhook").then().statusCode(200).extract().asString();
        assertTrue(html.contains("id=\"webhook-none\""), html);
        assertTrue(html.contains("<tr data-delivery-id=\"" + FAILED + "\">"), "the deliveries still shown");
        assertFalse(html.contains("redeliver-failed"), html);
    }

    @Test
    @TestSecurity(user = "carol")
    void aMemberGetsNoFormAndAForgedPostShowsThePlatformsRefusal() {
        PlatformApiStub.me(api, "carol@acme.test", false, "acme:member");
        given().when().get("/t/acme/webhook").then().statusCode(200)
                .body(containsString("id=\"webhook-admins-only\""))
                .body(not(containsString("redeliver-failed")))
                .body(not(containsString("webhook-show-failed")));
        PlatformApiStub.problem(api, post(urlPathEqualTo(API)), 403, "forbidden",
                "Only tenant admins manage the webhook");
        String html = Csrf.fabricated().form().formParam("within", "1h").when().post(ROUTE)
                .then().statusCode(403).extract().asString();
        assertEquals("Only tenant admins manage the webhook", Forms.text(html, "webhook-redeliver-failed-error"));
        assertTrue(html.contains("id=\"webhook-admins-only\""), html);
        assertFalse(html.contains("<table id=\"webhook-deliveries\""), html);
    }

    @ParameterizedTest
    @CsvSource({"1h, PT1H", "24h, PT24H", "3d, PT72H", "7d, PT168H", "30d, PT720H"})
    @TestSecurity(user = "alice")
    void theChosenPeriodIsSentAsSinceNowLessThePeriod(String within, Duration period) {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, post(urlPathEqualTo(API)), 202,
                "{\"since\":\"2026-12-01T08:00:00Z\",\"queued\":2,\"more\":false}");
        var form = Forms.from("/t/acme/webhook").formParam("within", within);
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        form.when().post(ROUTE).then().statusCode(303);
        Instant after = Instant.now();

        List<LoggedRequest> sent = api.findAll(postRequestedFor(urlPathEqualTo(API)));
        assertEquals(1, sent.size());
        assertEquals("application/json", sent.get(0).getHeader("Content-Type").split(";")[0]);
        Matcher body = SINCE.matcher(sent.get(0).getBodyAsString());
        assertTrue(body.matches(), "only since, to the second, in UTC: " + sent.get(0).getBodyAsString());
        Instant since = Instant.parse(body.group(1));
        assertFalse(since.isBefore(before.minus(period)), since + " is " + period + " before " + before + " or after");
        assertFalse(since.isAfter(after.minus(period)), since + " is " + period + " before " + after + " or before");
        api.verify(1, postRequestedFor(urlPathMatching("/api/v1/tenants/acme/webhook/.*")));
    }

    @Test
    @TestSecurity(user = "alice")
    void sendingRedirectsWithWhatPlatformApiQueued() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, post(urlPathEqualTo(API)), 202,
                "{\"since\":\"2026-12-01T08:00:00Z\",\"queued\":1000,\"more\":true}");
        String action = formAction(given().when().get("/t/acme/webhook").then().extract().asString());
        Forms.from("/t/acme/webhook").formParam("within", "7d").when().post(action).then().statusCode(303)
                .header("Location", endsWith("/t/acme/webhook?done=redelivered-failed&queued=1000&more=true"));
        api.verify(1, postRequestedFor(urlPathEqualTo(API)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "queued=0&more=false|No event failed in that time: nothing to send again.",
        "queued=1&more=false|1 failed event is queued again.",
        "queued=3&more=false|3 failed events are queued again.",
        "queued=1000&more=true|1,000 failed events are queued again. More are left: send again to queue the next"
            + " 1,000.",
        "queued=0&more=true|No event failed in that time: nothing to send again.",
        "queued=3&more=maybe|3 failed events are queued again.",
        "queued=lots&more=true|The failed events are queued again: their new deliveries show below.",
        "queued=-4|The failed events are queued again: their new deliveries show below.",
        "queued=99999999999999999999&more=true|The failed events are queued again: their new deliveries show below.",
        "more=true|The failed events are queued again: their new deliveries show below.",
    })
    @TestSecurity(user = "alice")
    void theNoticeSaysHowManyWereQueuedAndATamperedQueryNeverFails(String query, String notice) {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().when().get("/t/acme/webhook?done=redelivered-failed&" + query).then().statusCode(200)
                .extract().asString();
        assertEquals(notice, paragraph(html, "webhook-done"), html);
        assertEquals(1, html.split("id=\"webhook-done\"", -1).length - 1, "once: " + html);
    }

    @Test
    @TestSecurity(user = "alice")
    void aCountWithoutItsDoneSaysNothing() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().when().get("/t/acme/webhook?done=nonsense&queued=3&more=true").then().statusCode(200)
                .extract().asString();
        assertNull(paragraph(html, "webhook-done"), html);
        assertFalse(html.contains("queued again"), html);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "400|invalid_since|since '2026-13-01T00:00:00Z' is not an ISO-8601 instant with its offset",
        "400|invalid_json|The body is not valid JSON",
        "409|webhook_not_configured|Tenant 'acme' has no webhook",
        "403|forbidden|Only tenant admins manage the webhook",
    })
    @TestSecurity(user = "alice")
    void aRefusalIsShownAboveTheDeliveriesKeepingThePeriod(int status, String code, String detail) {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.problem(api, post(urlPathEqualTo(API)), status, code, detail);
        String html = Forms.from("/t/acme/webhook").formParam("within", "3d").when().post(ROUTE)
                .then().statusCode(status).extract().asString();
        assertEquals(detail.replace("'", "&#39;"), Forms.text(html, "webhook-redeliver-failed-error"), html);
        assertEquals(1, html.split("id=\"webhook-redeliver-failed-error\"", -1).length - 1, "once: " + html);
        assertTrue(html.indexOf("id=\"webhook-redeliver-failed-error\"")
                < html.indexOf("<table id=\"webhook-deliveries\""), "above the table");
        assertTrue(options(form(html)).contains("<option value=\"3d\" selected>the last 3 days</option>"),
                "the period kept: " + form(html));
        assertNull(Forms.text(html, "webhook-done"));
        assertFalse(html.contains("Exception") || html.contains("at io.aiaas"), "no stack trace: " + html);
        assertTrue(html.contains("<tr data-delivery-id=\"" + FAILED + "\">"), "the deliveries still shown");
        api.verify(1, postRequestedFor(urlPathEqualTo(API)));
    }

    @Test
    @TestSecurity(user = "alice")
    void aFailureOfThePlatformIsA502WithoutAStackTrace() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.problem(api, post(urlPathEqualTo(API)), 500, "internal_error", "Something went wrong");
        String html = Forms.from("/t/acme/webhook").formParam("within", "24h").when().post(ROUTE)
                .then().statusCode(502).extract().asString();
        assertEquals("Something went wrong", Forms.text(html, "webhook-redeliver-failed-error"), html);
        assertFalse(html.contains("Exception") || html.contains("at io.aiaas"), "no stack trace: " + html);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2h", "24H", "1d", "86400", "365d", "24h&within=7d"})
    @TestSecurity(user = "alice")
    void aPeriodTheSelectDoesNotOfferIsRefusedWithoutAskingThePlatform(String within) {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = Forms.from("/t/acme/webhook").formParam("within", within).when().post(ROUTE)
                .then().statusCode(400).extract().asString();
        assertEquals("Choose how far back failed events are sent again: the last hour, 24 hours, 3 days, 7 days or 30"
                + " days.", Forms.text(html, "webhook-redeliver-failed-error"));
        assertTrue(options(form(html)).contains("<option value=\"24h\" selected>the last 24 hours</option>"), html);
        api.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "alice")
    void aPostWithoutAPeriodIsRefusedWithoutAskingThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = Forms.from("/t/acme/webhook").when().post(ROUTE).then().statusCode(400).extract().asString();
        assertTrue(Forms.text(html, "webhook-redeliver-failed-error").startsWith("Choose how far back"), html);
        api.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "alice")
    void aPostWithoutTheCsrfTokenNeverReachesThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        given().redirects().follow(false).formParam("within", "24h").when().post(ROUTE).then().statusCode(400);
        api.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "bob")
    void anOutsiderGetsTheForbiddenPageAndTheTenantIsNeverAsked() {
        PlatformApiStub.me(api, "bob@globex.test", false, "globex:admin");
        Csrf.fabricated().form().formParam("within", "24h").when().post(ROUTE)
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        given().when().get("/t/acme/webhook?state=FAILED").then().statusCode(403);
        api.verify(0, anyRequestedFor(urlPathMatching("/api/v1/tenants/.*")));
    }

    @Test
    @TestSecurity(user = "alice")
    void everyStateIsShownUnlessAskedWithALinkToTheFailedOnes() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().when().get("/t/acme/webhook").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<h2 id=\"webhook-deliveries-heading\">Latest deliveries</h2>"), html);
        assertTrue(html.contains("<a id=\"webhook-show-failed\" href=\"/t/acme/webhook?state=FAILED\">"), html);
        assertFalse(html.contains("id=\"webhook-show-all\""), html);
        assertTrue(paragraph(html, "webhook-deliveries-filter").startsWith("Deliveries in every state are shown."));
        api.verify(getRequestedFor(urlPathEqualTo(LIST)).withQueryParam("limit", equalTo("50"))
                .withQueryParam("state", absent()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"FAILED", "failed", "Failed"})
    @TestSecurity(user = "alice")
    void onlyTheFailedDeliveriesAreAskedForAndShown(String state) {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.webhookDeliveries(api, "acme", "[" + WebhookResourceTest.DELIVERIES.substring(
                WebhookResourceTest.DELIVERIES.lastIndexOf("{\"id\"")));
        String html = given().when().get("/t/acme/webhook?state=" + state).then().statusCode(200).extract().asString();
        api.verify(1, getRequestedFor(urlPathEqualTo(LIST)).withQueryParam("limit", equalTo("50"))
                .withQueryParam("state", equalTo("FAILED")));
        assertTrue(html.contains("<h2 id=\"webhook-deliveries-heading\">Latest deliveries, failed only</h2>"), html);
        assertTrue(paragraph(html, "webhook-deliveries-filter").startsWith("Only deliveries in state FAILED are"
                + " shown."), html);
        assertTrue(html.contains("<a id=\"webhook-show-all\" href=\"/t/acme/webhook\">"), html);
        assertFalse(html.contains("id=\"webhook-show-failed\""), html);
        assertTrue(html.contains("<caption class=\"visually-hidden\">The latest 1 failed deliveries, newest first"),
                html);
        assertTrue(html.contains("<tr data-delivery-id=\"" + FAILED + "\">"), html);
        assertTrue(html.contains("id=\"webhook-redeliver-failed-form\""), "the form too: " + html);
    }

    @Test
    @TestSecurity(user = "alice")
    void anotherStateCanBeAskedForAndTheFailedOnesAreALinkAway() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.webhookDeliveries(api, "acme", "[]");
        String html = given().when().get("/t/acme/webhook?state=pending").then().statusCode(200).extract().asString();
        api.verify(getRequestedFor(urlPathEqualTo(LIST)).withQueryParam("state", equalTo("PENDING")));
        assertTrue(html.contains("Latest deliveries, pending only</h2>"), html);
        assertEquals("No pending deliveries.", Forms.text(html, "webhook-no-deliveries"), html);
        assertTrue(html.contains("id=\"webhook-show-all\""), html);
        assertTrue(html.contains("id=\"webhook-show-failed\""), html);
    }

    @ParameterizedTest
    @ValueSource(strings = {"BOGUS", "ALL", "FAILED%2CPENDING", "%22%3E%3Cscript%3E", "f"})
    @TestSecurity(user = "alice")
    void aStateTheConsoleDoesNotKnowIsIgnoredAndEveryStateShown(String state) {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().urlEncodingEnabled(false).when().get("/t/acme/webhook?state=" + state)
                .then().statusCode(200).extract().asString();
        api.verify(1, getRequestedFor(urlPathEqualTo(LIST)).withQueryParam("state", absent()));
        assertTrue(html.contains("<h2 id=\"webhook-deliveries-heading\">Latest deliveries</h2>"), html);
        assertTrue(html.contains("id=\"webhook-show-failed\""), html);
        assertFalse(html.contains("\"><script>"), "the query is not echoed: " + html);
        for (String id : new String[] {WebhookResourceTest.DELIVERED, WebhookResourceTest.PENDING, FAILED}) {
            assertTrue(html.contains("<tr data-delivery-id=\"" + id + "\">"), id);
        }
    }

    /** The failed events form, from its {@code <form>} to its end. */
    private static String form(String html) {
        int start = html.indexOf("<form id=\"webhook-redeliver-failed-form\"");
        if (start < 0) {
            throw new AssertionError("no failed events form in " + html);
        }
        return html.substring(start, html.indexOf("</form>", start) + "</form>".length());
    }

    /** The select's options, each as written. */
    private static List<String> options(String form) {
        return Pattern.compile("<option [^>]*>[^<]*</option>").matcher(form).results().map(m -> m.group()).toList();
    }

    /** Where the failed events form posts, as a browser reads it. */
    private static String formAction(String html) {
        Matcher m = Pattern.compile("<form id=\"webhook-redeliver-failed-form\"[^>]* action=\"([^\"]+)\"")
                .matcher(html);
        if (!m.find()) {
            throw new AssertionError("no failed events form in " + html);
        }
        return m.group(1);
    }

    /** The text of the paragraph with this id, to its {@code </p>} (tags inside stripped), or null. */
    private static String paragraph(String html, String id) {
        Matcher m = Pattern.compile("<p [^>]*id=\"" + Pattern.quote(id) + "\"[^>]*>(.*?)</p>", Pattern.DOTALL)
                .matcher(html);
        return m.find() ? m.group(1).replaceAll("<[^>]+>", "").trim() : null;
    }
}
