package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.Csrf;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rollout section of the admin model page: the rollout in words, the badges in the versions table, the form that
 * PUTs the whole rollout, promote and clear, refusals beside the form with what was typed.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminModelRolloutTest {

    static final String ROLLOUT_API = "/admin/v1/models/resnet/rollout";
    /** Version 3, ready, like version 2. */
    static final String V3 = AdminModelsResourceTest.V2.replace("\"version\":2", "\"version\":3")
            .replace("bbbbbbbb-0000-0000-0000-000000000002", "bbbbbbbb-0000-0000-0000-000000000003");

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
    }

    /** The model card of resnet: version 1 retired, 2 and 3 ready, with that rollout JSON (null: none given). */
    static String card(String rollout) {
        return card(rollout, AdminModelsResourceTest.V1, AdminModelsResourceTest.V2, V3);
    }

    /** resnet's card with these versions (each a version's JSON) and that rollout (null: none). */
    static String card(String rollout, String... versions) {
        return """
                {"id":"cccccccc-0000-0000-0000-000000000001","name":"resnet","description":"Image classes",
                 "visibility":"public","owner_tenant":null,"created_at":"2026-02-01T00:00:00Z",
                 "updated_at":"2026-03-01T00:00:00Z","versions":[%s]%s}"""
                .formatted(String.join(",", versions), rollout == null ? "" : ",\"rollout\":" + rollout);
    }

    /** What resnet's admin page reads: the signed-in platform admin, the model's card and the tenants. */
    static void stubModelPage(WireMockServer api, String card) {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/models/resnet")), 200, card);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants")), 200, """
                [{"slug":"acme","name":"Acme Corp","status":"active"}]""");
    }

    private void admin(String rollout) {
        stubModelPage(api, card(rollout));
    }

    /** The element that starts with {@code start} in the page, up to and with {@code end}. */
    static String element(String page, String start, String end) {
        int from = page.indexOf(start);
        if (from < 0) {
            throw new AssertionError("no " + start + " on the page");
        }
        return page.substring(from, page.indexOf(end, from) + end.length());
    }

    private static String stableSelect(String page) {
        return element(page, "<select id=\"rollout-stable\"", "</select>");
    }

    private static String canarySelect(String page) {
        return element(page, "<select id=\"rollout-canary\"", "</select>");
    }

    private static String percentInput(String page) {
        return element(page, "<input id=\"rollout-percent\"", ">");
    }

    private static String row(String page, int version) {
        return element(page, "<tr data-version=\"" + version + "\">", "</tr>");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void withoutARolloutCallsGoToTheNewestServedVersionAndNothingIsMarked() {
        admin(null);
        String page = given().when().get("/admin/models/resnet").then().statusCode(200)
                .body(containsString("<section class=\"card\" id=\"rollout-section\" aria-labelledby=\"rollout-heading\">"))
                .body(containsString("<p id=\"rollout-state\">Calls that name no version go to the newest version a"
                        + " worker serves.</p>"))
                .body(containsString("<form id=\"edit-rollout\" method=\"post\" action=\"/admin/models/resnet/rollout\">"))
                .body(not(containsString("rollout-badge")))
                .body(not(containsString("id=\"promote-canary\"")))
                .body(not(containsString("id=\"clear-rollout\"")))
                .extract().asString();
        String stable = stableSelect(page);
        assertThat(stable, containsString("<option value=\"\">Newest served (no stable version)</option>"));
        assertThat(stable, containsString("<option value=\"2\">version 2</option>"));
        assertThat(stable, containsString("<option value=\"3\">version 3</option>"));
        // a retired version is not offered
        assertThat(stable, not(containsString("version 1")));
        assertThat(stable, not(containsString("selected")));
        String canary = canarySelect(page);
        assertThat(canary, containsString("<option value=\"\">No canary</option>"));
        assertThat(canary, containsString("<option value=\"3\">version 3</option>"));
        assertThat(canary, not(containsString("selected")));
        assertThat(percentInput(page), containsString("value=\"\""));
        assertThat(percentInput(page), containsString("min=\"1\" max=\"99\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void allNullsAreNoRolloutToo() {
        admin("{\"stable_version\":null,\"canary_version\":null,\"canary_percent\":null}");
        given().when().get("/admin/models/resnet").then().statusCode(200)
                .body(containsString("<p id=\"rollout-state\">Calls that name no version go to the newest version a"
                        + " worker serves.</p>"))
                .body(not(containsString("rollout-badge")))
                .body(not(containsString("id=\"clear-rollout\"")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aStableVersionIsSaidMarkedAndChosenAndCanBeCleared() {
        admin("{\"stable_version\":2,\"canary_version\":null,\"canary_percent\":null}");
        String page = given().when().get("/admin/models/resnet").then().statusCode(200)
                .body(containsString("<p id=\"rollout-state\">Calls that name no version go to version 2.</p>"))
                .body(not(containsString("id=\"promote-canary\"")))
                .body(containsString("<form class=\"inline\" id=\"clear-rollout-form\" method=\"post\""
                        + " action=\"/admin/models/resnet/rollout/clear\">"))
                .body(containsString("<button id=\"clear-rollout\" type=\"submit\">Clear rollout</button>"))
                .extract().asString();
        assertThat(row(page, 2), containsString(
                "<span class=\"rollout-badge badge stable\" id=\"rollout-stable-badge\">stable</span>"));
        assertThat(row(page, 3), not(containsString("rollout-badge")));
        assertThat(stableSelect(page), containsString("<option value=\"2\" selected>version 2</option>"));
        assertThat(stableSelect(page), containsString("<option value=\"3\">version 3</option>"));
        assertThat(canarySelect(page), not(containsString("selected")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aStableVersionAndACanaryAreSaidMarkedAndChosenAndTheCanaryCanBePromoted() {
        admin("{\"stable_version\":2,\"canary_version\":3,\"canary_percent\":10}");
        String page = given().when().get("/admin/models/resnet").then().statusCode(200)
                .body(containsString("<p id=\"rollout-state\">Calls that name no version go to version 2; version 3"
                        + " takes 10 % of them as a canary, while a worker serves it.</p>"))
                .body(containsString("<form class=\"inline\" id=\"promote-canary-form\" method=\"post\""
                        + " action=\"/admin/models/resnet/rollout/promote\">"))
                .body(containsString("<input type=\"hidden\" name=\"version\" value=\"3\">"))
                .body(containsString("<button id=\"promote-canary\" type=\"submit\">Promote canary (version 3 becomes"
                        + " stable)</button>"))
                .body(containsString("id=\"clear-rollout\""))
                .extract().asString();
        assertThat(row(page, 2), containsString("id=\"rollout-stable-badge\">stable</span>"));
        assertThat(row(page, 2), not(containsString("canary")));
        assertThat(row(page, 3), containsString(
                "<span class=\"rollout-badge badge canary\" id=\"rollout-canary-badge\">canary 10 %</span>"));
        assertThat(row(page, 3), not(containsString(">stable<")));
        assertThat(stableSelect(page), containsString("<option value=\"2\" selected>version 2</option>"));
        assertThat(canarySelect(page), containsString("<option value=\"3\" selected>version 3</option>"));
        assertThat(canarySelect(page), containsString("<option value=\"2\">version 2</option>"));
        assertThat(percentInput(page), containsString("value=\"10\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aCanaryWithoutAStableVersionLeavesTheRestOnTheNewestServed() {
        admin("{\"stable_version\":null,\"canary_version\":3,\"canary_percent\":25}");
        String page = given().when().get("/admin/models/resnet").then().statusCode(200)
                .body(containsString("<p id=\"rollout-state\">Calls that name no version go to the newest version a"
                        + " worker serves (version 3 aside); version 3 takes 25 % of them as a canary, while a worker"
                        + " serves it.</p>"))
                .body(containsString("id=\"promote-canary\""))
                .body(not(containsString("id=\"rollout-stable-badge\"")))
                .extract().asString();
        assertThat(row(page, 3), containsString("id=\"rollout-canary-badge\">canary 25 %</span>"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void thePolledVersionsTableKeepsTheBadges() {
        admin("{\"stable_version\":2,\"canary_version\":3,\"canary_percent\":10}");
        given().when().get("/admin/models/resnet/versions").then().statusCode(200)
                .body(containsString("id=\"rollout-stable-badge\">stable</span>"))
                .body(containsString("id=\"rollout-canary-badge\">canary 10 %</span>"))
                .body(not(containsString("rollout-state")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void savingTheFormPutsTheWholeRolloutAndComesBackAtTheSection() {
        admin(null);
        PlatformApiStub.json(api, put(urlPathEqualTo(ROLLOUT_API)), 200, card(
                "{\"stable_version\":2,\"canary_version\":3,\"canary_percent\":10}"));
        Csrf csrf = Csrf.from("/admin/models/resnet");
        csrf.form().formParam("stable_version", "2").formParam("canary_version", "3").formParam("canary_percent", " 10 ")
                .when().post("/admin/models/resnet/rollout")
                .then().statusCode(303).header("Location", endsWith("/admin/models/resnet#rollout-section"));
        api.verify(1, putRequestedFor(urlPathEqualTo(ROLLOUT_API)).withRequestBody(equalToJson("""
                {"stable_version":2,"canary_version":3,"canary_percent":10}""")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void withoutACanaryThePercentIsLeftOutAndNothingChosenSendsAnEmptyRollout() {
        admin("{\"stable_version\":2,\"canary_version\":3,\"canary_percent\":10}");
        PlatformApiStub.json(api, put(urlPathEqualTo(ROLLOUT_API)), 200, card(null));
        Csrf csrf = Csrf.from("/admin/models/resnet");
        csrf.form().formParam("stable_version", "3").formParam("canary_version", "").formParam("canary_percent", "10")
                .when().post("/admin/models/resnet/rollout")
                .then().statusCode(303).header("Location", endsWith("/admin/models/resnet#rollout-section"));
        api.verify(1, putRequestedFor(urlPathEqualTo(ROLLOUT_API)).withRequestBody(equalToJson("""
                {"stable_version":3}""")));
        api.resetRequests();
        csrf.form().formParam("stable_version", "").formParam("canary_version", "").formParam("canary_percent", "")
                .when().post("/admin/models/resnet/rollout")
                .then().statusCode(303);
        api.verify(1, putRequestedFor(urlPathEqualTo(ROLLOUT_API)).withRequestBody(equalToJson("{}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void promoteMakesTheCanaryStableWithNoCanary() {
        admin("{\"stable_version\":2,\"canary_version\":3,\"canary_percent\":10}");
        PlatformApiStub.json(api, put(urlPathEqualTo(ROLLOUT_API)), 200, card("{\"stable_version\":3}"));
        Csrf csrf = Csrf.from("/admin/models/resnet");
        csrf.form().formParam("version", "3")
                .when().post("/admin/models/resnet/rollout/promote")
                .then().statusCode(303).header("Location", endsWith("/admin/models/resnet#rollout-section"));
        api.verify(1, putRequestedFor(urlPathEqualTo(ROLLOUT_API)).withRequestBody(equalToJson("""
                {"stable_version":3}""")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void clearSendsAnEmptyRollout() {
        admin("{\"stable_version\":2,\"canary_version\":3,\"canary_percent\":10}");
        PlatformApiStub.json(api, put(urlPathEqualTo(ROLLOUT_API)), 200, card(null));
        Csrf csrf = Csrf.from("/admin/models/resnet");
        csrf.form().when().post("/admin/models/resnet/rollout/clear")
                .then().statusCode(303).header("Location", endsWith("/admin/models/resnet#rollout-section"));
        api.verify(1, putRequestedFor(urlPathEqualTo(ROLLOUT_API)).withRequestBody(equalToJson("{}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRefusedRolloutIsShownBesideTheFormWithWhatWasTyped() {
        admin("{\"stable_version\":2,\"canary_version\":null,\"canary_percent\":null}");
        PlatformApiStub.problem(api, put(urlPathEqualTo(ROLLOUT_API)), 400, "invalid_rollout",
                "canary_version and canary_percent come together: give both or neither");
        Csrf csrf = Csrf.from("/admin/models/resnet");
        String page = csrf.form().formParam("stable_version", "").formParam("canary_version", "3")
                .formParam("canary_percent", "")
                .when().post("/admin/models/resnet/rollout")
                .then().statusCode(400)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"edit-rollout-error\">canary_version and"
                        + " canary_percent come together: give both or neither</p>"))
                // the rollout as it is, still said
                .body(containsString("<p id=\"rollout-state\">Calls that name no version go to version 2.</p>"))
                .extract().asString();
        api.verify(1, putRequestedFor(urlPathEqualTo(ROLLOUT_API)).withRequestBody(equalToJson("""
                {"canary_version":3}""")));
        // what was typed, not the model's rollout
        assertThat(stableSelect(page), not(containsString("selected")));
        assertThat(canarySelect(page), containsString("<option value=\"3\" selected>version 3</option>"));
        assertThat(percentInput(page), containsString("value=\"\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aViolationIsShownBesideItsInputAndARetiredVersionStaysChosen() {
        admin(null);
        PlatformApiStub.invalid(api, put(urlPathEqualTo(ROLLOUT_API)), "canary_percent: must be less than or equal to 99",
                "put.body.canary_percent", "must be less than or equal to 99");
        Csrf csrf = Csrf.from("/admin/models/resnet");
        // version 1 was retired since the page was opened (not offered any more, yet what was chosen)
        String page = csrf.form().formParam("stable_version", "1").formParam("canary_version", "2")
                .formParam("canary_percent", "150")
                .when().post("/admin/models/resnet/rollout")
                .then().statusCode(400)
                .body(containsString("id=\"edit-rollout-error\">canary_percent: must be less than or equal to 99"))
                .body(containsString("<div class=\"field-error\" id=\"rollout-percent-error\">must be less than or"
                        + " equal to 99</div>"))
                .extract().asString();
        assertThat(percentInput(page), containsString("value=\"150\""));
        assertThat(percentInput(page), containsString("aria-invalid=\"true\" aria-describedby=\"rollout-percent-error\""));
        assertThat(stableSelect(page), containsString("<option value=\"1\" selected>version 1</option>"));
        assertThat(canarySelect(page), containsString("<option value=\"2\" selected>version 2</option>"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPercentThatIsNotAWholeNumberIsRefusedBeforeTheCall() {
        admin(null);
        Csrf csrf = Csrf.from("/admin/models/resnet");
        String page = csrf.form().formParam("stable_version", "2").formParam("canary_version", "3")
                .formParam("canary_percent", "ten")
                .when().post("/admin/models/resnet/rollout")
                .then().statusCode(400)
                .body(containsString("id=\"edit-rollout-error\">Check the fields marked below.</p>"))
                .body(containsString("id=\"rollout-percent-error\">a whole number from 1 to 99</div>"))
                .extract().asString();
        assertThat(percentInput(page), containsString("value=\"ten\""));
        api.verify(0, putRequestedFor(urlPathEqualTo(ROLLOUT_API)));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRefusedPromotionIsShownBesideTheButtons() {
        admin("{\"stable_version\":2,\"canary_version\":3,\"canary_percent\":10}");
        PlatformApiStub.problem(api, put(urlPathEqualTo(ROLLOUT_API)), 409, "version_retired",
                "Model 'resnet' version 3 is retired");
        Csrf csrf = Csrf.from("/admin/models/resnet");
        csrf.form().formParam("version", "3")
                .when().post("/admin/models/resnet/rollout/promote")
                .then().statusCode(409)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"promote-canary-form-error\">Model &#39;resnet&#39;"
                        + " version 3 is retired</p>"))
                .body(not(containsString("id=\"edit-rollout-error\"")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anUnknownModelIsTheNotFoundPage() {
        admin(null);
        PlatformApiStub.problem(api, put(urlPathEqualTo("/admin/v1/models/gone/rollout")), 404, "model_not_found",
                "No model 'gone'");
        Csrf csrf = Csrf.from("/admin/models/resnet");
        csrf.form().when().post("/admin/models/gone/rollout/clear")
                .then().statusCode(404)
                .body(not(containsString("clear-rollout-form-error")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantAdminGetsTheForbiddenPageAndChangesNoRollout() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        Csrf csrf = Csrf.fabricated();
        csrf.form().formParam("stable_version", "2").when().post("/admin/models/resnet/rollout")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        csrf.form().formParam("version", "3").when().post("/admin/models/resnet/rollout/promote")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        csrf.form().when().post("/admin/models/resnet/rollout/clear")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/admin/v1/.*")));
        assertThat(api.findAll(putRequestedFor(urlPathMatching(".*"))).size(), equalTo(0));
    }
}
