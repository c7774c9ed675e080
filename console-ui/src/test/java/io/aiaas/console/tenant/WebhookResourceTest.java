package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.noContent;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class WebhookResourceTest {

    static final String URL = "https://hooks.acme.test/aiaas";
    static final String NEW_URL = "https://events.acme.test/in?source=aiaas&v=1";
    static final String SECRET = "whsec_q8Vn2LbX0rTz5YwK7hJc3mPd9gFs1aEe";
    static final String DELIVERED = "d0000000-0000-4000-8000-000000000001";
    static final String PENDING = "d0000000-0000-4000-8000-000000000002";
    static final String FAILED = "d0000000-0000-4000-8000-000000000003";
    static final String LONG_ERROR = "address refused: hooks.acme.test resolves to 10.0.0.5, a private address (RFC 1918)"
            + " <not public>";
    static final String DELIVERIES = """
            [{"id":"%s","event_id":"e0000000-0000-4000-8000-000000000001","event_type":"webhook.test",
              "state":"DELIVERED","attempts":1,"last_status":200,"last_error":null,
              "created_at":"2026-11-20T12:34:56Z","next_attempt_at":null,"delivered_at":"2026-11-20T12:34:57Z"},
             {"id":"%s","event_id":"e0000000-0000-4000-8000-000000000002","event_type":"invoice.finalized",
              "state":"PENDING","attempts":2,"last_status":500,"last_error":"HTTP 500",
              "created_at":"2026-11-20T11:00:00Z","next_attempt_at":"2026-11-20T11:00:08Z","delivered_at":null},
             {"id":"%s","event_id":"e0000000-0000-4000-8000-000000000003","event_type":"quota.threshold_reached",
              "state":"FAILED","attempts":20,"last_status":null,"last_error":"%s",
              "created_at":"2026-11-19T08:00:00Z","next_attempt_at":null,"delivered_at":null}]"""
            .formatted(DELIVERED, PENDING, FAILED, LONG_ERROR);

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.webhookEventTypes(api);
        PlatformApiStub.webhook(api, "acme", URL, "2026-11-02T08:30:00Z");
        PlatformApiStub.webhookDeliveries(api, "acme", DELIVERIES);
    }

    @Test
    @TestSecurity(user = "alice")
    void anAdminSeesTheUrlTheFormAndTheLatestDeliveries() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().when().get("/t/acme/webhook").then().statusCode(200)
                .body(containsString("<a id=\"nav-webhook\" href=\"/t/acme/webhook\" aria-current=\"page\">"))
                .body(containsString("<form id=\"set-webhook\" method=\"post\" action=\"/t/acme/webhook\">"))
                .body(containsString("<button id=\"webhook-save\""))
                .body(containsString("id=\"webhook-test\""))
                .body(not(containsString("id=\"webhook-secret\"")))
                .body(not(containsString("id=\"webhook-none\"")))
                .extract().asString();
        assertEquals(URL, Forms.text(html, "webhook-url"));
        assertEquals("2026-11-02 08:30", Forms.text(html, "webhook-since"));
        String about = html.substring(html.indexOf("<section id=\"webhook-about\""));
        about = about.substring(0, about.indexOf("</section>"));
        for (String type : new String[] {"quota.threshold_reached", "budget.threshold_reached",
                "key_budget.threshold_reached", "invoice.finalized", "invoice.payment_received", "invoice.paid",
                "invoice.refunded", "invoice.overdue", "webhook.test", "x-aiaas-signature"}) {
            assertTrue(about.contains("<code>" + type), type + " explained: " + about);
        }
        // a payment that leaves part to pay is payment_received; paid is the one that settles the invoice
        assertTrue(about.contains("<code>invoice.payment_received</code> (a payment was recorded and part of the"
                + " invoice is still to be paid)"), about);
        assertTrue(about.contains("<code>invoice.paid</code> (a payment settled the invoice"), about);
        assertFalse(about.contains("href="), "nothing external to follow: " + about);
        assertTrue(html.contains("<input id=\"webhook-url-input\" name=\"url\""), html);
        assertTrue(html.contains("value=\"" + URL + "\""), "the form holds the configured URL");
        assertTrue(html.matches("(?s).*<form id=\"remove-webhook\"[^>]*action=\"/t/acme/webhook/remove\""
                + " data-confirm=\"[^\"]+\">.*"), "removing asks first");
        assertTrue(html.contains("<button type=\"submit\" class=\"danger\" id=\"webhook-remove\">"), html);

        String delivered = row(html, DELIVERED);
        assertTrue(delivered.contains("<code>webhook.test</code>"), delivered);
        assertTrue(delivered.contains("<span class=\"badge DELIVERED\">DELIVERED</span>"), delivered);
        assertTrue(delivered.contains("<td class=\"num\">200</td>"), delivered);
        assertTrue(delivered.contains("delivered <time datetime=\"2026-11-20T12:34:57Z\">2026-11-20 12:34:57</time>"),
                delivered);
        String pending = row(html, PENDING);
        assertTrue(pending.contains("<span class=\"badge PENDING\">PENDING</span>"), pending);
        assertTrue(pending.contains("<td class=\"num\">2</td>"), pending);
        assertTrue(pending.contains(">HTTP 500</td>"), pending);
        assertTrue(pending.contains("next attempt <time datetime=\"2026-11-20T11:00:08Z\">2026-11-20 11:00:08</time>"),
                pending);
        String failed = row(html, FAILED);
        assertTrue(failed.contains("<span class=\"badge FAILED\">FAILED</span>"), failed);
        assertTrue(failed.contains("<td class=\"num\">—</td>"), "no status came back: " + failed);
        String escaped = LONG_ERROR.replace("<", "&lt;").replace(">", "&gt;");
        assertTrue(failed.contains("title=\"" + escaped + "\""), "the whole error on hover: " + failed);
        assertTrue(failed.contains(">" + LONG_ERROR.substring(0, 59).stripTrailing() + "…</td>"),
                "the cell shortened: " + failed);
        assertTrue(html.indexOf(DELIVERED) < html.indexOf(PENDING) && html.indexOf(PENDING) < html.indexOf(FAILED),
                "newest first, as the API answers");

        api.verify(getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/webhook/deliveries"))
                .withQueryParam("limit", equalTo("50")));
        api.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "root")
    void aPlatformAdminWhoIsNoMemberManagesItToo() {
        PlatformApiStub.me(api, "root@aiaas.test", true);
        String html = given().when().get("/t/acme/webhook").then().statusCode(200)
                .body(containsString("id=\"nav-webhook\""))
                .body(containsString("<form id=\"set-webhook\""))
                .extract().asString();
        assertEquals(URL, Forms.text(html, "webhook-url"));
    }

    @Test
    @TestSecurity(user = "alice")
    void withoutAWebhookThePageSaysSoAndOffersNoTestOrRemove() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.webhook(api, "acme", null, null);
        PlatformApiStub.webhookDeliveries(api, "acme", "[]");
        String html = given().when().get("/t/acme/webhook").then().statusCode(200)
                .body(containsString("<form id=\"set-webhook\""))
                .body(not(containsString("id=\"webhook-test\"")))
                .body(not(containsString("id=\"webhook-remove\"")))
                .body(not(containsString("id=\"webhook-url\"")))
                .body(not(containsString("id=\"webhook-deliveries\"")))
                .body(not(containsString("class=\"error\"")))
                .extract().asString();
        assertTrue(Forms.text(html, "webhook-none").contains("No webhook is set"), html);
        assertTrue(Forms.text(html, "webhook-no-deliveries").contains("No deliveries yet"), html);
        assertTrue(html.contains("value=\"\""), "an empty URL field");
    }

    @Test
    @TestSecurity(user = "alice")
    void savingPutsTheUrlAndShowsTheNewSecretOnceOnTheAnswerToThePost() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, put(urlPathEqualTo("/api/v1/tenants/acme/webhook")), 200,
                "{\"url\":\"" + NEW_URL + "\",\"secret\":\"" + SECRET + "\",\"created_at\":\"2026-11-20T13:00:00Z\"}");

        Response saved = Forms.from("/t/acme/webhook").formParam("url", "  " + NEW_URL + " ")
                .when().post("/t/acme/webhook");
        assertEquals(200, saved.statusCode(), "the secret is on this page: no redirect, no secret in a URL");
        assertNull(saved.header("Location"));
        assertEquals("no-store", saved.header("Cache-Control"));
        assertEquals("no-referrer", saved.header("Referrer-Policy"));
        String html = saved.asString();
        assertEquals(SECRET, Forms.text(html, "webhook-secret"));
        assertTrue(html.contains("<button type=\"button\" id=\"copy-webhook-secret\" data-copy-target=\"webhook-secret\">"),
                html);
        assertTrue(html.contains("this is the only time it is shown"), "the warning");
        assertTrue(html.contains("Every save of the URL makes a new secret"), "each save makes a new one");
        assertTrue(html.contains("<code>x-aiaas-signature</code> header of every request"), "what it is for");
        assertEquals(NEW_URL.replace("&", "&amp;"), Forms.text(html, "webhook-url"), "the page shows the new URL");
        assertEquals("2026-11-20 13:00", Forms.text(html, "webhook-since"));
        assertEquals(1, html.split(SECRET, -1).length - 1, "the secret appears once");

        api.verify(putRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/webhook"))
                .withRequestBody(equalToJson("{\"url\":\"" + NEW_URL + "\"}")));

        given().when().get("/t/acme/webhook").then().statusCode(200)
                .body(not(containsString(SECRET)))
                .body(not(containsString("webhook-secret")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aUrlThePlatformRefusesIsShownNextToTheFormWithWhatWasTyped() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.problem(api, put(urlPathEqualTo("/api/v1/tenants/acme/webhook")), 400, "invalid_webhook_url",
                "The webhook host resolves to a private address");
        String html = Forms.from("/t/acme/webhook").formParam("url", "http://10.0.0.5/hook")
                .when().post("/t/acme/webhook").then().statusCode(400).extract().asString();
        assertEquals("The webhook host resolves to a private address", Forms.text(html, "set-webhook-error"));
        assertTrue(html.contains("value=\"http://10.0.0.5/hook\""), "what was typed stays in the field");
        assertFalse(html.contains("webhook-secret"), html);
        assertEquals(URL, Forms.text(html, "webhook-url"), "the configured webhook is still shown");

        PlatformApiStub.invalid(api, put(urlPathEqualTo("/api/v1/tenants/acme/webhook")), "Validation failed",
                "url", "size must be between 0 and 2000");
        String tooLong = "https://hooks.acme.test/" + "a".repeat(2000);
        html = Forms.from("/t/acme/webhook").formParam("url", tooLong)
                .when().post("/t/acme/webhook").then().statusCode(400).extract().asString();
        assertTrue(Forms.text(html, "set-webhook-error").contains("size must be between 0 and 2000"), html);
        assertTrue(html.contains("value=\"" + tooLong + "\""), "kept");
    }

    @Test
    @TestSecurity(user = "alice")
    void aBlankUrlIsRefusedWithoutAskingThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = Forms.from("/t/acme/webhook").formParam("url", "   ")
                .when().post("/t/acme/webhook").then().statusCode(400).extract().asString();
        assertTrue(Forms.text(html, "set-webhook-error").contains("Give the URL"), html);
        api.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "alice")
    void aTestEventIsQueuedAndThePageSaysSo() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, post(urlPathEqualTo("/api/v1/tenants/acme/webhook/test")), 202,
                "{\"delivery_id\":\"d0000000-0000-4000-8000-000000000009\","
                        + "\"event_id\":\"e0000000-0000-4000-8000-000000000009\",\"event_type\":\"webhook.test\"}");
        Forms.from("/t/acme/webhook").when().post("/t/acme/webhook/test")
                .then().statusCode(303).header("Location", endsWith("/t/acme/webhook?done=test"));
        api.verify(1, postRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/webhook/test")));
        String html = given().when().get("/t/acme/webhook?done=test").then().statusCode(200).extract().asString();
        assertTrue(html.contains("id=\"webhook-test-queued\">A <code>webhook.test</code> event is queued"), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void aTestWithoutAWebhookIsRefusedNextToTheButton() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.problem(api, post(urlPathEqualTo("/api/v1/tenants/acme/webhook/test")), 409,
                "webhook_not_configured", "Tenant 'acme' has no webhook");
        String html = Forms.from("/t/acme/webhook").when().post("/t/acme/webhook/test")
                .then().statusCode(409).extract().asString();
        assertEquals("Tenant 'acme' has no webhook".replace("'", "&#39;"), Forms.text(html, "webhook-test-error"));
        assertFalse(html.contains("id=\"webhook-test-queued\""), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void removingSendsDeleteAndRedirectsBackWithANotice() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        api.stubFor(delete(urlPathEqualTo("/api/v1/tenants/acme/webhook")).willReturn(noContent()));
        Forms.from("/t/acme/webhook").when().post("/t/acme/webhook/remove")
                .then().statusCode(303).header("Location", endsWith("/t/acme/webhook?done=removed"));
        api.verify(1, deleteRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/webhook")));

        PlatformApiStub.webhook(api, "acme", null, null);
        String html = given().when().get("/t/acme/webhook?done=removed").then().statusCode(200).extract().asString();
        assertTrue(Forms.text(html, "webhook-removed").contains("removed"), html);
        assertTrue(html.contains("id=\"webhook-none\""), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void aPostWithoutTheCsrfTokenNeverReachesThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        given().redirects().follow(false).formParam("url", NEW_URL).when().post("/t/acme/webhook")
                .then().statusCode(400);
        given().redirects().follow(false).formParam("x", "y").when().post("/t/acme/webhook/test")
                .then().statusCode(400);
        given().redirects().follow(false).formParam("x", "y").when().post("/t/acme/webhook/remove")
                .then().statusCode(400);
        api.verify(0, putRequestedFor(anyUrl()));
        api.verify(0, postRequestedFor(anyUrl()));
        api.verify(0, deleteRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "carol")
    void aMemberIsToldTheWebhookIsForAdminsAndThePlatformIsNotAsked() {
        PlatformApiStub.me(api, "carol@acme.test", false, "acme:member");
        given().when().get("/t/acme/webhook").then().statusCode(200)
                .body(containsString("id=\"webhook-admins-only\""))
                .body(not(containsString("id=\"nav-webhook\"")))
                .body(not(containsString("set-webhook")))
                .body(not(containsString(URL)))
                .body(not(containsString("webhook-deliveries")));
        api.verify(0, anyRequestedFor(urlPathMatching("/api/v1/tenants/acme/webhook.*")));
    }

    @Test
    @TestSecurity(user = "mallory")
    void aMembersForgedSaveIsRefusedByTheApiAndShownInline() {
        PlatformApiStub.me(api, "mallory@acme.test", false, "acme:member");
        PlatformApiStub.problem(api, put(urlPathEqualTo("/api/v1/tenants/acme/webhook")), 403, "forbidden",
                "Only tenant admins manage the webhook");
        // a member's page has no form: the token comes from the layout's meta, as a script would read it
        Response page = given().when().get("/t/acme/webhook");
        String token = Csrf.metaToken(page.asString());
        given().redirects().follow(false).cookie(Forms.COOKIE, page.getCookie(Forms.COOKIE))
                .formParam("csrf-token", token).formParam("url", NEW_URL)
                .when().post("/t/acme/webhook").then().statusCode(403)
                .body(containsString("id=\"set-webhook-error\">Only tenant admins manage the webhook</p>"))
                .body(containsString("id=\"webhook-admins-only\""))
                .body(not(containsString("<form id=\"set-webhook\"")));
        api.verify(0, getRequestedFor(urlPathMatching("/api/v1/tenants/acme/webhook.*")));
    }

    @Test
    @TestSecurity(user = "bob")
    void anOutsiderGetsTheForbiddenPageAndTheTenantIsNeverAsked() {
        PlatformApiStub.me(api, "bob@globex.test", false, "globex:admin");
        given().when().get("/t/acme/webhook").then().statusCode(403)
                .body(containsString("id=\"forbidden\""))
                .body(not(containsString(URL)))
                .body(not(containsString("nav-webhook")));
        Csrf.fabricated().form().formParam("url", NEW_URL).when().post("/t/acme/webhook")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        Csrf.fabricated().form().when().post("/t/acme/webhook/test")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        Csrf.fabricated().form().when().post("/t/acme/webhook/remove")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/api/v1/tenants/.*")));
    }

    /** The table row of the delivery with that id, from its {@code <tr>} to its end. */
    private static String row(String html, String id) {
        int start = html.indexOf("<tr data-delivery-id=\"" + id + "\">");
        if (start < 0) {
            throw new AssertionError("no row for " + id + " in " + html);
        }
        return html.substring(start, html.indexOf("</tr>", start));
    }
}
