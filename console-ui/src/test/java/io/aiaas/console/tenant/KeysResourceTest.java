package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
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
class KeysResourceTest {

    static final String KEY_ID = "3f2c5a4e-0b1d-4c8e-9a7f-1e2d3c4b5a69";
    static final String OLD_ID = "11111111-2222-4333-8444-555555555555";
    static final String SECRET = "aiaas_Zk3qVbN8xW2pLr5tYh7uJc9mDf4gHs6aQe1oIw0k";
    static final String KEYS = """
            [{"id":"%s","name":"production","prefix":"aiaas_AbCd","last_four":"wxyz","status":"active",
              "created_by":"alice@acme.test","created_at":"2026-11-02T08:30:00Z","expires_at":null,
              "revoked_at":null,"last_used_at":"2026-11-20T12:00:00Z","models":["iris","resnet-50"],
              "monthly_budget_micros":5000000,"budget_used_micros":1230000,"budget_currency":"USD"},
             {"id":"%s","name":"old <script>","prefix":"aiaas_Old1","last_four":"0000","status":"revoked",
              "created_by":"alice@acme.test","created_at":"2026-10-01T08:30:00Z","expires_at":null,
              "revoked_at":"2026-10-05T09:00:00Z","last_used_at":null,
              "monthly_budget_micros":null,"budget_used_micros":null,"budget_currency":"USD"}]"""
            .formatted(KEY_ID, OLD_ID);
    static final String CREATED = """
            {"id":"9a8b7c6d-0000-4000-8000-000000000001","name":"ci","key":"%s","prefix":"aiaas_Zk3q",
             "last_four":"0k0k","created_at":"2026-11-20T12:00:00Z","expires_at":null}""".formatted(SECRET);

    static final String MODELS = """
            [{"name":"iris","description":"","visibility":"public","latest_version":1,"versions":[]},
             {"name":"resnet-50","description":"","visibility":"private","latest_version":2,"versions":[]}]""";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/keys")), 200, KEYS);
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/models")), 200, MODELS);
    }

    @Test
    @TestSecurity(user = "alice")
    void anAdminSeesEveryKeyMaskedWithFormsToIssueRotateAndRevoke() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().when().get("/t/acme/keys").then().statusCode(200)
                .body(containsString("<form id=\"create-key\""))
                .body(containsString("id=\"key-name\""))
                .body(containsString("id=\"key-expires\""))
                .body(containsString("id=\"create-key-submit\""))
                .body(containsString("<tr data-key-id=\"" + KEY_ID + "\">"))
                .body(containsString("<code>aiaas_AbCd…wxyz</code>"))
                .body(containsString("2026-11-20 12:00"))
                .body(containsString("old &lt;script&gt;"))
                .body(not(containsString("id=\"new-key-secret\"")))
                .extract().asString();
        String activeRow = row(html, KEY_ID);
        assertTrue(activeRow.contains("class=\"rotate-key\"") || activeRow.contains("rotate-key\""), activeRow);
        assertTrue(activeRow.contains("revoke-key"), activeRow);
        assertTrue(activeRow.contains("<option value=\"604800\">7 days</option>"), "the overlap choices");
        assertFalse(row(html, OLD_ID).contains("revoke-key"), "a revoked key has no actions");
        assertTrue(html.contains("<select id=\"key-models\" name=\"models\" multiple size=\"2\""), html);
        assertTrue(html.contains("<option value=\"resnet-50\">resnet-50</option>"), "the tenant's models offered");
        assertTrue(activeRow.contains("<td class=\"key-models\">iris, resnet-50</td>"), activeRow);
        assertTrue(row(html, OLD_ID).contains("<td class=\"key-models\"><span class=\"muted\">all</span></td>"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aKeyForSomeModelsSendsThemAndARefusalKeepsThemChosen() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, post(urlPathEqualTo("/api/v1/tenants/acme/keys")), 201, CREATED);
        Forms.from("/t/acme/keys").formParam("name", "ci").formParam("expires", "")
                .formParam("models", "resnet-50").formParam("models", "iris").when().post("/t/acme/keys")
                .then().statusCode(200);
        api.verify(postRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/keys"))
                .withRequestBody(equalToJson("{\"name\":\"ci\",\"expires_at\":null,"
                        + "\"models\":[\"resnet-50\",\"iris\"]}")));

        PlatformApiStub.problem(api, post(urlPathEqualTo("/api/v1/tenants/acme/keys")), 400, "unknown_model",
                "no model 'resnet-50' is available to tenant 'acme'");
        String html = Forms.from("/t/acme/keys").formParam("name", "ci").formParam("expires", "")
                .formParam("models", "resnet-50").when().post("/t/acme/keys").then().statusCode(400)
                .extract().asString();
        assertTrue(html.contains("no model &#39;resnet-50&#39; is available") || html.contains(
                "no model 'resnet-50' is available"), html);
        assertTrue(html.contains("<option value=\"resnet-50\" selected>"), "the choice is kept");
        assertTrue(html.contains("<option value=\"iris\">"), "and the rest stays unchosen");
    }

    @Test
    @TestSecurity(user = "mallory")
    void aMemberSeesTheListButNoForms() {
        PlatformApiStub.me(api, "mallory@acme.test", false, "acme:member");
        given().when().get("/t/acme/keys").then().statusCode(200)
                .body(containsString("<tr data-key-id=\"" + KEY_ID + "\">"))
                .body(containsString("id=\"keys-member-note\""))
                .body(not(containsString("id=\"create-key\"")))
                .body(not(containsString("revoke-key")))
                .body(not(containsString("rotate-key")))
                .body(containsString("<td class=\"key-budget\">$1.23 of $5.00 this month</td>"))
                .body(not(containsString("budget-key-")))
                .body(not(containsString("save-key-budget")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aNewKeysSecretIsShownOnceOnTheAnswerToThePostAndNeverAgain() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, post(urlPathEqualTo("/api/v1/tenants/acme/keys")), 201, CREATED);

        Response created = Forms.from("/t/acme/keys").formParam("name", " ci ").formParam("expires", "2026-12-31")
                .when().post("/t/acme/keys");
        assertEquals(200, created.statusCode(), "the secret is on this page: no redirect, no secret in a URL");
        assertEquals("no-store", created.header("Cache-Control"));
        String html = created.asString();
        assertEquals(SECRET, Forms.text(html, "new-key-secret"));
        assertTrue(html.contains("<button type=\"button\" id=\"copy-key\" data-copy-target=\"new-key-secret\">"));
        assertTrue(html.contains("this is the only time it is shown"), "the warning");
        assertTrue(html.contains("sessionStorage.setItem"), "the page keeps it for the try-it panel of this tab");
        assertTrue(html.contains("data-key-id=\"9a8b7c6d-0000-4000-8000-000000000001\""));

        // the date is the last day it works, in the reader's zone (UTC without the tz cookie)
        api.verify(postRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/keys"))
                .withRequestBody(equalToJson("{\"name\":\"ci\",\"expires_at\":\"2027-01-01T00:00:00Z\"}")));

        given().when().get("/t/acme/keys").then().statusCode(200)
                .body(not(containsString(SECRET)))
                .body(not(containsString("new-key-secret")));
    }

    @Test
    @TestSecurity(user = "alice")
    void theExpiryFollowsTheReadersTimeZone() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, post(urlPathEqualTo("/api/v1/tenants/acme/keys")), 201, CREATED);
        Forms.from("/t/acme/keys").cookie("tz", "Europe/Paris").formParam("name", "ci").formParam("expires", "2026-12-31")
                .when().post("/t/acme/keys").then().statusCode(200);
        api.verify(postRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/keys"))
                .withRequestBody(equalToJson("{\"name\":\"ci\",\"expires_at\":\"2026-12-31T23:00:00Z\"}")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aRefusalIsShownNextToTheFormWithWhatWasTyped() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.problem(api, post(urlPathEqualTo("/api/v1/tenants/acme/keys")), 400, "validation_failed",
                "expires_at must be in the future");
        String html = Forms.from("/t/acme/keys").formParam("name", "ci-key").formParam("expires", "2020-01-01")
                .when().post("/t/acme/keys").then().statusCode(400).extract().asString();
        assertEquals("expires_at must be in the future", Forms.text(html, "create-key-error"));
        assertTrue(html.contains("value=\"ci-key\"") && html.contains("value=\"2020-01-01\""), "kept in the fields");
        assertFalse(html.contains("new-key-secret"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aDateThatIsNotADateIsRefusedWithoutAskingThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = Forms.from("/t/acme/keys").formParam("name", "ci").formParam("expires", "next week")
                .when().post("/t/acme/keys").then().statusCode(400).extract().asString();
        assertTrue(Forms.text(html, "create-key-error").contains("not a date"));
        api.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "alice")
    void aNewKeysNameBlankOrOver100CharactersIsRefusedWithoutAskingThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        for (String[] bad : new String[][] {{"  ", "Give the key a name."},
                {"x".repeat(101), "The name can be at most 100 characters."}}) {
            String html = Forms.from("/t/acme/keys").formParam("name", bad[0]).when().post("/t/acme/keys").then()
                    .statusCode(400).extract().asString();
            assertEquals(bad[1], Forms.text(html, "create-key-error"));
        }
        api.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "alice")
    void rotatingShowsTheNewSecretOnceAndHowLongTheOldKeyWorks() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, post(urlPathEqualTo("/api/v1/tenants/acme/keys/" + KEY_ID + "/rotate")), 201,
                CREATED);
        api.stubFor(get(urlPathEqualTo("/api/v1/tenants/acme/keys")).inScenario("rotation")
                .whenScenarioStateIs("Started").willSetStateTo("rotated")
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(KEYS)));
        api.stubFor(get(urlPathEqualTo("/api/v1/tenants/acme/keys")).inScenario("rotation")
                .whenScenarioStateIs("rotated")
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(
                        KEYS.replaceFirst("\"expires_at\":null,\\s*\"revoked_at\":null",
                                "\"expires_at\":\"2999-11-21T12:00:00Z\",\"revoked_at\":null"))));

        Response rotated = Forms.from("/t/acme/keys").formParam("overlap", "86400")
                .when().post("/t/acme/keys/" + KEY_ID + "/rotate");
        assertEquals(200, rotated.statusCode());
        assertEquals("no-store", rotated.header("Cache-Control"));
        String html = rotated.asString();
        assertEquals(SECRET, Forms.text(html, "new-key-secret"));
        assertTrue(html.contains("New key replacing “production”"), html);
        assertTrue(Forms.text(html, "rotated-note").contains("keeps working until 2999-11-21 12:00"),
                Forms.text(html, "rotated-note"));
        api.verify(postRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/keys/" + KEY_ID + "/rotate"))
                .withRequestBody(equalToJson("{\"overlap_seconds\":86400}")));
    }

    @Test
    @TestSecurity(user = "alice")
    void anOverlapThatIsNotOfferedIsRefusedNextToThatKey() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = Forms.from("/t/acme/keys").formParam("overlap", "999999999")
                .when().post("/t/acme/keys/" + KEY_ID + "/rotate").then().statusCode(400).extract().asString();
        assertTrue(html.contains("id=\"rotate-key-" + KEY_ID + "-error\""), "the error sits in the key's row");
        api.verify(0, postRequestedFor(urlPathMatching(".*/rotate")));
    }

    @Test
    @TestSecurity(user = "alice")
    void revokingRedirectsBackToTheListWithANotice() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        api.stubFor(delete(urlPathEqualTo("/api/v1/tenants/acme/keys/" + KEY_ID))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.noContent()));
        Forms.from("/t/acme/keys").when().post("/t/acme/keys/" + KEY_ID + "/revoke")
                .then().statusCode(303).header("Location", endsWith("/t/acme/keys?done=revoked"));
        api.verify(deleteRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/keys/" + KEY_ID)));
        given().when().get("/t/acme/keys?done=revoked").then().statusCode(200)
                .body(containsString("id=\"keys-done\""));
    }

    @Test
    @TestSecurity(user = "alice")
    void anActiveKeysModelsAreChangedFromItsRowAndNoneChosenMeansEveryModel() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().when().get("/t/acme/keys").then().statusCode(200).extract().asString();
        String activeRow = row(html, KEY_ID);
        assertTrue(activeRow.contains("<form id=\"models-key-" + KEY_ID + "\" method=\"post\" action=\"/t/acme/keys/"
                + KEY_ID + "/models\">"), activeRow);
        assertTrue(activeRow.contains("<option value=\"resnet-50\" selected>"), "the key's models are chosen");
        assertFalse(row(html, OLD_ID).contains("models-key-"), "a revoked key's models cannot change");

        PlatformApiStub.json(api, put(urlPathEqualTo("/api/v1/tenants/acme/keys/" + KEY_ID + "/models")), 200,
                "{}");
        Forms.from("/t/acme/keys").formParam("models", "iris").when().post("/t/acme/keys/" + KEY_ID + "/models")
                .then().statusCode(303).header("Location", endsWith("/t/acme/keys?done=models"));
        api.verify(putRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/keys/" + KEY_ID + "/models"))
                .withRequestBody(equalToJson("{\"models\":[\"iris\"]}")));
        Forms.from("/t/acme/keys").when().post("/t/acme/keys/" + KEY_ID + "/models").then().statusCode(303);
        api.verify(putRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/keys/" + KEY_ID + "/models"))
                .withRequestBody(equalToJson("{\"models\":null}")));
        given().when().get("/t/acme/keys?done=models").then().statusCode(200)
                .body(containsString("The key's models are saved"));

        PlatformApiStub.problem(api, put(urlPathEqualTo("/api/v1/tenants/acme/keys/" + KEY_ID + "/models")), 409,
                "key_not_active", "API key is revoked; only an active key's models can change");
        Forms.from("/t/acme/keys").formParam("models", "iris").when().post("/t/acme/keys/" + KEY_ID + "/models")
                .then().statusCode(409).body(containsString("<p class=\"error\" role=\"alert\" id=\"models-key-"
                        + KEY_ID + "-error\">"));
    }

    @Test
    @TestSecurity(user = "mallory")
    void aMembersForgedRevokeIsRefusedByTheApiAndShownInTheRow() {
        PlatformApiStub.me(api, "mallory@acme.test", false, "acme:member");
        PlatformApiStub.problem(api, delete(urlPathEqualTo("/api/v1/tenants/acme/keys/" + KEY_ID)), 403, "forbidden",
                "only tenant admins revoke keys");
        // a member's page has no form, so the token comes from the page of another form-bearing page: the layout's meta
        Response page = given().when().get("/t/acme/keys");
        String token = Csrf.metaToken(page.asString());
        given().redirects().follow(false).cookie(Forms.COOKIE, page.getCookie(Forms.COOKIE))
                .formParam("csrf-token", token)
                .when().post("/t/acme/keys/" + KEY_ID + "/revoke").then().statusCode(403)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"revoke-key-" + KEY_ID
                        + "-error\">only tenant admins revoke keys</p>"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aPostWithoutTheCsrfTokenNeverReachesThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        given().redirects().follow(false).formParam("name", "ci").when().post("/t/acme/keys")
                .then().statusCode(400);
        api.verify(0, postRequestedFor(anyUrl()));
        api.verify(0, anyRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/keys")).withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.containing("ci")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aKeysBudgetIsSentInMicroUnitsAndNoBudgetNotAtAll() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, post(urlPathEqualTo("/api/v1/tenants/acme/keys")), 201, CREATED);
        Forms.from("/t/acme/keys").formParam("name", "ci").formParam("expires", "").formParam("budget", " 12.50 ")
                .when().post("/t/acme/keys").then().statusCode(200);
        api.verify(postRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/keys"))
                .withRequestBody(equalToJson("{\"name\":\"ci\",\"expires_at\":null,"
                        + "\"monthly_budget_micros\":12500000}")));
        api.resetRequests();
        Forms.from("/t/acme/keys").formParam("name", "ci").formParam("expires", "").formParam("budget", "0.000001")
                .when().post("/t/acme/keys").then().statusCode(200);
        api.verify(postRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/keys"))
                .withRequestBody(equalToJson("{\"name\":\"ci\",\"expires_at\":null,\"monthly_budget_micros\":1}")));
        api.resetRequests();
        Forms.from("/t/acme/keys").formParam("name", "ci").formParam("expires", "").formParam("budget", "")
                .when().post("/t/acme/keys").then().statusCode(200);
        api.verify(postRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/keys"))
                .withRequestBody(equalToJson("{\"name\":\"ci\",\"expires_at\":null}")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aBudgetThatIsNotAnAmountAboveZeroInMillionthsNeverReachesThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        for (String bad : new String[] {"five", "0", "-5", "1.0000001", "12,50", "1000000000.000001", "99999999999999"}) {
            String html = Forms.from("/t/acme/keys").formParam("name", "ci").formParam("budget", bad)
                    .when().post("/t/acme/keys").then().statusCode(400).extract().asString();
            assertTrue(Forms.text(html, "create-key-error").contains("monthly budget"), bad + ": " + html);
            assertTrue(html.contains("id=\"key-budget\" name=\"budget\" inputmode=\"decimal\" autocomplete=\"off\" "
                    + "value=\"" + bad + "\""), "what was typed stays: " + bad);
            html = Forms.from("/t/acme/keys").formParam("budget", bad)
                    .when().post("/t/acme/keys/" + KEY_ID + "/budget").then().statusCode(400).extract().asString();
            assertTrue(Forms.text(html, "budget-key-" + KEY_ID + "-error").contains("monthly budget"), bad);
            assertTrue(html.contains("id=\"budget-" + KEY_ID + "\" name=\"budget\" inputmode=\"decimal\" "
                    + "autocomplete=\"off\" size=\"8\" value=\"" + bad + "\""), "kept in the row: " + bad);
        }
        api.verify(0, postRequestedFor(anyUrl()));
        api.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "alice")
    void theListShowsWhatEachKeySpentOfItsCapThisMonth() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().when().get("/t/acme/keys").then().statusCode(200).extract().asString();
        assertTrue(row(html, KEY_ID).contains("<td class=\"key-budget\">$1.23 of $5.00 this month</td>"), html);
        assertTrue(row(html, OLD_ID).contains("<td class=\"key-budget\"><span class=\"muted\">no cap</span></td>"));
        assertTrue(html.contains("<label for=\"key-budget\">Monthly budget (optional, USD)</label>"), "the currency");
        assertTrue(html.contains("key_budget_exceeded"), "the help says what happens beyond the cap");

        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/keys")), 200,
                KEYS.replace("\"budget_used_micros\":1230000", "\"budget_used_micros\":5000400"));
        html = given().when().get("/t/acme/keys").then().statusCode(200).extract().asString();
        assertTrue(row(html, KEY_ID).contains("$5.00 of $5.00 this month <span class=\"badge exhausted "
                + "key-budget-reached\">cap reached</span>"), row(html, KEY_ID));
    }

    @Test
    @TestSecurity(user = "alice")
    void anActiveKeysBudgetIsSetAndRemovedFromItsRow() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().when().get("/t/acme/keys").then().statusCode(200).extract().asString();
        assertTrue(row(html, KEY_ID).contains("<form id=\"budget-key-" + KEY_ID + "\" method=\"post\" "
                + "action=\"/t/acme/keys/" + KEY_ID + "/budget\">"), row(html, KEY_ID));
        assertTrue(row(html, KEY_ID).contains("size=\"8\" value=\"5\""), "the cap as typed: 5");
        assertFalse(row(html, OLD_ID).contains("budget-key-"), "a revoked key's budget cannot change");

        String budget = "/api/v1/tenants/acme/keys/" + KEY_ID + "/budget";
        PlatformApiStub.json(api, put(urlPathEqualTo(budget)), 200, "{}");
        Forms.from("/t/acme/keys").formParam("budget", "7.5").when().post("/t/acme/keys/" + KEY_ID + "/budget")
                .then().statusCode(303).header("Location", endsWith("/t/acme/keys?done=budget"));
        api.verify(putRequestedFor(urlPathEqualTo(budget))
                .withRequestBody(equalToJson("{\"monthly_budget_micros\":7500000}")));
        Forms.from("/t/acme/keys").formParam("budget", " ").when().post("/t/acme/keys/" + KEY_ID + "/budget")
                .then().statusCode(303).header("Location", endsWith("/t/acme/keys?done=budget-removed"));
        api.verify(putRequestedFor(urlPathEqualTo(budget))
                .withRequestBody(equalToJson("{\"monthly_budget_micros\":null}")));
        given().when().get("/t/acme/keys?done=budget").then().statusCode(200)
                .body(containsString("The key's monthly budget is saved"));
        given().when().get("/t/acme/keys?done=budget-removed").then().statusCode(200)
                .body(containsString("The key's monthly budget is removed"));

        PlatformApiStub.problem(api, put(urlPathEqualTo(budget)), 409, "key_not_active",
                "API key is revoked; only an active key has a budget");
        html = Forms.from("/t/acme/keys").formParam("budget", "8").when().post("/t/acme/keys/" + KEY_ID + "/budget")
                .then().statusCode(409).extract().asString();
        assertEquals("API key is revoked; only an active key has a budget",
                Forms.text(html, "budget-key-" + KEY_ID + "-error"));
        assertTrue(html.contains("<details class=\"key-budget-edit\" open>"), "the refused form stays open");
    }

    @Test
    @TestSecurity(user = "bob")
    void anOutsiderGetsTheForbiddenPageAndNoBudgetIsAsked() {
        PlatformApiStub.me(api, "bob@globex.test", false, "globex:admin");
        given().when().get("/t/acme/keys").then().statusCode(403)
                .body(containsString("id=\"forbidden\""))
                .body(not(containsString("key-budget")));
        Csrf.fabricated().form().formParam("budget", "5").when().post("/t/acme/keys/" + KEY_ID + "/budget")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        Csrf.fabricated().form().formParam("name", "ci").formParam("budget", "5").when().post("/t/acme/keys")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/api/v1/tenants/.*")));
    }

    /** The html of the key's row in the list (also for {@link KeyRateLimitTest}). */
    static String row(String html, String id) {
        int start = html.indexOf("<tr data-key-id=\"" + id + "\">");
        return html.substring(start, html.indexOf("</tr>", start));
    }
}
