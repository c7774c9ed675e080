package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.aiaas.console.admin.AdminModelRolloutTest.ROLLOUT_API;
import static io.aiaas.console.admin.AdminModelRolloutTest.card;
import static io.aiaas.console.admin.AdminModelRolloutTest.element;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.Csrf;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shadow version of the admin model page's rollout: its inputs with the rollout as it is, the badge, the words,
 * the PUT body (the percent only with a shadow version), refusals beside its inputs; and a tensor shape the model
 * leaves open said as "any shape" in the versions table. The rest of the rollout section is
 * {@link AdminModelRolloutTest}'s and {@link AdminModelCanaryTest}'s.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminModelShadowTest {

    /** Version 2 stable, version 3 the shadow of a quarter of the calls. */
    static final String SHADOW = """
            {"stable_version":2,"canary_version":null,"canary_percent":null,"shadow_version":3,"shadow_percent":25}""";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
    }

    private void admin(String rollout) {
        model(card(rollout));
    }

    private void model(String card) {
        AdminModelRolloutTest.stubModelPage(api, card);
    }

    /** The rollout form filled in: stable, canary, canary percent, shadow, shadow percent. */
    private static RequestSpecification rollout(Csrf csrf, String... values) {
        String[] names = {"stable_version", "canary_version", "canary_percent", "shadow_version", "shadow_percent"};
        RequestSpecification form = csrf.form();
        for (int i = 0; i < values.length; i++) {
            form = form.formParam(names[i], values[i]);
        }
        return form;
    }

    private static String shadowSelect(String page) {
        return element(page, "<select id=\"rollout-shadow\"", "</select>");
    }

    private static String shadowPercentInput(String page) {
        return element(page, "<input id=\"rollout-shadow-percent\"", ">");
    }

    private static String row(String page, int version) {
        return element(page, "<tr data-version=\"" + version + "\">", "</tr>");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void withoutAShadowNoneIsChosenAndNothingIsMarked() {
        admin("{\"stable_version\":2}");
        String page = given().when().get("/admin/models/resnet").then().statusCode(200)
                .body(containsString("<label for=\"rollout-shadow\">"))
                .body(containsString("<label for=\"rollout-shadow-percent\">"))
                .body(not(containsString("id=\"rollout-shadow-badge\"")))
                .body(not(containsString("as a shadow")))
                .extract().asString();
        String select = shadowSelect(page);
        assertThat(select, containsString("name=\"shadow_version\""));
        assertThat(select, containsString("<option value=\"\">none</option>"));
        assertThat(select, containsString("<option value=\"2\">version 2</option>"));
        assertThat(select, containsString("<option value=\"3\">version 3</option>"));
        assertThat(select, not(containsString("version 1")));
        assertThat(select, not(containsString("selected")));
        assertThat(shadowPercentInput(page), containsString("name=\"shadow_percent\""));
        assertThat(shadowPercentInput(page), containsString("min=\"1\" max=\"100\""));
        assertThat(shadowPercentInput(page), containsString("value=\"\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aShadowIsSaidMarkedAndFillsTheForm() {
        admin(SHADOW);
        String page = given().when().get("/admin/models/resnet").then().statusCode(200)
                .body(containsString("<p id=\"rollout-state\">Calls that name no version go to version 2; version 3"
                        + " gets a copy of 25 % of them as a shadow, compared and never answered.</p>"))
                .body(containsString("<code>aiaas_shadow_calls_total{model, version, outcome}</code>"))
                .extract().asString();
        assertThat(row(page, 3), containsString(
                "<span class=\"rollout-badge badge shadow\" id=\"rollout-shadow-badge\">shadow 25 %</span>"));
        assertThat(row(page, 2), containsString("id=\"rollout-stable-badge\""));
        assertThat(row(page, 2), not(containsString("shadow")));
        assertThat(shadowSelect(page), containsString("<option value=\"3\" selected>version 3</option>"));
        assertThat(shadowSelect(page), containsString("<option value=\"2\">version 2</option>"));
        assertThat(shadowPercentInput(page), containsString("value=\"25\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aShadowAloneCanBeClearedAndIsSaidAfterACanary() {
        admin("{\"shadow_version\":3,\"shadow_percent\":100}");
        given().when().get("/admin/models/resnet").then().statusCode(200)
                .body(containsString("<p id=\"rollout-state\">Calls that name no version go to the newest version a"
                        + " worker serves; version 3 gets a copy of 100 % of them as a shadow, compared and never"
                        + " answered.</p>"))
                .body(containsString("id=\"clear-rollout\""))
                .body(not(containsString("id=\"promote-canary\"")));
        admin("{\"canary_version\":3,\"canary_percent\":10,\"shadow_version\":2,\"shadow_percent\":5}");
        given().when().get("/admin/models/resnet").then().statusCode(200)
                .body(containsString("<p id=\"rollout-state\">Calls that name no version go to the newest version a"
                        + " worker serves (version 3 aside); version 3 takes 10 % of them as a canary, while a worker"
                        + " serves it; version 2 gets a copy of 5 % of them as a shadow, compared and never"
                        + " answered.</p>"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void thePolledVersionsTableKeepsTheShadowBadge() {
        admin(SHADOW);
        given().when().get("/admin/models/resnet/versions").then().statusCode(200)
                .body(containsString("id=\"rollout-shadow-badge\">shadow 25 %</span>"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void savingAShadowPutsItsVersionAndPercentWithTheRestOfTheRollout() {
        admin(null);
        PlatformApiStub.json(api, put(urlPathEqualTo(ROLLOUT_API)), 200, card(SHADOW));
        Csrf csrf = Csrf.from("/admin/models/resnet");
        rollout(csrf, "2", "", "", "3", " 25 ").when().post("/admin/models/resnet/rollout")
                .then().statusCode(303).header("Location", endsWith("/admin/models/resnet#rollout-section"));
        api.verify(1, putRequestedFor(urlPathEqualTo(ROLLOUT_API)).withRequestBody(equalToJson("""
                {"stable_version":2,"shadow_version":3,"shadow_percent":25}""")));
        api.resetRequests();
        rollout(csrf, "", "3", "10", "2", "100").when().post("/admin/models/resnet/rollout")
                .then().statusCode(303);
        api.verify(1, putRequestedFor(urlPathEqualTo(ROLLOUT_API)).withRequestBody(equalToJson("""
                {"canary_version":3,"canary_percent":10,"shadow_version":2,"shadow_percent":100}""")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void withoutAShadowVersionItsPercentIsLeftOutWhateverTheInputHolds() {
        admin(SHADOW);
        PlatformApiStub.json(api, put(urlPathEqualTo(ROLLOUT_API)), 200, card("{\"stable_version\":2}"));
        Csrf csrf = Csrf.from("/admin/models/resnet");
        rollout(csrf, "2", "", "", "", "25").when().post("/admin/models/resnet/rollout").then().statusCode(303);
        api.verify(1, putRequestedFor(urlPathEqualTo(ROLLOUT_API)).withRequestBody(equalToJson("""
                {"stable_version":2}""")));
        api.resetRequests();
        rollout(csrf, "2", "", "", "", "a quarter").when().post("/admin/models/resnet/rollout").then().statusCode(303);
        api.verify(1, putRequestedFor(urlPathEqualTo(ROLLOUT_API)).withRequestBody(equalToJson("""
                {"stable_version":2}""")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aShadowPercentThatIsNotAWholeNumberIsRefusedBeforeTheCall() {
        admin(null);
        String page = rollout(Csrf.from("/admin/models/resnet"), "2", "", "", "3", "a quarter")
                .when().post("/admin/models/resnet/rollout")
                .then().statusCode(400)
                .body(containsString("id=\"edit-rollout-error\">Check the fields marked below.</p>"))
                .body(containsString("<div class=\"field-error\" id=\"rollout-shadow-percent-error\">a whole number"
                        + " from 1 to 100</div>"))
                .body(not(containsString("id=\"rollout-shadow-error\"")))
                .extract().asString();
        assertThat(shadowPercentInput(page), containsString("value=\"a quarter\""));
        assertThat(shadowPercentInput(page), containsString(
                "aria-invalid=\"true\" aria-describedby=\"rollout-shadow-percent-error\""));
        assertThat(shadowSelect(page), containsString("<option value=\"3\" selected>version 3</option>"));
        api.verify(0, putRequestedFor(urlPathEqualTo(ROLLOUT_API)));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void platformApiViolationsAreShownBesideTheShadowInputs() {
        admin(null);
        PlatformApiStub.invalid(api, put(urlPathEqualTo(ROLLOUT_API)),
                "shadow_percent: must be less than or equal to 100; shadow_version: must be greater than or equal to 1",
                "put.body.shadow_percent", "must be less than or equal to 100",
                "put.body.shadow_version", "must be greater than or equal to 1");
        String page = rollout(Csrf.from("/admin/models/resnet"), "2", "", "", "0", "150")
                .when().post("/admin/models/resnet/rollout")
                .then().statusCode(400)
                .body(containsString("id=\"edit-rollout-error\">shadow_percent: must be less than or equal to 100;"))
                .body(containsString("<div class=\"field-error\" id=\"rollout-shadow-percent-error\">must be less than"
                        + " or equal to 100</div>"))
                .body(containsString("<div class=\"field-error\" id=\"rollout-shadow-error\">must be greater than or"
                        + " equal to 1</div>"))
                .extract().asString();
        api.verify(1, putRequestedFor(urlPathEqualTo(ROLLOUT_API)).withRequestBody(equalToJson("""
                {"stable_version":2,"shadow_version":0,"shadow_percent":150}""")));
        assertThat(shadowPercentInput(page), containsString("value=\"150\""));
        assertThat(shadowPercentInput(page), containsString(
                "aria-invalid=\"true\" aria-describedby=\"rollout-shadow-percent-error\""));
        assertThat(shadowSelect(page), containsString(
                "aria-invalid=\"true\" aria-describedby=\"rollout-shadow-error\""));
        // what was typed stays chosen, though no such version is offered
        assertThat(shadowSelect(page), containsString("<option value=\"0\" selected>version 0</option>"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aShadowThatIsAlsoTheStableVersionIsRefusedBesideTheFormWithWhatWasTyped() {
        admin("{\"stable_version\":2}");
        PlatformApiStub.problem(api, put(urlPathEqualTo(ROLLOUT_API)), 400, "invalid_rollout",
                "version 2 cannot be the shadow and also the stable version or the canary: a shadow's answers are never"
                        + " sent");
        String page = rollout(Csrf.from("/admin/models/resnet"), "2", "", "", "2", "25")
                .when().post("/admin/models/resnet/rollout")
                .then().statusCode(400)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"edit-rollout-error\">version 2 cannot be"
                        + " the shadow and also the stable version or the canary"))
                .body(containsString("<p id=\"rollout-state\">Calls that name no version go to version 2.</p>"))
                .extract().asString();
        assertThat(shadowSelect(page), containsString("<option value=\"2\" selected>version 2</option>"));
        assertThat(shadowPercentInput(page), containsString("value=\"25\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void promotingTheCanaryEndsTheShadowAndThePageSaysSo() {
        admin("{\"stable_version\":null,\"canary_version\":3,\"canary_percent\":10,\"shadow_version\":2,"
                + "\"shadow_percent\":5}");
        PlatformApiStub.json(api, put(urlPathEqualTo(ROLLOUT_API)), 200, card("{\"stable_version\":3}"));
        Csrf csrf = Csrf.from("/admin/models/resnet");
        given().when().get("/admin/models/resnet").then().statusCode(200)
                .body(containsString("promoting the canary or clearing the rollout ends the shadow too"));
        csrf.form().formParam("version", "3").when().post("/admin/models/resnet/rollout/promote")
                .then().statusCode(303);
        api.verify(1, putRequestedFor(urlPathEqualTo(ROLLOUT_API)).withRequestBody(equalToJson("""
                {"stable_version":3}""")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aShapeTheModelLeavesOpenIsAnyShapeAndAScalarIsEmptyBrackets() {
        String open = AdminModelRolloutTest.V3.replace("\"shape\":[-1,4]", "\"shape\":null")
                .replace("\"shape\":[-1,3]", "\"shape\":[]");
        model("""
                {"id":"cccccccc-0000-0000-0000-000000000001","name":"resnet","description":"Image classes",
                 "visibility":"public","owner_tenant":null,"created_at":"2026-02-01T00:00:00Z",
                 "updated_at":"2026-03-01T00:00:00Z","versions":[%s,%s]}"""
                .formatted(AdminModelsResourceTest.V2, open));
        String page = given().when().get("/admin/models/resnet").then().statusCode(200).extract().asString();
        assertThat(row(page, 3), containsString("<td class=\"signature\"><code>in: x FP32 any shape → out: y FP32"
                + " []"));
        assertThat(row(page, 2), containsString("<td class=\"signature\"><code>in: x FP32 [-1, 4] → out: y FP32"
                + " [-1, 3]"));
    }
}
