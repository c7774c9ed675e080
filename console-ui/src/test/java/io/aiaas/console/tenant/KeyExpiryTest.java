package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.aiaas.console.tenant.KeysResourceTest.KEY_ID;
import static io.aiaas.console.tenant.KeysResourceTest.OLD_ID;
import static io.aiaas.console.tenant.KeysResourceTest.row;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A key's expiry on the keys page: an active key that stops working within a week (when platform-api sends
 * {@code api_key.expiring}) is flagged in the list, so a tenant admin issues its successor in time; an admin moves an
 * active key's expiry to a date and time typed in UTC, or lets it never expire, from the key's row.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class KeyExpiryTest {

    static final String KEYS_PATH = "/api/v1/tenants/acme/keys";
    static final String EXPIRY = KEYS_PATH + "/" + KEY_ID + "/expiry";
    static final String ROUTE = "/t/acme/keys/" + KEY_ID + "/expiry";
    static final String EXPIRED_ID = "22222222-3333-4444-8555-666666666666";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/models")), 200, KeysResourceTest.MODELS);
    }

    /** The list with the active key expiring at {@code activeExpiry} and the revoked one at {@code revokedExpiry}. */
    private String page(Instant activeExpiry, Instant revokedExpiry) {
        String keys = KeysResourceTest.KEYS
                .replaceFirst("\"expires_at\":null", "\"expires_at\":\"" + activeExpiry + "\"")
                .replaceFirst("\"expires_at\":null", "\"expires_at\":\"" + revokedExpiry + "\"");
        PlatformApiStub.json(api, get(urlPathEqualTo(KEYS_PATH)), 200, keys);
        return given().when().get("/t/acme/keys").then().statusCode(200).extract().asString();
    }

    /**
     * Stubs the list: {@link KeysResourceTest#KEYS} with the active key expiring at {@code activeExpiry} (an ISO
     * instant, or null for never), the revoked key, and a third key that expired.
     */
    private void keys(String activeExpiry) {
        String expired = """
                {"id":"%s","name":"stale","prefix":"aiaas_Stl1","last_four":"1111","status":"expired",
                 "created_by":"alice@acme.test","created_at":"2026-09-01T08:30:00Z","expires_at":"2026-10-01T00:00:00Z",
                 "revoked_at":null,"last_used_at":null}]""".formatted(EXPIRED_ID);
        String keys = KeysResourceTest.KEYS.replaceFirst("\"expires_at\":null",
                "\"expires_at\":" + (activeExpiry == null ? "null" : "\"" + activeExpiry + "\""));
        PlatformApiStub.json(api, get(urlPathEqualTo(KEYS_PATH)), 200,
                keys.substring(0, keys.lastIndexOf(']')) + "," + expired);
    }

    @Test
    @TestSecurity(user = "alice")
    void aKeyExpiringWithinAWeekIsFlaggedAndOthersAreNot() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        Instant soon = Instant.now().plus(2, ChronoUnit.DAYS);
        Instant later = Instant.now().plus(30, ChronoUnit.DAYS);
        assertEquals(1, page(soon, soon).split("key-expires-soon", -1).length - 1,
                "the active key only: a revoked key is not flagged");
        assertEquals(0, page(later, soon).split("key-expires-soon", -1).length - 1);
    }

    @Test
    @TestSecurity(user = "alice")
    void anActiveKeysRowOffersItsExpiryInUtcWhateverTheReadersZone() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        keys("2027-06-30T12:34:56Z");
        String html = given().cookie("tz", "Europe/Paris").when().get("/t/acme/keys").then().statusCode(200)
                .extract().asString();
        String activeRow = row(html, KEY_ID);
        assertTrue(activeRow.contains("<td class=\"key-expiry\"><time datetime=\"2027-06-30T12:34:56Z\">2027-06-30 "
                + "14:34</time></td>"), "the list keeps the reader's zone: " + activeRow);
        assertTrue(activeRow.contains("<details class=\"key-expiry-edit\">"), activeRow);
        assertTrue(activeRow.contains("<form id=\"expiry-key-" + KEY_ID + "\" method=\"post\" action=\"" + ROUTE
                + "\">"), activeRow);
        String form = activeRow.substring(activeRow.indexOf("<form id=\"expiry-key-"));
        form = form.substring(0, form.indexOf("</form>"));
        assertTrue(form.contains("name=\"csrf-token\""), "the form carries the CSRF token");
        assertTrue(form.contains("<label for=\"expires-at-" + KEY_ID + "\">Stops working at (UTC)</label>"), form);
        assertTrue(form.contains("<input id=\"expires-at-" + KEY_ID + "\" name=\"expires-at\" type=\"datetime-local\" "
                + "autocomplete=\"off\" value=\"2027-06-30T12:34\">"), "prefilled in UTC, to the minute: " + form);
        assertTrue(form.contains("<button type=\"submit\" name=\"expiry\" value=\"at\" class=\"save-key-expiry\""),
                form);
        assertTrue(form.contains("<button type=\"submit\" name=\"expiry\" value=\"never\" class=\"never-key-expiry\""),
                form);
        assertTrue(form.contains("Now: 2027-06-30 12:34 UTC."), form);

        for (String inactive : new String[] {OLD_ID, EXPIRED_ID}) {
            assertTrue(html.contains("<tr data-key-id=\"" + inactive + "\">"), "listed: " + inactive);
            assertFalse(row(html, inactive).contains("expiry-key-"), "no form for a key that is not active");
            assertFalse(row(html, inactive).contains("key-expiry-edit"), inactive);
        }

        keys(null);
        activeRow = row(given().when().get("/t/acme/keys").then().statusCode(200).extract().asString(), KEY_ID);
        assertTrue(activeRow.contains("<td class=\"key-expiry\">never</td>"), activeRow);
        assertTrue(activeRow.contains("type=\"datetime-local\" autocomplete=\"off\" value=\"\">"), activeRow);
        assertTrue(activeRow.contains("Now: never."), activeRow);
    }

    @Test
    @TestSecurity(user = "alice")
    void aDateAndTimeIsSentAsUtcAndTheListSaysWhenTheKeyNowExpires() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        keys(null);
        PlatformApiStub.json(api, put(urlPathEqualTo(EXPIRY)), 200, "{}");
        Forms.from("/t/acme/keys").cookie("tz", "Europe/Paris").formParam("expiry", "at")
                .formParam("expires-at", "2027-03-01T00:00").when().post(ROUTE)
                .then().statusCode(303).header("Location", endsWith("/t/acme/keys?done=expiry&key=" + KEY_ID));
        api.verify(putRequestedFor(urlPathEqualTo(EXPIRY))
                .withRequestBody(equalToJson("{\"expires_at\":\"2027-03-01T00:00:00Z\"}")));
        api.resetRequests();
        // typed by hand where the browser has no date-time picker, seconds and all
        Forms.from("/t/acme/keys").formParam("expiry", "at").formParam("expires-at", " 2027-03-01 09:30:15 ")
                .when().post(ROUTE).then().statusCode(303);
        api.verify(putRequestedFor(urlPathEqualTo(EXPIRY))
                .withRequestBody(equalToJson("{\"expires_at\":\"2027-03-01T09:30:15Z\"}")));

        keys("2027-03-01T00:00:00Z");
        String html = given().cookie("tz", "Europe/Paris").when().get("/t/acme/keys?done=expiry&key=" + KEY_ID)
                .then().statusCode(200).extract().asString();
        assertEquals("Key “production” now expires at 2027-03-01 00:00 UTC.", Forms.text(html, "keys-done"));
    }

    @Test
    @TestSecurity(user = "alice")
    void neverIsSentAsNullAndTheListSaysTheKeyNoLongerExpires() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        keys("2027-06-30T12:34:56Z");
        PlatformApiStub.json(api, put(urlPathEqualTo(EXPIRY)), 200, "{}");
        // the date input still holds the old expiry: the button decides
        Forms.from("/t/acme/keys").formParam("expiry", "never").formParam("expires-at", "2027-06-30T12:34")
                .when().post(ROUTE)
                .then().statusCode(303).header("Location", endsWith("/t/acme/keys?done=expiry&key=" + KEY_ID));
        api.verify(putRequestedFor(urlPathEqualTo(EXPIRY)).withRequestBody(equalToJson("{\"expires_at\":null}")));

        keys(null);
        String html = given().when().get("/t/acme/keys?done=expiry&key=" + KEY_ID).then().statusCode(200)
                .extract().asString();
        assertEquals("Key “production” no longer expires.", Forms.text(html, "keys-done"));

        // the query can be typed by hand: a key that is not listed is not named, and nothing typed is shown
        for (String key : new String[] {OLD_ID.replace('1', '9'), "<b>mine</b>", ""}) {
            html = given().queryParam("done", "expiry").queryParam("key", key).when().get("/t/acme/keys")
                    .then().statusCode(200).extract().asString();
            assertEquals("The key's expiry is saved.", Forms.text(html, "keys-done"), key);
            assertFalse(html.contains("<b>mine"), "nothing of the query is rendered");
        }
    }

    @Test
    @TestSecurity(user = "alice")
    void aRefusalIsShownInTheKeysRowWithWhatWasTyped() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        keys("2027-06-30T12:34:56Z");
        PlatformApiStub.problem(api, put(urlPathEqualTo(EXPIRY)), 400, "validation_failed",
                "expires_at must be in the future");
        String html = Forms.from("/t/acme/keys").formParam("expiry", "at").formParam("expires-at", "2020-01-01T00:00")
                .when().post(ROUTE).then().statusCode(400).extract().asString();
        api.verify(putRequestedFor(urlPathEqualTo(EXPIRY))
                .withRequestBody(equalToJson("{\"expires_at\":\"2020-01-01T00:00:00Z\"}")));
        assertEquals("expires_at must be in the future", Forms.text(html, "expiry-key-" + KEY_ID + "-error"));
        String activeRow = row(html, KEY_ID);
        assertTrue(activeRow.contains("<details class=\"key-expiry-edit\" open>"), "the refused form stays open");
        assertTrue(activeRow.contains("name=\"expires-at\" type=\"datetime-local\" autocomplete=\"off\" "
                + "value=\"2020-01-01T00:00\">"), "what was typed, not the key's expiry: " + activeRow);
        assertFalse(html.contains("id=\"create-key-error\""), "the issue form is not blamed");
        assertTrue(html.contains("name=\"expires\" type=\"date\" value=\"\""), "nor given the row's date");
        assertFalse(activeRow.contains("<details class=\"key-rate-limit-edit\" open>"), "nor another form");

        PlatformApiStub.problem(api, put(urlPathEqualTo(EXPIRY)), 409, "key_not_active",
                "API key is expired; it cannot be brought back: issue a new key");
        html = Forms.from("/t/acme/keys").formParam("expiry", "at").formParam("expires-at", "2028-01-01T08:00")
                .when().post(ROUTE).then().statusCode(409).extract().asString();
        assertEquals("API key is expired; it cannot be brought back: issue a new key",
                Forms.text(html, "expiry-key-" + KEY_ID + "-error"));
        assertTrue(row(html, KEY_ID).contains("value=\"2028-01-01T08:00\">"), row(html, KEY_ID));
    }

    @Test
    @TestSecurity(user = "alice")
    void aChoiceOrDateTheConsoleCannotReadNeverReachesThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        keys("2027-06-30T12:34:56Z");
        String[][] bad = {
            {null, "2027-03-01T00:00", "Choose a date and time"},
            {"later", "2027-03-01T00:00", "Choose a date and time"},
            {"at", "", "Give the date and time"},
            {"at", null, "Give the date and time"},
            {"at", "next week", "is not a date and time"},
            {"at", "2027-13-01T00:00", "is not a date and time"},
            {"at", "2027-03-01", "is not a date and time"},
            {"at", "01/03/2027 00:00", "is not a date and time"},
            {"at", "2027-03-01T00:00Z", "is not a date and time"},
        };
        for (String[] typed : bad) {
            var form = Forms.from("/t/acme/keys");
            if (typed[0] != null) {
                form.formParam("expiry", typed[0]);
            }
            if (typed[1] != null) {
                form.formParam("expires-at", typed[1]);
            }
            String html = form.when().post(ROUTE).then().statusCode(400).extract().asString();
            String error = Forms.text(html, "expiry-key-" + KEY_ID + "-error");
            assertTrue(error != null && error.contains(typed[2]), typed[0] + " " + typed[1] + ": " + error);
            String activeRow = row(html, KEY_ID);
            assertTrue(activeRow.contains("<details class=\"key-expiry-edit\" open>"), activeRow);
            assertTrue(activeRow.contains("autocomplete=\"off\" value=\"" + (typed[1] == null ? "" : typed[1])
                    + "\">"), "what was typed stays: " + typed[1]);
        }
        api.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "alice")
    void aForgedChangeOfAKeyThatIsNotActiveShowsThePlatformsRefusal() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        keys(null);
        for (String inactive : new String[] {OLD_ID, EXPIRED_ID}) {
            PlatformApiStub.problem(api, put(urlPathEqualTo(KEYS_PATH + "/" + inactive + "/expiry")), 409,
                    "key_not_active", "API key is not active; it cannot be brought back: issue a new key");
            String html = Forms.from("/t/acme/keys").formParam("expiry", "never")
                    .when().post("/t/acme/keys/" + inactive + "/expiry").then().statusCode(409).extract().asString();
            assertEquals("API key is not active; it cannot be brought back: issue a new key",
                    Forms.text(row(html, inactive), "expiry-key-" + inactive + "-error"));
            assertFalse(row(html, inactive).contains("<form"), "and still no form");
            api.verify(putRequestedFor(urlPathEqualTo(KEYS_PATH + "/" + inactive + "/expiry"))
                    .withRequestBody(equalToJson("{\"expires_at\":null}")));
        }
    }

    @Test
    @TestSecurity(user = "mallory")
    void aMemberSeesEachKeysExpiryButNoFormAndAForgedOneIsRefusedByThePlatform() {
        PlatformApiStub.me(api, "mallory@acme.test", false, "acme:member");
        keys("2027-06-30T12:34:56Z");
        Response page = given().when().get("/t/acme/keys");
        String html = page.then().statusCode(200)
                .body(containsString("<td class=\"key-expiry\"><time datetime=\"2027-06-30T12:34:56Z\">"))
                .body(not(containsString("key-expiry-edit")))
                .body(not(containsString("expiry-key-")))
                .body(not(containsString("expires-at")))
                .body(not(containsString("save-key-expiry")))
                .extract().asString();
        assertTrue(Forms.text(html, "keys-member-note").contains("set their expiry"), "the note says who can");

        PlatformApiStub.problem(api, put(urlPathEqualTo(EXPIRY)), 403, "forbidden", "only tenant admins change keys");
        String token = Csrf.metaToken(html);
        given().redirects().follow(false).cookie(Forms.COOKIE, page.getCookie(Forms.COOKIE))
                .formParam("csrf-token", token).formParam("expiry", "never")
                .when().post(ROUTE).then().statusCode(403)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"expiry-key-" + KEY_ID
                        + "-error\">only tenant admins change keys</p>"));
        api.verify(putRequestedFor(urlPathEqualTo(EXPIRY)).withRequestBody(equalToJson("{\"expires_at\":null}")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aClosedTenantsKeysHaveNoExpiryFormAndAForgedOneShowsThePlatformsRefusal() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin:closed");
        keys("2027-06-30T12:34:56Z");
        String html = given().when().get("/t/acme/keys").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<td class=\"key-expiry\"><time datetime=\"2027-06-30T12:34:56Z\">"), html);
        for (String form : new String[] {"key-expiry-edit", "expiry-key-", "expires-at", "save-key-expiry"}) {
            assertFalse(html.contains(form), form + " on a closed tenant's keys page");
        }

        PlatformApiStub.tenantClosed(api, put(urlPathEqualTo(EXPIRY)), "acme");
        html = Csrf.fabricated().form().formParam("expiry", "at").formParam("expires-at", "2028-01-01T00:00")
                .when().post(ROUTE).then().statusCode(409).extract().asString();
        String error = Forms.text(html, "expiry-key-" + KEY_ID + "-error");
        assertTrue(error != null && error.contains("is closed; its invoices, usage and audit log stay readable"),
                html);
        assertNull(Forms.text(html, "expires-at-" + KEY_ID), "still no form");
    }

    @Test
    @TestSecurity(user = "alice")
    void aChangeWithoutTheCsrfTokenNeverReachesThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        keys(null);
        given().redirects().follow(false).formParam("expiry", "never").when().post(ROUTE).then().statusCode(400);
        // another site's form: the browser sends the cookie, but the site cannot read the token
        String cookie = given().when().get("/t/acme/keys").then().statusCode(200).extract().cookie(Forms.COOKIE);
        given().redirects().follow(false).cookie(Forms.COOKIE, cookie).formParam("expiry", "at")
                .formParam("expires-at", "2028-01-01T00:00").when().post(ROUTE).then().statusCode(400);
        given().redirects().follow(false).cookie(Forms.COOKIE, cookie).formParam("csrf-token", "guessed")
                .formParam("expiry", "never").when().post(ROUTE).then().statusCode(400);
        api.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "bob")
    void anOutsiderGetsTheForbiddenPageAndNoExpiryIsAsked() {
        PlatformApiStub.me(api, "bob@globex.test", false, "globex:admin");
        Csrf.fabricated().form().formParam("expiry", "never").when().post(ROUTE)
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        Csrf.fabricated().form().formParam("expiry", "at").formParam("expires-at", "2028-01-01T00:00")
                .when().post(ROUTE).then().statusCode(403).body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/api/v1/tenants/.*")));
    }
}
