package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rotating the webhook's signing secret with an overlap, on the webhook page: the form and its choices (24 hours
 * chosen), the overlap sent as chosen, the new secret shown once with until when the previous one still signs, a
 * running overlap shown on the page, a value the form does not offer refused by the console, platform-api's refusals
 * shown next to the form.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class WebhookSecretRotationTest {

    static final String URL = WebhookResourceTest.URL;
    static final String SECRET = "whsec_R0tat3dN3wS3cr3tXyZ4vB8nM2kL6pQ9";
    static final String CREATED = "2026-11-02T08:30:00Z";
    static final String API = "/api/v1/tenants/acme/webhook/secret";
    static final String ROUTE = "/t/acme/webhook/secret";

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
    void anAdminSeesTheRotateFormWith24HoursChosen() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().when().get("/t/acme/webhook").then().statusCode(200).extract().asString();
        String form = form(html);
        assertTrue(form.startsWith("<form id=\"webhook-rotate-form\" method=\"post\" action=\"" + ROUTE + "\">"), form);
        assertTrue(form.contains("name=\"csrf-token\""), "the form carries the CSRF token");
        assertTrue(form.contains("<select id=\"webhook-rotate-overlap\" name=\"overlap_seconds\""), form);
        assertEquals("<option value=\"0\">Now: the old secret stops at once</option>"
                + "<option value=\"3600\">1 hour</option>"
                + "<option value=\"86400\" selected>24 hours</option>"
                + "<option value=\"604800\">7 days</option>", options(form));
        assertTrue(Forms.text(html, "webhook-rotate-help").contains("each delivery carries both signatures"), form);
        assertTrue(Forms.text(html, "webhook-rotate-help").contains("without losing events"), form);
        assertNull(previous(html), "no overlap running");
        assertNull(Forms.text(html, "webhook-rotate-error"));
        String about = html.substring(html.indexOf("<section id=\"webhook-about\""));
        assertTrue(about.contains("a second <code>v1=</code> follows"), "receivers are told of two signatures");
    }

    @Test
    @TestSecurity(user = "alice")
    void aRunningOverlapIsShownWheneverThePageIsOpened() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/webhook")), 200, "{\"url\":\"" + URL
                + "\",\"created_at\":\"" + CREATED + "\",\"events\":null,"
                + "\"previous_secret_expires_at\":\"2026-11-21T13:00:00Z\"}");
        // the reader's zone moves the page's other times, not this one
        String html = given().cookie("tz", "Europe/Paris").when().get("/t/acme/webhook")
                .then().statusCode(200).extract().asString();
        assertEquals("The previous secret also signs deliveries until 2026-11-21 13:00 UTC.",
                previous(html));
        assertTrue(html.contains("<time datetime=\"2026-11-21T13:00:00Z\">2026-11-21 13:00 UTC</time>"), html);
        assertFalse(html.contains("id=\"webhook-secret\""), "no secret on a GET");
    }

    @Test
    @TestSecurity(user = "alice")
    void rotatingSendsTheChosenOverlapAndShowsTheNewSecretOnce() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        for (long overlap : new long[] {3_600, 86_400, 604_800}) {
            api.resetRequests();
            PlatformApiStub.json(api, post(urlPathEqualTo(API)), 200, "{\"url\":\"" + URL + "\",\"secret\":\""
                    + SECRET + "\",\"created_at\":\"2026-11-20T13:00:00Z\",\"events\":[\"invoice.paid\"],"
                    + "\"previous_secret_expires_at\":\"2026-11-21T13:00:00Z\"}");
            Response rotated = Forms.from("/t/acme/webhook").formParam("overlap_seconds", Long.toString(overlap))
                    .when().post(ROUTE);
            assertEquals(200, rotated.statusCode(), "the secret is on this page: no redirect, no secret in a URL");
            assertNull(rotated.header("Location"));
            assertEquals("no-store", rotated.header("Cache-Control"));
            assertEquals("no-referrer", rotated.header("Referrer-Policy"));
            api.verify(1, postRequestedFor(urlPathEqualTo(API))
                    .withRequestBody(equalToJson("{\"overlap_seconds\":" + overlap + "}")));

            String html = rotated.asString();
            assertEquals(SECRET, Forms.text(html, "webhook-secret"), "shown as after a save of the URL");
            assertTrue(html.contains("id=\"webhook-new-secret\""), html);
            assertTrue(html.contains("this is the only time it is shown"), "the warning");
            assertEquals(1, html.split(SECRET, -1).length - 1, "the secret appears once");
            assertEquals("The previous secret also signs deliveries until 2026-11-21 13:00 UTC.",
                    previous(html));
            assertEquals("2026-11-20 13:00", Forms.text(html, "webhook-since"), "the page shows the answer");
            assertTrue(html.contains("id=\"webhook-events-current\"><code>invoice.paid</code>"), html);
        }

        given().when().get("/t/acme/webhook").then().statusCode(200)
                .body(not(containsString(SECRET)))
                .body(not(containsString("id=\"webhook-secret\"")));
    }

    @Test
    @TestSecurity(user = "alice")
    void rotatingWithoutOverlapStopsThePreviousSecretAndSaysNothingOfIt() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, post(urlPathEqualTo(API)), 200, "{\"url\":\"" + URL + "\",\"secret\":\"" + SECRET
                + "\",\"created_at\":\"2026-11-20T13:00:00Z\",\"events\":null,\"previous_secret_expires_at\":null}");
        String html = Forms.from("/t/acme/webhook").formParam("overlap_seconds", "0").when().post(ROUTE)
                .then().statusCode(200).extract().asString();
        api.verify(1, postRequestedFor(urlPathEqualTo(API)).withRequestBody(equalToJson("{\"overlap_seconds\":0}")));
        assertEquals(SECRET, Forms.text(html, "webhook-secret"));
        assertNull(previous(html), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void anOverlapTheFormDoesNotOfferIsRefusedWithoutAskingThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        for (String bogus : new String[] {"86401", "-1", "1e3", "abc", " ", "<b>7 days</b>", "99999999999999999999"}) {
            String html = Forms.from("/t/acme/webhook").formParam("overlap_seconds", bogus).when().post(ROUTE)
                    .then().statusCode(400).extract().asString();
            assertEquals("Choose when the previous secret stops: now, after 1 hour, after 24 hours or after 7 days.",
                    Forms.text(html, "webhook-rotate-error"), bogus);
            assertTrue(options(form(html)).contains("<option value=\"86400\" selected>"), "the form again");
            assertFalse(html.contains("<b>7 days</b>"), "nothing posted is rendered as HTML");
        }
        Forms.from("/t/acme/webhook").when().post(ROUTE).then().statusCode(400)
                .body(containsString("id=\"webhook-rotate-error\">Choose when the previous secret stops"));
        api.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "alice")
    void aRefusalOfThePlatformIsShownNextToTheFormAndKeepsTheChoice() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.invalid(api, post(urlPathEqualTo(API)), "The request is not valid.",
                "overlap_seconds", "must be between 0 and 604800");
        String html = Forms.from("/t/acme/webhook").formParam("overlap_seconds", "3600").when().post(ROUTE)
                .then().statusCode(400).extract().asString();
        assertEquals("The request is not valid. overlap_seconds: must be between 0 and 604800.",
                Forms.text(html, "webhook-rotate-error"));
        assertTrue(options(form(html)).contains("<option value=\"3600\" selected>1 hour</option>"), html);
        assertFalse(options(form(html)).contains("<option value=\"86400\" selected>"), html);
        assertFalse(html.contains("id=\"webhook-secret\""), "no secret");
        assertNull(Forms.text(html, "set-webhook-error"), "no other form is blamed");
        assertFalse(html.contains("Exception"), "no stack trace");
    }

    @Test
    @TestSecurity(user = "alice")
    void aWebhookRemovedMeanwhileIsSaidInPlaceOfTheForm() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        var csrf = Csrf.from("/t/acme/webhook");
        PlatformApiStub.problem(api, post(urlPathEqualTo(API)), 404, "webhook_not_found", "Tenant acme has no webhook");
        PlatformApiStub.webhook(api, "acme", null, null);
        String html = csrf.form().formParam("overlap_seconds", "86400").when().post(ROUTE)
                .then().statusCode(404).extract().asString();
        assertEquals("Tenant acme has no webhook", Forms.text(html, "webhook-rotate-error"));
        assertFalse(html.contains("webhook-rotate-form"), "no webhook, no form");
        assertTrue(html.contains("id=\"webhook-none\""), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void withoutAWebhookThereIsNoRotateForm() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.webhook(api, "acme", null, null);
        given().when().get("/t/acme/webhook").then().statusCode(200)
                .body(containsString("<form id=\"set-webhook\""))
                .body(not(containsString("webhook-rotate")))
                .body(not(containsString("overlap_seconds")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aClosedTenantsAdminSeesTheOverlapButNoFormAndAForgedRotationIsRefused() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin:closed");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/webhook")), 200, "{\"url\":\"" + URL
                + "\",\"created_at\":\"" + CREATED + "\",\"previous_secret_expires_at\":\"2026-11-21T13:00:00Z\"}");
        String html = given().when().get("/t/acme/webhook").then().statusCode(200)
                .body(not(containsString("webhook-rotate-form")))
                .body(not(containsString("overlap_seconds")))
                .extract().asString();
        assertTrue(previous(html).endsWith("until 2026-11-21 13:00 UTC."), html);

        PlatformApiStub.tenantClosed(api, post(urlPathEqualTo(API)), "acme");
        html = Forms.from("/t/acme/webhook").formParam("overlap_seconds", "0").when().post(ROUTE)
                .then().statusCode(409).extract().asString();
        assertTrue(Forms.text(html, "webhook-rotate-error").startsWith("Tenant &#39;acme&#39; is closed"), html);
        assertFalse(html.contains("webhook-rotate-form"), html);
    }

    @Test
    @TestSecurity(user = "mallory")
    void aMemberSeesNoFormAndAForgedRotationIsRefusedByThePlatform() {
        PlatformApiStub.me(api, "mallory@acme.test", false, "acme:member");
        Response page = given().when().get("/t/acme/webhook");
        String html = page.then().statusCode(200)
                .body(containsString("id=\"webhook-admins-only\""))
                .body(not(containsString("webhook-rotate")))
                .body(not(containsString("overlap_seconds")))
                .body(not(containsString("webhook-previous-secret")))
                .extract().asString();
        api.verify(0, anyRequestedFor(urlPathMatching("/api/v1/tenants/acme/webhook.*")));

        PlatformApiStub.problem(api, post(urlPathEqualTo(API)), 403, "forbidden",
                "Only tenant admins manage the webhook");
        String token = Csrf.metaToken(html);
        given().redirects().follow(false).cookie(Forms.COOKIE, page.getCookie(Forms.COOKIE))
                .formParam("csrf-token", token).formParam("overlap_seconds", "604800")
                .when().post(ROUTE).then().statusCode(403)
                .body(containsString("id=\"webhook-rotate-error\">Only tenant admins manage the webhook</p>"))
                .body(not(containsString("webhook-rotate-form")));
        api.verify(1, postRequestedFor(urlPathEqualTo(API))
                .withRequestBody(equalToJson("{\"overlap_seconds\":604800}")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aRotationWithoutTheCsrfTokenNeverReachesThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        given().redirects().follow(false).formParam("overlap_seconds", "0").when().post(ROUTE)
                .then().statusCode(400);
        api.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "bob")
    void anOutsiderGetsTheForbiddenPageAndTheTenantIsNeverAsked() {
        PlatformApiStub.me(api, "bob@globex.test", false, "globex:admin");
        Csrf.fabricated().form().formParam("overlap_seconds", "0").when().post(ROUTE)
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/api/v1/tenants/.*")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aNewUrlEndsTheOverlap() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, put(urlPathEqualTo("/api/v1/tenants/acme/webhook")), 200, "{\"url\":\"" + URL
                + "\",\"secret\":\"" + SECRET + "\",\"created_at\":\"2026-11-20T13:00:00Z\",\"events\":null,"
                + "\"previous_secret_expires_at\":null}");
        String html = Forms.from("/t/acme/webhook").formParam("url", URL).when().post("/t/acme/webhook")
                .then().statusCode(200).extract().asString();
        assertEquals(SECRET, Forms.text(html, "webhook-secret"));
        assertNull(previous(html), html);
        assertTrue(html.contains("<form id=\"webhook-rotate-form\""), "the new webhook may be rotated too");
    }

    /** The text of {@code p#webhook-previous-secret}, its tags stripped, or null. */
    private static String previous(String html) {
        Matcher m = Pattern.compile("<p [^>]*id=\"webhook-previous-secret\"[^>]*>(.*?)</p>", Pattern.DOTALL)
                .matcher(html);
        return m.find() ? m.group(1).replaceAll("<[^>]+>", "").trim() : null;
    }

    /** The rotation form, from its start tag to its end. */
    private static String form(String html) {
        int start = html.indexOf("<form id=\"webhook-rotate-form\"");
        if (start < 0) {
            throw new AssertionError("no rotate form in " + html);
        }
        return html.substring(start, html.indexOf("</form>", start));
    }

    /** The select's options, whitespace between them left out. */
    private static String options(String form) {
        Matcher m = Pattern.compile("<option[^>]*>[^<]*</option>").matcher(form);
        StringBuilder all = new StringBuilder();
        while (m.find()) {
            all.append(m.group());
        }
        return all.toString();
    }
}
