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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client networks a key may be used from, on the keys page: issued with them, shown in the list, replaced and
 * removed from the key's row, platform-api's refusals told by the line they were typed on.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class KeyNetworksTest {

    /** {@link KeysResourceTest#KEYS}: the active key restricted to two networks, the revoked one usable anywhere. */
    static final String KEYS = KeysResourceTest.KEYS
            .replace("\"budget_used_micros\":1230000,",
                    "\"budget_used_micros\":1230000,\"allowed_networks\":[\"203.0.113.0/24\",\"2001:db8::/32\"],")
            .replace("\"budget_used_micros\":null,", "\"budget_used_micros\":null,\"allowed_networks\":null,");

    static final String KEYS_PATH = "/api/v1/tenants/acme/keys";
    static final String NETWORKS = KEYS_PATH + "/" + KEY_ID + "/networks";
    static final String ROUTE = "/t/acme/keys/" + KEY_ID + "/networks";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        assertEquals(2, KEYS.split("\"allowed_networks\"", -1).length - 1, "the fixture has both keys' networks");
        api.resetAll();
        PlatformApiStub.json(api, get(urlPathEqualTo(KEYS_PATH)), 200, KEYS);
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/models")), 200, KeysResourceTest.MODELS);
    }

    @Test
    @TestSecurity(user = "alice")
    void aNewKeysNetworksAreSentOnePerLineOrCommaSeparatedTrimmedAndNoneNotAtAll() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, post(urlPathEqualTo(KEYS_PATH)), 201, KeysResourceTest.CREATED);
        Forms.from("/t/acme/keys").formParam("name", "ci")
                .formParam("allowed_networks", " 203.0.113.0/24\r\n\r\n198.51.100.7 , 2001:db8::/32,\n  \n")
                .when().post("/t/acme/keys").then().statusCode(200);
        api.verify(postRequestedFor(urlPathEqualTo(KEYS_PATH)).withRequestBody(equalToJson("{\"name\":\"ci\","
                + "\"expires_at\":null,"
                + "\"allowed_networks\":[\"203.0.113.0/24\",\"198.51.100.7\",\"2001:db8::/32\"]}")));

        for (String nothing : new String[] {"", " \r\n \n", " , ,\n"}) {
            api.resetRequests();
            Forms.from("/t/acme/keys").formParam("name", "ci").formParam("allowed_networks", nothing)
                    .when().post("/t/acme/keys").then().statusCode(200);
            api.verify(postRequestedFor(urlPathEqualTo(KEYS_PATH))
                    .withRequestBody(equalToJson("{\"name\":\"ci\",\"expires_at\":null}")));
        }
        api.resetRequests();
        Forms.from("/t/acme/keys").formParam("name", "ci").when().post("/t/acme/keys").then().statusCode(200);
        api.verify(postRequestedFor(urlPathEqualTo(KEYS_PATH))
                .withRequestBody(equalToJson("{\"name\":\"ci\",\"expires_at\":null}")));
    }

    @Test
    @TestSecurity(user = "alice")
    void theListShowsEachKeysNetworksOrThatItWorksFromAnywhere() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().when().get("/t/acme/keys").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<th scope=\"col\">Networks</th>"), "its own column");
        assertTrue(row(html, KEY_ID).contains("<td class=\"key-networks\" id=\"key-networks-" + KEY_ID + "\">"
                + "<code>203.0.113.0/24</code>, <code>2001:db8::/32</code></td>"), row(html, KEY_ID));
        assertTrue(row(html, OLD_ID).contains("<td class=\"key-networks\" id=\"key-networks-" + OLD_ID + "\">"
                + "<span class=\"muted\">anywhere</span></td>"), row(html, OLD_ID));
        assertTrue(html.contains("<label for=\"key-networks\">Client networks (optional)</label>"));
        assertTrue(html.contains("<textarea id=\"key-networks\" name=\"allowed_networks\""), "the issue form's input");
        assertEquals("", Forms.text(html, "key-networks"), "empty: from anywhere");
        assertTrue(Forms.text(html, "key-networks-help").contains("network_not_allowed"), "what happens outside");
        assertNull(Forms.text(html, "key-networks-error"));

        // a key listed without the field (a platform-api of before) reads as usable from anywhere
        PlatformApiStub.json(api, get(urlPathEqualTo(KEYS_PATH)), 200, KeysResourceTest.KEYS);
        html = given().when().get("/t/acme/keys").then().statusCode(200).extract().asString();
        assertTrue(row(html, KEY_ID).contains("<span class=\"muted\">anywhere</span>"), row(html, KEY_ID));
        assertEquals("", Forms.text(html, "networks-" + KEY_ID), "and its form starts empty");
    }

    @Test
    @TestSecurity(user = "alice")
    void anActiveKeysNetworksAreReplacedFromItsRowAndEmptyMeansAnywhere() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().when().get("/t/acme/keys").then().statusCode(200).extract().asString();
        String activeRow = row(html, KEY_ID);
        assertTrue(activeRow.contains("<details class=\"key-networks-edit\">"), activeRow);
        assertTrue(activeRow.contains("<form id=\"networks-form-" + KEY_ID + "\" method=\"post\" action=\"" + ROUTE
                + "\">"), activeRow);
        assertTrue(activeRow.contains("name=\"csrf-token\""), "the form carries the CSRF token");
        assertEquals("203.0.113.0/24\n2001:db8::/32", Forms.text(activeRow, "networks-" + KEY_ID), "one per line");
        assertTrue(activeRow.contains("<button type=\"submit\" id=\"networks-submit-" + KEY_ID + "\""), activeRow);
        assertFalse(row(html, OLD_ID).contains("networks-form-"), "a revoked key's networks cannot change");

        PlatformApiStub.json(api, put(urlPathEqualTo(NETWORKS)), 200, "{}");
        Forms.from("/t/acme/keys").formParam("allowed_networks", "10.0.0.0/8\r\n 2001:db8::1 ,192.0.2.0/24\r\n")
                .when().post(ROUTE).then().statusCode(303)
                .header("Location", endsWith("/t/acme/keys?done=networks#key-networks-" + KEY_ID));
        api.verify(putRequestedFor(urlPathEqualTo(NETWORKS)).withRequestBody(
                equalToJson("{\"allowed_networks\":[\"10.0.0.0/8\",\"2001:db8::1\",\"192.0.2.0/24\"]}")));
        api.resetRequests();
        Forms.from("/t/acme/keys").formParam("allowed_networks", " \r\n").when().post(ROUTE).then().statusCode(303)
                .header("Location", endsWith("/t/acme/keys?done=networks-removed#key-networks-" + KEY_ID));
        api.verify(putRequestedFor(urlPathEqualTo(NETWORKS))
                .withRequestBody(equalToJson("{\"allowed_networks\":null}")));
        api.resetRequests();
        Forms.from("/t/acme/keys").when().post(ROUTE).then().statusCode(303);
        api.verify(putRequestedFor(urlPathEqualTo(NETWORKS))
                .withRequestBody(equalToJson("{\"allowed_networks\":null}")));

        given().when().get("/t/acme/keys?done=networks").then().statusCode(200)
                .body(containsString("id=\"keys-done\">The key's networks are saved"));
        given().when().get("/t/acme/keys?done=networks-removed").then().statusCode(200)
                .body(containsString("id=\"keys-done\">The key's network restriction is removed"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aRefusedEntryOfANewKeyIsToldByItsLineUnderTheTextareaWithWhatWasTyped() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.invalid(api, post(urlPathEqualTo(KEYS_PATH)), "The request is not valid.",
                "allowed_networks[2]", "10.1.2.3/8 has bits set beyond /8; the network is 10.0.0.0/8");
        String typed = "203.0.113.0/24\n\n198.51.100.7, 10.1.2.3/8";
        String html = Forms.from("/t/acme/keys").formParam("name", "ci").formParam("allowed_networks", typed)
                .when().post("/t/acme/keys").then().statusCode(400).extract().asString();
        api.verify(postRequestedFor(urlPathEqualTo(KEYS_PATH)).withRequestBody(equalToJson("{\"name\":\"ci\","
                + "\"expires_at\":null,\"allowed_networks\":[\"203.0.113.0/24\",\"198.51.100.7\",\"10.1.2.3/8\"]}")));
        assertTrue(Forms.text(html, "create-key-error").startsWith("The request is not valid."), html);
        assertEquals("line 3, 10.1.2.3/8: 10.1.2.3/8 has bits set beyond /8; the network is 10.0.0.0/8",
                Forms.text(html, "key-networks-error"));
        assertEquals(typed, Forms.text(html, "key-networks"), "what was typed stays, blank line and all");
        assertTrue(html.contains("value=\"ci\""), "and the name");
        assertFalse(html.contains("new-key-secret"));
        assertFalse(row(html, KEY_ID).contains("<details class=\"key-networks-edit\" open>"), "no row is blamed");
        assertEquals("203.0.113.0/24\n2001:db8::/32", Forms.text(html, "networks-" + KEY_ID), "rows keep their own");

        // too many entries is said of the whole list
        PlatformApiStub.invalid(api, post(urlPathEqualTo(KEYS_PATH)), "The request is not valid.",
                "allowed_networks", "at most 50 networks");
        html = Forms.from("/t/acme/keys").formParam("name", "ci").formParam("allowed_networks", "10.0.0.1")
                .when().post("/t/acme/keys").then().statusCode(400).extract().asString();
        assertEquals("at most 50 networks", Forms.text(html, "key-networks-error"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aRefusedEntryOfAKeysRowIsShownBesideItsFormEscapedWithWhatWasTyped() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.invalid(api, put(urlPathEqualTo(NETWORKS)), "The request is not valid.",
                "put.body.allowed_networks[1]", "'<img src=x onerror=alert(1)>' is not an IP address or CIDR network");
        String typed = "10.0.0.0/8\n<img src=x onerror=alert(1)>";
        String html = Forms.from("/t/acme/keys").formParam("allowed_networks", typed)
                .when().post(ROUTE).then().statusCode(400).extract().asString();
        api.verify(putRequestedFor(urlPathEqualTo(NETWORKS)).withRequestBody(
                equalToJson("{\"allowed_networks\":[\"10.0.0.0/8\",\"<img src=x onerror=alert(1)>\"]}")));
        assertFalse(html.contains("<img src=x"), "nothing typed is rendered as HTML");
        String activeRow = row(html, KEY_ID);
        assertTrue(activeRow.contains("<details class=\"key-networks-edit\" open>"), "the refused form stays open");
        assertTrue(activeRow.contains(">10.0.0.0/8\n&lt;img src=x onerror=alert(1)&gt;</textarea>"),
                "what was typed, not the key's networks: " + activeRow);
        assertTrue(activeRow.contains("<div class=\"field-error\" id=\"networks-" + KEY_ID + "-error\">line 2, "
                + "&lt;img src=x onerror=alert(1)&gt;: &#39;&lt;img src=x onerror=alert(1)&gt;&#39; is not an IP "
                + "address or CIDR network</div>"), activeRow);
        assertTrue(Forms.text(html, "networks-form-" + KEY_ID + "-error").startsWith("The request is not valid."));
        assertFalse(html.contains("id=\"create-key-error\""), "the issue form is not blamed");
        assertNull(Forms.text(html, "key-networks-error"));
        assertEquals("", Forms.text(html, "key-networks"), "nor given the row's text");
    }

    @Test
    @TestSecurity(user = "alice")
    void aKeyThatIsNoLongerActiveIsRefusedInItsRowWithWhatWasTyped() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.problem(api, put(urlPathEqualTo(NETWORKS)), 409, "key_not_active",
                "API key is revoked; only an active key's networks can change");
        String html = Forms.from("/t/acme/keys").formParam("allowed_networks", "192.0.2.0/24")
                .when().post(ROUTE).then().statusCode(409).extract().asString();
        assertEquals("API key is revoked; only an active key's networks can change",
                Forms.text(html, "networks-form-" + KEY_ID + "-error").replace("&#39;", "'"));
        assertEquals("192.0.2.0/24", Forms.text(row(html, KEY_ID), "networks-" + KEY_ID));
        assertNull(Forms.text(html, "networks-" + KEY_ID + "-error"), "no entry is blamed");
        assertFalse(row(html, KEY_ID).contains("<details class=\"key-rate-limit-edit\" open>"), "nor another form");
    }

    @Test
    @TestSecurity(user = "mallory")
    void aMemberSeesEachKeysNetworksButNoFormAndAForgedOneIsRefusedByThePlatform() {
        PlatformApiStub.me(api, "mallory@acme.test", false, "acme:member");
        Response page = given().when().get("/t/acme/keys");
        String html = page.then().statusCode(200)
                .body(containsString("<code>203.0.113.0/24</code>, <code>2001:db8::/32</code></td>"))
                .body(not(containsString("id=\"key-networks\"")))
                .body(not(containsString("key-networks-edit")))
                .body(not(containsString("networks-form-")))
                .body(not(containsString("networks-submit-")))
                .body(not(containsString("<textarea")))
                .extract().asString();
        assertTrue(Forms.text(html, "keys-member-note").contains("client networks"), "the note says who can");

        PlatformApiStub.problem(api, put(urlPathEqualTo(NETWORKS)), 403, "forbidden",
                "only tenant admins change keys");
        String token = Csrf.metaToken(html);
        given().redirects().follow(false).cookie(Forms.COOKIE, page.getCookie(Forms.COOKIE))
                .formParam("csrf-token", token).formParam("allowed_networks", "0.0.0.0/0")
                .when().post(ROUTE).then().statusCode(403)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"networks-form-" + KEY_ID
                        + "-error\">only tenant admins change keys</p>"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aChangeWithoutTheCsrfTokenNeverReachesThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        given().redirects().follow(false).formParam("allowed_networks", "0.0.0.0/0").when().post(ROUTE)
                .then().statusCode(400);
        given().redirects().follow(false).formParam("name", "ci").formParam("allowed_networks", "0.0.0.0/0")
                .when().post("/t/acme/keys").then().statusCode(400);
        api.verify(0, putRequestedFor(anyUrl()));
        api.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "bob")
    void anOutsiderGetsTheForbiddenPageAndNoNetworksAreAsked() {
        PlatformApiStub.me(api, "bob@globex.test", false, "globex:admin");
        given().when().get("/t/acme/keys").then().statusCode(403)
                .body(containsString("id=\"forbidden\""))
                .body(not(containsString("key-networks")));
        Csrf.fabricated().form().formParam("allowed_networks", "0.0.0.0/0").when().post(ROUTE)
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        Csrf.fabricated().form().formParam("allowed_networks", "").when().post(ROUTE)
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        Csrf.fabricated().form().formParam("name", "ci").formParam("allowed_networks", "0.0.0.0/0")
                .when().post("/t/acme/keys").then().statusCode(403).body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/api/v1/tenants/.*")));
    }
}
