package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static io.aiaas.console.tenant.WebhookEventsTest.CREATED;
import static io.aiaas.console.tenant.WebhookEventsTest.EVENTS;
import static io.aiaas.console.tenant.WebhookEventsTest.ROUTE;
import static io.aiaas.console.tenant.WebhookEventsTest.URL;
import static io.aiaas.console.tenant.WebhookEventsTest.checked;
import static io.aiaas.console.tenant.WebhookEventsTest.current;
import static io.aiaas.console.tenant.WebhookEventsTest.form;
import static io.aiaas.console.tenant.WebhookEventsTest.label;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook page's event types come from platform-api's catalogue ({@code GET /api/v1/webhook-event-types}), the
 * console keeping no list of its own: a type platform-api adds gets a box, what is sent follows the catalogue's order,
 * a chosen type the catalogue does not list stays ticked and is kept by a save, and without the catalogue the page is
 * still shown, its events form replaced by a note, a post of it refused without a call.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class WebhookEventCatalogueTest {

    static final String CATALOGUE = "/api/v1/webhook-event-types";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.webhookEventTypes(api);
        PlatformApiStub.webhook(api, "acme", URL, CREATED);
        PlatformApiStub.webhookDeliveries(api, "acme", WebhookResourceTest.DELIVERIES);
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
    }

    @Test
    @TestSecurity(user = "alice")
    void aTypePlatformApiAddsGetsABoxWithItsDescription() {
        PlatformApiStub.webhookEventTypes(api, "[" + PlatformApiStub.WEBHOOK_EVENT_TYPES + ","
                + PlatformApiStub.eventType("usage.spike", "calls far above their usual rate") + "]");
        String html = given().when().get("/t/acme/webhook").then().statusCode(200).extract().asString();
        String form = form(html);
        assertEquals(16, form.split("name=\"events\"", -1).length - 1, "a box per type served, no more");
        assertTrue(checked(form, "webhook-event-usage-spike"), "every type: the new one ticked too");
        assertEquals("usage.spike: calls far above their usual rate", label(form, "webhook-event-usage-spike"));
        assertTrue(form.indexOf("value=\"api_key.expiring\"") < form.indexOf("value=\"usage.spike\""), form);
        String about = html.substring(html.indexOf("<section id=\"webhook-about\""));
        assertTrue(about.contains("<code>usage.spike</code> (calls far above their usual rate)"), about);
    }

    @Test
    @TestSecurity(user = "alice")
    void theTickedTypesAreSentInTheServedOrder() {
        PlatformApiStub.webhookEventTypes(api, "["
                + PlatformApiStub.eventType("tenant.resumed", "your keys work again") + ","
                + PlatformApiStub.eventType("invoice.paid", "paid") + ","
                + PlatformApiStub.eventType("quota.threshold_reached", "a quota") + "]");
        String form = form(given().when().get("/t/acme/webhook").then().statusCode(200).extract().asString());
        assertTrue(form.indexOf("value=\"tenant.resumed\"") < form.indexOf("value=\"invoice.paid\"")
                && form.indexOf("value=\"invoice.paid\"") < form.indexOf("value=\"quota.threshold_reached\""),
                "the boxes in the served order: " + form);
        assertEquals(3, form.split("name=\"events\"", -1).length - 1, "only the served types: " + form);

        PlatformApiStub.json(api, put(urlPathEqualTo(EVENTS)), 200, "{\"url\":\"" + URL + "\",\"created_at\":\""
                + CREATED + "\",\"events\":[\"tenant.resumed\",\"invoice.paid\",\"quota.threshold_reached\"]}");
        Forms.from("/t/acme/webhook").formParam("events", "quota.threshold_reached")
                .formParam("events", "invoice.paid").formParam("events", "tenant.resumed")
                .when().post(ROUTE).then().statusCode(303).header("Location", endsWith("/t/acme/webhook?done=events"));
        api.verify(1, putRequestedFor(urlPathEqualTo(EVENTS)).withRequestBody(equalToJson(
                "{\"events\":[\"tenant.resumed\",\"invoice.paid\",\"quota.threshold_reached\"]}")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aChosenTypeTheCatalogueDoesNotListStaysTickedAndASaveKeepsIt() {
        PlatformApiStub.webhook(api, "acme", URL, CREATED, "[\"invoice.paid\",\"usage.spike\"]");
        String html = given().when().get("/t/acme/webhook").then().statusCode(200).extract().asString();
        assertEquals("invoice.paid, usage.spike", current(html));
        String form = form(html);
        assertTrue(checked(form, "webhook-event-usage-spike"), form);
        assertEquals("usage.spike: not described by platform-api", label(form, "webhook-event-usage-spike"));
        assertTrue(form.indexOf("value=\"api_key.expiring\"") < form.indexOf("value=\"usage.spike\""),
                "after the catalogue's types: " + form);
        assertEquals(List.of("invoice.paid", "usage.spike"), ticked(form));

        // the browser sends back what is ticked, untouched
        PlatformApiStub.json(api, put(urlPathEqualTo(EVENTS)), 200, "{\"url\":\"" + URL + "\",\"created_at\":\""
                + CREATED + "\",\"events\":[\"invoice.paid\",\"usage.spike\"]}");
        RequestSpecification post = Forms.from("/t/acme/webhook");
        for (String type : ticked(form)) {
            post = post.formParam("events", type);
        }
        post.when().post(ROUTE).then().statusCode(303);
        api.verify(1, putRequestedFor(urlPathEqualTo(EVENTS))
                .withRequestBody(equalToJson("{\"events\":[\"invoice.paid\",\"usage.spike\"]}")));
    }

    @Test
    @TestSecurity(user = "alice")
    void withoutTheCatalogueThePageIsShownAndTheEventsFormIsReplaced() {
        for (boolean unreachable : new boolean[] {false, true}) {
            if (unreachable) {
                api.stubFor(get(urlPathEqualTo(CATALOGUE))
                        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            } else {
                PlatformApiStub.problem(api, get(urlPathEqualTo(CATALOGUE)), 503, "unavailable", "try later");
            }
            PlatformApiStub.webhook(api, "acme", URL, CREATED, "[\"invoice.paid\"]");
            String html = given().when().get("/t/acme/webhook").then().statusCode(200).extract().asString();
            assertTrue(Forms.text(html, "webhook-events-unavailable").contains("cannot be chosen now"), html);
            assertFalse(html.contains("webhook-events-form"), "no form without the catalogue");
            assertFalse(html.contains("name=\"events\""), html);
            assertEquals("invoice.paid", current(html), "the webhook's choice is still shown");
            assertEquals(URL, Forms.text(html, "webhook-url"));
            assertTrue(html.contains("<form id=\"webhook-rotate-form\""), "rotation still offered");
            assertTrue(html.contains("<form id=\"set-webhook\""), "the URL can still be changed");
            assertTrue(html.contains("data-delivery-id=\"" + WebhookResourceTest.FAILED + "\""), "deliveries shown");
            String about = html.substring(html.indexOf("<section id=\"webhook-about\""));
            assertTrue(about.contains("of a type the platform lists, or <code>webhook.test</code>"), about);

            String refused = Forms.from("/t/acme/webhook").formParam("events", "invoice.paid")
                    .when().post(ROUTE).then().statusCode(502).extract().asString();
            assertTrue(Forms.text(refused, "webhook-events-error").contains("nothing was saved"), refused);
            assertTrue(refused.contains("id=\"webhook-events-unavailable\""), refused);
            assertTrue(refused.contains("<form id=\"webhook-rotate-form\""), refused);
            api.verify(0, putRequestedFor(anyUrl()));
        }
    }

    /** The values of the ticked boxes of the events form, in the form's order. */
    private static List<String> ticked(String form) {
        List<String> values = new ArrayList<>();
        Matcher m = Pattern.compile("<input id=\"[^\"]+\" name=\"events\" type=\"checkbox\" value=\"([^\"]+)\" checked")
                .matcher(form);
        while (m.find()) {
            values.add(m.group(1));
        }
        return values;
    }
}
