package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.aiaas.console.tenant.KeyDisableTest.DISABLED_ID;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Renaming a key on the keys page: an admin renames an active or a disabled key from its row (the secret and settings
 * stay); the name is trimmed and checked (not blank, at most 100 characters) before platform-api is asked, and the
 * list then names the key by its new name.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class KeyRenameTest {

    static final String KEYS_PATH = "/api/v1/tenants/acme/keys";
    static final String NAME = KEYS_PATH + "/" + KEY_ID + "/name";
    static final String RENAME = "/t/acme/keys/" + KEY_ID + "/name";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        // an active key (production), a revoked one and a disabled one (batch)
        PlatformApiStub.json(api, get(urlPathEqualTo(KEYS_PATH)), 200, KeyDisableTest.KEYS);
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/models")), 200, KeysResourceTest.MODELS);
    }

    @Test
    @TestSecurity(user = "alice")
    void anAdminRenamesAnActiveOrDisabledKeyFromItsRowButNotARevokedOne() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().when().get("/t/acme/keys").then().statusCode(200).extract().asString();
        String activeRow = row(html, KEY_ID);
        assertTrue(activeRow.contains("<details class=\"key-name-edit\">"), "closed until opened: " + activeRow);
        String form = activeRow.substring(activeRow.indexOf("<form id=\"name-key-" + KEY_ID + "\""));
        form = form.substring(0, form.indexOf("</form>"));
        assertTrue(form.contains("method=\"post\" action=\"" + RENAME + "\""), form);
        assertTrue(form.contains("name=\"csrf-token\""), "the form carries the CSRF token");
        assertTrue(form.contains("<label class=\"visually-hidden\" for=\"name-" + KEY_ID + "\">New name of production"
                + "</label>"), form);
        assertTrue(form.contains("<input id=\"name-" + KEY_ID + "\" name=\"name\" required maxlength=\"100\" "
                + "autocomplete=\"off\" size=\"16\" value=\"production\">"), "prefilled with its name: " + form);
        assertTrue(form.contains("<button type=\"submit\" class=\"save-key-name\" aria-label=\"Rename production\">"
                + "Rename</button>"), form);

        assertTrue(row(html, DISABLED_ID).contains("<form id=\"name-key-" + DISABLED_ID + "\""), "a disabled key too");
        assertTrue(row(html, DISABLED_ID).contains("value=\"batch\">"), row(html, DISABLED_ID));
        assertFalse(row(html, OLD_ID).contains("key-name-edit"), "a revoked key is not renamed");
        assertFalse(row(html, OLD_ID).contains("name-key-"), row(html, OLD_ID));
    }

    @Test
    @TestSecurity(user = "alice")
    void theTrimmedNameIsSentAndTheListNamesTheKeyByItsNewName() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, put(urlPathEqualTo(NAME)), 200, "{}");
        Forms.from("/t/acme/keys").formParam("name", "  nightly  ").when().post(RENAME)
                .then().statusCode(303).header("Location", endsWith("/t/acme/keys?done=renamed&key=" + KEY_ID));
        // the console trims, as platform-api does (and as the issue form does): what it keeps is what is sent
        api.verify(1, putRequestedFor(urlPathEqualTo(NAME)).withRequestBody(equalToJson("{\"name\":\"nightly\"}")));
        api.verify(1, putRequestedFor(anyUrl()));

        // a disabled key is renamed alike; 100 characters once trimmed is the most
        String longest = "n".repeat(100);
        PlatformApiStub.json(api, put(urlPathEqualTo(KEYS_PATH + "/" + DISABLED_ID + "/name")), 200, "{}");
        Forms.from("/t/acme/keys").formParam("name", " " + longest + " ")
                .when().post("/t/acme/keys/" + DISABLED_ID + "/name")
                .then().statusCode(303).header("Location", endsWith("/t/acme/keys?done=renamed&key=" + DISABLED_ID));
        api.verify(putRequestedFor(urlPathEqualTo(KEYS_PATH + "/" + DISABLED_ID + "/name"))
                .withRequestBody(equalToJson("{\"name\":\"" + longest + "\"}")));

        // the notice names the key as platform-api now lists it
        PlatformApiStub.json(api, get(urlPathEqualTo(KEYS_PATH)), 200,
                KeyDisableTest.KEYS.replace("\"name\":\"production\"", "\"name\":\"nightly\""));
        String html = given().when().get("/t/acme/keys?done=renamed&key=" + KEY_ID).then().statusCode(200)
                .extract().asString();
        assertEquals("Key aiaas_AbCd…wxyz is now named “nightly”.", Forms.text(html, "keys-done"));
        assertTrue(html.contains("<p class=\"notice\" role=\"status\" id=\"keys-done\">"), html);
        assertTrue(row(html, KEY_ID).contains("<td class=\"key-name\">nightly</td>"), row(html, KEY_ID));

        // the query can be typed by hand: a key that is not listed is not named, and nothing typed is shown
        for (String key : new String[] {KEY_ID.replace('3', '9'), "<b>mine</b>", ""}) {
            html = given().queryParam("done", "renamed").queryParam("key", key).when().get("/t/acme/keys")
                    .then().statusCode(200).extract().asString();
            assertEquals("The key is renamed.", Forms.text(html, "keys-done"), key);
            assertFalse(html.contains("<b>mine"), "nothing of the query is rendered");
        }
    }

    @Test
    @TestSecurity(user = "alice")
    void aBlankNameOrOneOver100CharactersNeverReachesThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String tooLong = "x".repeat(101);
        for (String[] bad : new String[][] {{"", "Give the key a name."}, {"   ", "Give the key a name."},
            {tooLong, "The name can be at most 100 characters."}}) {
            String html = Forms.from("/t/acme/keys").formParam("name", bad[0]).when().post(RENAME)
                    .then().statusCode(400).extract().asString();
            String activeRow = row(html, KEY_ID);
            assertEquals(bad[1], Forms.text(activeRow, "name-key-" + KEY_ID + "-error"), "'" + bad[0] + "'");
            assertTrue(activeRow.contains("<p class=\"error\" role=\"alert\" id=\"name-key-" + KEY_ID + "-error\">"),
                    activeRow);
            assertTrue(activeRow.contains("<details class=\"key-name-edit\" open>"), "left open");
            assertTrue(activeRow.contains("size=\"16\" value=\"" + bad[0] + "\">"), "what was typed stays: " + bad[0]);
            assertFalse(html.contains("id=\"create-key-error\""), "the issue form is not blamed");
            assertTrue(html.contains("id=\"key-name\" name=\"name\" required maxlength=\"100\" autocomplete=\"off\" "
                    + "value=\"\""), "nor filled with the key's name");
        }
        // without the field at all, as a forged form would send it
        Forms.from("/t/acme/keys").when().post(RENAME).then().statusCode(400)
                .body(containsString("id=\"name-key-" + KEY_ID + "-error\">Give the key a name.</p>"));
        api.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "alice")
    void aKeyThatIsNoLongerActiveIsRefusedBesideItWithTheTypedNameKept() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.problem(api, put(urlPathEqualTo(NAME)), 409, "key_not_active",
                "API key is expired; only an active or disabled key can be renamed");
        String html = Forms.from("/t/acme/keys").formParam("name", "nightly <b>").when().post(RENAME)
                .then().statusCode(409).extract().asString();
        String activeRow = row(html, KEY_ID);
        assertEquals("API key is expired; only an active or disabled key can be renamed",
                Forms.text(activeRow, "name-key-" + KEY_ID + "-error"));
        assertTrue(activeRow.contains("<p class=\"error\" role=\"alert\" id=\"name-key-" + KEY_ID + "-error\">"),
                activeRow);
        assertTrue(activeRow.contains("<details class=\"key-name-edit\" open>"), "the refused form stays open");
        assertTrue(activeRow.contains("size=\"16\" value=\"nightly &lt;b&gt;\">"), "what was typed, escaped");
        assertTrue(activeRow.contains("<td class=\"key-name\">production</td>"), "the list as platform-api says");
        assertNull(Forms.text(html, "keys-done"), "nothing was done");
        assertFalse(html.contains("id=\"create-key-error\""), "the issue form is not blamed");
        assertFalse(activeRow.contains("<details class=\"key-expiry-edit\" open>"), "nor another form of the key");
        assertFalse(row(html, DISABLED_ID).contains("role=\"alert\""), "nor another key");
        assertFalse(row(html, DISABLED_ID).contains(" open>"), row(html, DISABLED_ID));
        api.verify(1, putRequestedFor(urlPathEqualTo(NAME))
                .withRequestBody(equalToJson("{\"name\":\"nightly <b>\"}")));
    }

    @Test
    @TestSecurity(user = "alice")
    void anIdThatIsNotAKeyIdIsNotFoundAndNeverReachesThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        for (String id : new String[] {"not-a-key", "12345", KEY_ID + "0"}) {
            Forms.from("/t/acme/keys").formParam("name", "nightly").when().post("/t/acme/keys/" + id + "/name")
                    .then().statusCode(404);
        }
        api.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "mallory")
    void aMemberSeesNoRenameFormAndAForgedOneIsRefusedByThePlatform() {
        PlatformApiStub.me(api, "mallory@acme.test", false, "acme:member");
        Response page = given().when().get("/t/acme/keys");
        String html = page.then().statusCode(200)
                .body(containsString("<td class=\"key-name\">production</td>"))
                .body(not(containsString("key-name-edit")))
                .body(not(containsString("name-key-")))
                .body(not(containsString("save-key-name")))
                .extract().asString();
        assertTrue(Forms.text(html, "keys-member-note").contains("rename"), "the note says who can");

        PlatformApiStub.problem(api, put(urlPathEqualTo(NAME)), 403, "forbidden", "only tenant admins change keys");
        given().redirects().follow(false).cookie(Forms.COOKIE, page.getCookie(Forms.COOKIE))
                .formParam("csrf-token", Csrf.metaToken(html)).formParam("name", "mine")
                .when().post(RENAME).then().statusCode(403)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"name-key-" + KEY_ID
                        + "-error\">only tenant admins change keys</p>"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aClosedTenantsKeysHaveNoRenameForm() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin:closed");
        given().when().get("/t/acme/keys").then().statusCode(200)
                .body(containsString("<td class=\"key-name\">production</td>"))
                .body(not(containsString("key-name-edit")))
                .body(not(containsString("name-key-")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aRenameWithoutTheCsrfTokenNeverReachesThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        given().redirects().follow(false).formParam("name", "nightly").when().post(RENAME).then().statusCode(400);
        api.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "bob")
    void anOutsiderGetsTheForbiddenPageAndNoKeyIsRenamed() {
        PlatformApiStub.me(api, "bob@globex.test", false, "globex:admin");
        Csrf.fabricated().form().formParam("name", "nightly").when().post(RENAME).then().statusCode(403)
                .body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/api/v1/tenants/.*")));
    }
}
