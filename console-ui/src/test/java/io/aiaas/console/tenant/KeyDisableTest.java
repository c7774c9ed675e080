package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
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
 * Disabling a key for a while on the keys page: a disabled key is badged with since when, its calls refused (403
 * {@code key_disabled}) until an admin enables it again; an admin disables an active key and enables a disabled one
 * from its row, and a disabled key's settings can still be changed, rotated and revoked.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class KeyDisableTest {

    static final String KEYS_PATH = "/api/v1/tenants/acme/keys";
    static final String DISABLED_ID = "44444444-5555-4666-8777-888888888888";
    static final String DISABLE = "/t/acme/keys/" + KEY_ID + "/disable";
    static final String ENABLE = "/t/acme/keys/" + DISABLED_ID + "/enable";

    /** {@link KeysResourceTest#KEYS} (no {@code disabled_at}: read as null) and a key disabled since 09:15 UTC. */
    static final String KEYS = KeysResourceTest.KEYS.substring(0, KeysResourceTest.KEYS.lastIndexOf(']')) + """
            ,{"id":"%s","name":"batch","prefix":"aiaas_Bt01","last_four":"5555","status":"disabled",
              "created_by":"alice@acme.test","created_at":"2026-11-03T08:30:00Z","expires_at":"%s",
              "revoked_at":null,"last_used_at":"2026-11-19T10:00:00Z","last_used_from":"198.51.100.23","models":null,
              "monthly_budget_micros":2000000,"budget_used_micros":0,"budget_currency":"USD",
              "requests_per_minute":30,"allowed_networks":["203.0.113.0/24"],
              "disabled_at":"2026-11-21T09:15:00Z"}]""".formatted(DISABLED_ID,
            Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS));

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.json(api, get(urlPathEqualTo(KEYS_PATH)), 200, KEYS);
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/models")), 200, KeysResourceTest.MODELS);
    }

    @Test
    @TestSecurity(user = "alice")
    void whereAKeyWasLastUsedFromIsShownUnderWhenAndNothingForAKeyWithoutOne() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:member");
        String html = given().when().get("/t/acme/keys").then().statusCode(200).extract().asString();
        assertTrue(row(html, DISABLED_ID).contains("<span class=\"muted key-last-used-from\""), row(html, DISABLED_ID));
        assertTrue(row(html, DISABLED_ID).contains("from 198.51.100.23</span>"), row(html, DISABLED_ID));
        assertFalse(row(html, KEY_ID).contains("key-last-used-from"), "no address sent: none shown");
    }

    @Test
    @TestSecurity(user = "alice")
    void aDisabledKeyIsBadgedSinceWhenInUtcWithEnableAndAnActiveOneOffersDisable() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().cookie("tz", "Europe/Paris").when().get("/t/acme/keys").then().statusCode(200)
                .extract().asString();
        String disabledRow = row(html, DISABLED_ID);
        assertTrue(disabledRow.contains("<td class=\"key-status\" data-status=\"disabled\"><span class=\"badge "
                + "disabled\" title=\"Disabled since 2026-11-21 09:15 UTC: calls with it are refused (403 "
                + "key_disabled) until an admin enables it\">disabled</span></td>"), "in UTC: " + disabledRow);
        assertTrue(disabledRow.contains("<form id=\"enable-key-" + DISABLED_ID + "\" class=\"inline\" method=\"post\" "
                + "action=\"" + ENABLE + "\">"), disabledRow);
        assertTrue(disabledRow.contains("<button type=\"submit\" class=\"enable-key\" aria-label=\"Enable batch\">"
                + "Enable</button>"), disabledRow);
        assertFalse(disabledRow.contains("disable-key"), "a disabled key is not disabled again");

        String activeRow = row(html, KEY_ID);
        assertTrue(activeRow.contains("<span class=\"badge active\">active</span>"), "no title: " + activeRow);
        String form = activeRow.substring(activeRow.indexOf("<form id=\"disable-key-" + KEY_ID + "\""));
        form = form.substring(0, form.indexOf("</form>"));
        assertTrue(form.contains("method=\"post\" action=\"" + DISABLE + "\""), form);
        assertTrue(form.contains("data-confirm=\"Disable the key “production”? Calls with it are refused (403 "
                + "key_disabled) until you enable it; its secret and settings are kept.\""), "asks first: " + form);
        assertTrue(form.contains("name=\"csrf-token\""), "the form carries the CSRF token");
        assertTrue(form.contains("<button type=\"submit\" class=\"disable-key\" aria-label=\"Disable production\">"
                + "Disable</button>"), form);
        assertFalse(activeRow.contains("enable-key"), activeRow);

        assertFalse(row(html, OLD_ID).contains("able-key"), "a revoked key is neither disabled nor enabled");
        assertFalse(row(html, OLD_ID).contains("title=\"Disabled"), row(html, OLD_ID));
    }

    @Test
    @TestSecurity(user = "alice")
    void aDisabledKeyStillShowsItsChangeFormsToAdmins() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String disabledRow = row(given().when().get("/t/acme/keys").then().statusCode(200).extract().asString(),
                DISABLED_ID);
        for (String form : new String[] {"rotate-key-", "revoke-key-", "models-key-", "expiry-key-", "budget-key-",
            "rate-limit-key-", "networks-form-"}) {
            assertTrue(disabledRow.contains("<form id=\"" + form + DISABLED_ID + "\""), form + ": " + disabledRow);
        }
        assertTrue(disabledRow.contains("size=\"8\" value=\"30\""), "its rate limit as it is");
        assertTrue(disabledRow.contains("spellcheck=\"false\" placeholder=\"anywhere\">203.0.113.0/24</textarea>"),
                "its networks as they are: " + disabledRow);
        assertTrue(disabledRow.contains("key-expires-soon"), "it may be enabled again: its near expiry is flagged");

        PlatformApiStub.json(api, put(urlPathEqualTo(KEYS_PATH + "/" + DISABLED_ID + "/rate-limit")), 200, "{}");
        Forms.from("/t/acme/keys").formParam("rate-limit", "45")
                .when().post("/t/acme/keys/" + DISABLED_ID + "/rate-limit")
                .then().statusCode(303).header("Location", endsWith("/t/acme/keys?done=rate-limit"));
        api.verify(putRequestedFor(urlPathEqualTo(KEYS_PATH + "/" + DISABLED_ID + "/rate-limit"))
                .withRequestBody(equalToJson("{\"requests_per_minute\":45}")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aDisabledKeyIsRotatedAndTheNoteDoesNotSayTheOldOneKeepsWorking() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, post(urlPathEqualTo(KEYS_PATH + "/" + DISABLED_ID + "/rotate")), 201,
                KeysResourceTest.CREATED);
        String html = Forms.from("/t/acme/keys").formParam("overlap", "86400")
                .when().post("/t/acme/keys/" + DISABLED_ID + "/rotate").then().statusCode(200).extract().asString();
        api.verify(postRequestedFor(urlPathEqualTo(KEYS_PATH + "/" + DISABLED_ID + "/rotate"))
                .withRequestBody(equalToJson("{\"overlap_seconds\":86400}")));
        assertTrue(html.contains("id=\"new-key-secret\""), "the new secret, once");
        assertEquals("The old key (aiaas_Bt01…5555) is disabled: its calls stay refused.",
                Forms.text(html, "rotated-note"));
    }

    @Test
    @TestSecurity(user = "alice")
    void disableSendsTrueAndTheListNamesTheKey() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, put(urlPathEqualTo(KEYS_PATH + "/" + KEY_ID + "/disabled")), 200, "{}");
        Forms.from("/t/acme/keys").when().post(DISABLE).then().statusCode(303)
                .header("Location", endsWith("/t/acme/keys?done=disabled&key=" + KEY_ID));
        api.verify(1, putRequestedFor(urlPathEqualTo(KEYS_PATH + "/" + KEY_ID + "/disabled"))
                .withRequestBody(equalToJson("{\"disabled\":true}")));
        api.verify(1, putRequestedFor(anyUrl()));

        String html = given().when().get("/t/acme/keys?done=disabled&key=" + KEY_ID).then().statusCode(200)
                .extract().asString();
        assertEquals("Key “production” is disabled: its calls are refused until you enable it.",
                Forms.text(html, "keys-done"));
        assertTrue(html.contains("<p class=\"notice\" role=\"status\" id=\"keys-done\">"), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void enableSendsFalseAndTheListNamesTheKey() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, put(urlPathEqualTo(KEYS_PATH + "/" + DISABLED_ID + "/disabled")), 200, "{}");
        Forms.from("/t/acme/keys").when().post(ENABLE).then().statusCode(303)
                .header("Location", endsWith("/t/acme/keys?done=enabled&key=" + DISABLED_ID));
        api.verify(1, putRequestedFor(urlPathEqualTo(KEYS_PATH + "/" + DISABLED_ID + "/disabled"))
                .withRequestBody(equalToJson("{\"disabled\":false}")));
        api.verify(1, putRequestedFor(anyUrl()));

        String html = given().when().get("/t/acme/keys?done=enabled&key=" + DISABLED_ID).then().statusCode(200)
                .extract().asString();
        assertEquals("Key “batch” is enabled again.", Forms.text(html, "keys-done"));

        // the query can be typed by hand: a key that is not listed is not named, and nothing typed is shown
        for (String key : new String[] {KEY_ID.replace('3', '9'), "<b>mine</b>", ""}) {
            html = given().queryParam("done", "enabled").queryParam("key", key).when().get("/t/acme/keys")
                    .then().statusCode(200).extract().asString();
            assertEquals("The key is enabled again.", Forms.text(html, "keys-done"), key);
            assertFalse(html.contains("<b>mine"), "nothing of the query is rendered");
        }
        html = given().when().get("/t/acme/keys?done=disabled").then().statusCode(200).extract().asString();
        assertEquals("The key is disabled: its calls are refused until you enable it.", Forms.text(html, "keys-done"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aKeyThatIsNoLongerActiveIsRefusedBesideItWithNothingElseChanged() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.problem(api, put(urlPathEqualTo(KEYS_PATH + "/" + KEY_ID + "/disabled")), 409,
                "key_not_active", "API key is revoked; only an active or disabled key can be disabled or enabled");
        String html = Forms.from("/t/acme/keys").when().post(DISABLE).then().statusCode(409).extract().asString();
        String activeRow = row(html, KEY_ID);
        assertEquals("API key is revoked; only an active or disabled key can be disabled or enabled",
                Forms.text(activeRow, "disable-key-" + KEY_ID + "-error"));
        assertTrue(activeRow.contains("<p class=\"error\" role=\"alert\" id=\"disable-key-" + KEY_ID + "-error\">"),
                activeRow);
        assertTrue(activeRow.contains("<span class=\"badge active\">active</span>"), "the list as platform-api says");
        assertNull(Forms.text(html, "keys-done"), "nothing was done");
        assertFalse(html.contains("id=\"create-key-error\""), "the issue form is not blamed");
        assertFalse(html.contains(" open>"), "no change form is opened");
        assertFalse(row(html, DISABLED_ID).contains("role=\"alert\""), "nor another key blamed");
        api.verify(1, putRequestedFor(anyUrl()));

        // a revoked key has no buttons: a forged Enable is refused beside it too
        PlatformApiStub.problem(api, put(urlPathEqualTo(KEYS_PATH + "/" + OLD_ID + "/disabled")), 409,
                "key_not_active", "API key is revoked; it cannot be brought back: issue a new key");
        html = Forms.from("/t/acme/keys").when().post("/t/acme/keys/" + OLD_ID + "/enable").then().statusCode(409)
                .extract().asString();
        assertEquals("API key is revoked; it cannot be brought back: issue a new key",
                Forms.text(row(html, OLD_ID), "enable-key-" + OLD_ID + "-error"));
        assertFalse(row(html, OLD_ID).contains("<form"), "and still no form");
        api.verify(putRequestedFor(urlPathEqualTo(KEYS_PATH + "/" + OLD_ID + "/disabled"))
                .withRequestBody(equalToJson("{\"disabled\":false}")));
    }

    @Test
    @TestSecurity(user = "alice")
    void anIdThatIsNotAKeyIdIsNotFoundAndNeverReachesThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        for (String id : new String[] {"not-a-key", "12345", KEY_ID + "0"}) {
            Forms.from("/t/acme/keys").when().post("/t/acme/keys/" + id + "/disable").then().statusCode(404);
            Forms.from("/t/acme/keys").when().post("/t/acme/keys/" + id + "/enable").then().statusCode(404);
            // as the other per-key forms
            Forms.from("/t/acme/keys").formParam("rate-limit", "60").when().post("/t/acme/keys/" + id + "/rate-limit")
                    .then().statusCode(404);
        }
        api.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "mallory")
    void aMemberSeesTheBadgeButNoButtonsAndAForgedOneIsRefusedByThePlatform() {
        PlatformApiStub.me(api, "mallory@acme.test", false, "acme:member");
        Response page = given().when().get("/t/acme/keys");
        String html = page.then().statusCode(200)
                .body(containsString("<span class=\"badge disabled\" title=\"Disabled since 2026-11-21 09:15 UTC"))
                .body(not(containsString("disable-key")))
                .body(not(containsString("enable-key")))
                .body(not(containsString("/disable\"")))
                .body(not(containsString("/enable\"")))
                .extract().asString();
        assertTrue(Forms.text(html, "keys-member-note").contains("disable, enable"), "the note says who can");

        PlatformApiStub.problem(api, put(urlPathEqualTo(KEYS_PATH + "/" + KEY_ID + "/disabled")), 403, "forbidden",
                "only tenant admins change keys");
        given().redirects().follow(false).cookie(Forms.COOKIE, page.getCookie(Forms.COOKIE))
                .formParam("csrf-token", Csrf.metaToken(html))
                .when().post(DISABLE).then().statusCode(403)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"disable-key-" + KEY_ID
                        + "-error\">only tenant admins change keys</p>"));
        api.verify(putRequestedFor(urlPathEqualTo(KEYS_PATH + "/" + KEY_ID + "/disabled"))
                .withRequestBody(equalToJson("{\"disabled\":true}")));
    }

    @Test
    @TestSecurity(user = "mallory")
    void theUsageFilterStillOffersADisabledKeySayingSoForItsRefusedCallsAreRecorded() {
        PlatformApiStub.me(api, "mallory@acme.test", false, "acme:member");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/usage")), 200, UsageResourceTest.USAGE);
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/costs")), 200, UsageResourceTest.COSTS);
        given().when().get("/t/acme/usage?month=2026-10").then().statusCode(200)
                .body(containsString("<option value=\"" + DISABLED_ID + "\" >batch (aiaas_Bt01…5555) – disabled"
                        + "</option>"))
                .body(containsString("<option value=\"" + KEY_ID + "\" >production (aiaas_AbCd…wxyz)</option>"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aClosedTenantsKeysHaveNoDisableOrEnableButton() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin:closed");
        given().when().get("/t/acme/keys").then().statusCode(200)
                .body(containsString("<span class=\"badge disabled\""))
                .body(not(containsString("disable-key")))
                .body(not(containsString("enable-key")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aSwitchWithoutTheCsrfTokenNeverReachesThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        given().redirects().follow(false).when().post(DISABLE).then().statusCode(400);
        String cookie = given().when().get("/t/acme/keys").then().statusCode(200).extract().cookie(Forms.COOKIE);
        given().redirects().follow(false).cookie(Forms.COOKIE, cookie).formParam("csrf-token", "guessed")
                .when().post(ENABLE).then().statusCode(400);
        api.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "bob")
    void anOutsiderGetsTheForbiddenPageAndNoKeyIsSwitched() {
        PlatformApiStub.me(api, "bob@globex.test", false, "globex:admin");
        Csrf.fabricated().form().when().post(DISABLE).then().statusCode(403).body(containsString("id=\"forbidden\""));
        Csrf.fabricated().form().when().post(ENABLE).then().statusCode(403).body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/api/v1/tenants/.*")));
    }
}
