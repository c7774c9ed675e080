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

/** A key's own limit of requests per minute on the keys page: issued with it, shown in the list, set and removed. */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class KeyRateLimitTest {

    /** {@link KeysResourceTest#KEYS}: the active key limited to 1,500 calls a minute, the revoked one to none. */
    static final String KEYS = KeysResourceTest.KEYS
            .replace("\"budget_used_micros\":1230000,", "\"budget_used_micros\":1230000,\"requests_per_minute\":1500,")
            .replace("\"budget_used_micros\":null,", "\"budget_used_micros\":null,\"requests_per_minute\":null,");

    static final String KEYS_PATH = "/api/v1/tenants/acme/keys";
    static final String RATE_LIMIT = KEYS_PATH + "/" + KEY_ID + "/rate-limit";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        assertEquals(2, KEYS.split("\"requests_per_minute\"", -1).length - 1, "the fixture has both keys' limits");
        api.resetAll();
        PlatformApiStub.json(api, get(urlPathEqualTo(KEYS_PATH)), 200, KEYS);
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/models")), 200, KeysResourceTest.MODELS);
    }

    @Test
    @TestSecurity(user = "alice")
    void aNewKeysLimitIsSentAsAWholeNumberAndNoLimitNotAtAll() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, post(urlPathEqualTo(KEYS_PATH)), 201, KeysResourceTest.CREATED);
        Forms.from("/t/acme/keys").formParam("name", "ci").formParam("expires", "").formParam("budget", "")
                .formParam("rate-limit", " 60 ").when().post("/t/acme/keys").then().statusCode(200);
        api.verify(postRequestedFor(urlPathEqualTo(KEYS_PATH))
                .withRequestBody(equalToJson("{\"name\":\"ci\",\"expires_at\":null,\"requests_per_minute\":60}")));
        api.resetRequests();
        Forms.from("/t/acme/keys").formParam("name", "ci").formParam("rate-limit", "1000000")
                .when().post("/t/acme/keys").then().statusCode(200);
        api.verify(postRequestedFor(urlPathEqualTo(KEYS_PATH)).withRequestBody(
                equalToJson("{\"name\":\"ci\",\"expires_at\":null,\"requests_per_minute\":1000000}")));
        api.resetRequests();
        Forms.from("/t/acme/keys").formParam("name", "ci").formParam("rate-limit", "")
                .when().post("/t/acme/keys").then().statusCode(200);
        api.verify(postRequestedFor(urlPathEqualTo(KEYS_PATH))
                .withRequestBody(equalToJson("{\"name\":\"ci\",\"expires_at\":null}")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aLimitThatIsNotAWholeNumberFromOneToAMillionNeverReachesThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        for (String bad : new String[] {"sixty", "0", "-5", "1.5", "60.0", "1e3", "1,000", "1000001",
            "99999999999999999999"}) {
            String html = Forms.from("/t/acme/keys").formParam("name", "ci").formParam("rate-limit", bad)
                    .when().post("/t/acme/keys").then().statusCode(400).extract().asString();
            assertTrue(Forms.text(html, "create-key-error").contains("requests per minute"), bad + ": " + html);
            assertTrue(html.contains("id=\"key-rate-limit\" name=\"rate-limit\" inputmode=\"numeric\" "
                    + "autocomplete=\"off\" value=\"" + bad + "\""), "what was typed stays: " + bad);
            html = Forms.from("/t/acme/keys").formParam("rate-limit", bad)
                    .when().post("/t/acme/keys/" + KEY_ID + "/rate-limit").then().statusCode(400).extract().asString();
            assertTrue(Forms.text(html, "rate-limit-key-" + KEY_ID + "-error").contains("requests per minute"), bad);
            assertTrue(row(html, KEY_ID).contains("id=\"rate-limit-" + KEY_ID + "\" name=\"rate-limit\" "
                    + "inputmode=\"numeric\" autocomplete=\"off\" size=\"8\" value=\"" + bad + "\""),
                    "kept in the row: " + bad);
            assertTrue(row(html, KEY_ID).contains("<details class=\"key-rate-limit-edit\" open>"), "left open");
        }
        api.verify(0, postRequestedFor(anyUrl()));
        api.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "alice")
    void theListShowsEachKeysOwnLimitOrThatThePlansApply() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().when().get("/t/acme/keys").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<th scope=\"col\">Rate limit</th>"), "its own column");
        assertTrue(row(html, KEY_ID).contains("<td class=\"key-rate-limit\">1,500/min</td>"), row(html, KEY_ID));
        assertTrue(row(html, OLD_ID).contains("<td class=\"key-rate-limit\"><span class=\"muted\">plan's limits"
                + "</span></td>"), row(html, OLD_ID));
        assertTrue(html.contains("<label for=\"key-rate-limit\">Requests per minute (optional)</label>"));
        assertTrue(Forms.text(html, "key-rate-limit-help").contains("rate_limited"), "what happens beyond it");

        // a key listed without the field (a platform-api of before) reads as having none
        PlatformApiStub.json(api, get(urlPathEqualTo(KEYS_PATH)), 200, KeysResourceTest.KEYS);
        html = given().when().get("/t/acme/keys").then().statusCode(200).extract().asString();
        assertTrue(row(html, KEY_ID).contains("<td class=\"key-rate-limit\"><span class=\"muted\">plan's limits"));
    }

    @Test
    @TestSecurity(user = "alice")
    void anActiveKeysLimitIsSetAndRemovedFromItsRow() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().when().get("/t/acme/keys").then().statusCode(200).extract().asString();
        String activeRow = row(html, KEY_ID);
        assertTrue(activeRow.contains("<details class=\"key-rate-limit-edit\">"), activeRow);
        assertTrue(activeRow.contains("<form id=\"rate-limit-key-" + KEY_ID + "\" method=\"post\" "
                + "action=\"/t/acme/keys/" + KEY_ID + "/rate-limit\">"), activeRow);
        assertTrue(activeRow.contains("size=\"8\" value=\"1500\""), "the limit as typed: 1500");
        assertTrue(activeRow.contains("class=\"save-key-rate-limit\""), activeRow);
        assertFalse(row(html, OLD_ID).contains("rate-limit-key-"), "a revoked key's limit cannot change");

        PlatformApiStub.json(api, put(urlPathEqualTo(RATE_LIMIT)), 200, "{}");
        Forms.from("/t/acme/keys").formParam("rate-limit", " 120 ")
                .when().post("/t/acme/keys/" + KEY_ID + "/rate-limit")
                .then().statusCode(303).header("Location", endsWith("/t/acme/keys?done=rate-limit"));
        api.verify(putRequestedFor(urlPathEqualTo(RATE_LIMIT))
                .withRequestBody(equalToJson("{\"requests_per_minute\":120}")));
        api.resetRequests();
        Forms.from("/t/acme/keys").formParam("rate-limit", " ").when().post("/t/acme/keys/" + KEY_ID + "/rate-limit")
                .then().statusCode(303).header("Location", endsWith("/t/acme/keys?done=rate-limit-removed"));
        api.verify(putRequestedFor(urlPathEqualTo(RATE_LIMIT))
                .withRequestBody(equalToJson("{\"requests_per_minute\":null}")));
        given().when().get("/t/acme/keys?done=rate-limit").then().statusCode(200)
                .body(containsString("id=\"keys-done\">The key's rate limit is saved"));
        given().when().get("/t/acme/keys?done=rate-limit-removed").then().statusCode(200)
                .body(containsString("id=\"keys-done\">The key's rate limit is removed"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aKeyThatIsNoLongerActiveIsRefusedInItsRowWithWhatWasTyped() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.problem(api, put(urlPathEqualTo(RATE_LIMIT)), 409, "key_not_active",
                "API key is expired; only an active key's rate limit can change");
        String html = Forms.from("/t/acme/keys").formParam("rate-limit", "90")
                .when().post("/t/acme/keys/" + KEY_ID + "/rate-limit").then().statusCode(409).extract().asString();
        assertEquals("API key is expired; only an active key's rate limit can change",
                Forms.text(html, "rate-limit-key-" + KEY_ID + "-error").replace("&#39;", "'"));
        String activeRow = row(html, KEY_ID);
        assertTrue(activeRow.contains("<details class=\"key-rate-limit-edit\" open>"), "the refused form stays open");
        assertTrue(activeRow.contains("size=\"8\" value=\"90\""), "what was typed, not the key's 1500");
        assertFalse(html.contains("id=\"create-key-error\""), "the issue form is not blamed");
        assertFalse(activeRow.contains("<details class=\"key-budget-edit\" open>"), "nor the budget form");
        api.verify(putRequestedFor(urlPathEqualTo(RATE_LIMIT))
                .withRequestBody(equalToJson("{\"requests_per_minute\":90}")));
    }

    @Test
    @TestSecurity(user = "mallory")
    void aMemberSeesEachKeysLimitButNoFormAndAForgedOneIsRefusedByThePlatform() {
        PlatformApiStub.me(api, "mallory@acme.test", false, "acme:member");
        Response page = given().when().get("/t/acme/keys");
        String html = page.then().statusCode(200)
                .body(containsString("<td class=\"key-rate-limit\">1,500/min</td>"))
                .body(not(containsString("id=\"key-rate-limit\"")))
                .body(not(containsString("key-rate-limit-edit")))
                .body(not(containsString("rate-limit-key-")))
                .body(not(containsString("save-key-rate-limit")))
                .extract().asString();
        assertTrue(Forms.text(html, "keys-member-note").contains("rate limits"), "the note says who can");

        PlatformApiStub.problem(api, put(urlPathEqualTo(RATE_LIMIT)), 403, "forbidden",
                "only tenant admins change keys");
        String token = Csrf.metaToken(html);
        given().redirects().follow(false).cookie(Forms.COOKIE, page.getCookie(Forms.COOKIE))
                .formParam("csrf-token", token).formParam("rate-limit", "10")
                .when().post("/t/acme/keys/" + KEY_ID + "/rate-limit").then().statusCode(403)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"rate-limit-key-" + KEY_ID
                        + "-error\">only tenant admins change keys</p>"));
    }

    @Test
    @TestSecurity(user = "bob")
    void anOutsiderGetsTheForbiddenPageAndNoLimitIsAsked() {
        PlatformApiStub.me(api, "bob@globex.test", false, "globex:admin");
        given().when().get("/t/acme/keys").then().statusCode(403)
                .body(containsString("id=\"forbidden\""))
                .body(not(containsString("key-rate-limit")));
        Csrf.fabricated().form().formParam("rate-limit", "60").when().post("/t/acme/keys/" + KEY_ID + "/rate-limit")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        Csrf.fabricated().form().formParam("rate-limit", "").when().post("/t/acme/keys/" + KEY_ID + "/rate-limit")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        Csrf.fabricated().form().formParam("name", "ci").formParam("rate-limit", "60").when().post("/t/acme/keys")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/api/v1/tenants/.*")));
    }
}
