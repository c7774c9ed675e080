package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
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
 * The canary's assignment (drawn per call or sticky per tenant) and automatic rollback on the admin model page: the
 * inputs with the rollout as it is, the PUT body (the canary's settings only with a canary, the window only with a
 * failure percent, never the read-only fields), refusals beside the inputs, the words, and the note of the last
 * automatic rollback. The rest of the rollout section is {@link AdminModelRolloutTest}'s.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminModelCanaryTest {

    /** A sticky canary with an automatic rollback, set at a time, after an earlier rollback of version 2. */
    static final String STICKY = """
            {"stable_version":2,"canary_version":3,"canary_percent":10,"canary_by":"tenant",
             "rollback_error_percent":5,"rollback_window":200,"canary_since":"2026-11-30T09:15:00Z",
             "last_rollback":{"version":2,"at":"2026-12-01T07:00:00Z","calls":10,"failures":3}}""";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
    }

    private void admin(String rollout) {
        AdminModelRolloutTest.stubModelPage(api, card(rollout));
    }

    /** The rollout form filled in: stable, canary, percent, assignment, failure percent, window. */
    private static RequestSpecification rollout(Csrf csrf, String... values) {
        String[] names = {"stable_version", "canary_version", "canary_percent", "canary_by", "rollback_error_percent",
            "rollback_window"};
        RequestSpecification form = csrf.form();
        for (int i = 0; i < values.length; i++) {
            form = form.formParam(names[i], values[i]);
        }
        return form;
    }

    private static String bySelect(String page) {
        return element(page, "<select id=\"canary_by\"", "</select>");
    }

    private static String failureInput(String page) {
        return element(page, "<input id=\"rollback_error_percent\"", ">");
    }

    private static String windowInput(String page) {
        return element(page, "<input id=\"rollback_window\"", ">");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void withoutARolloutTheCanaryIsDrawnPerCallWithNoAutomaticRollbackAndNoNote() {
        admin(null);
        String page = given().when().get("/admin/models/resnet").then().statusCode(200)
                .body(containsString("<label for=\"canary_by\">Assignment</label>"))
                .body(not(containsString("id=\"rollout-rolled-back\"")))
                .body(not(containsString("id=\"rollout-canary-since\"")))
                .extract().asString();
        assertThat(bySelect(page), containsString("<option value=\"call\" selected>drawn per call</option>"));
        assertThat(bySelect(page), containsString("<option value=\"tenant\">sticky per tenant</option>"));
        assertThat(failureInput(page), containsString("value=\"\""));
        assertThat(failureInput(page), containsString("min=\"1\" max=\"100\""));
        assertThat(windowInput(page), containsString("value=\"\""));
        assertThat(windowInput(page), containsString("min=\"10\" max=\"100000\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aStickyCanaryWithAnAutomaticRollbackIsSaidAndFillsTheForm() {
        admin(STICKY);
        String page = given().when().get("/admin/models/resnet").then().statusCode(200)
                .body(containsString("<p id=\"rollout-state\">Calls that name no version go to version 2; version 3"
                        + " takes 10 % of them as a canary, while a worker serves it, sticky per tenant; version 3 is"
                        + " rolled back automatically when 5 % of a window of 200 calls fail.</p>"))
                .body(containsString("<p class=\"muted\" id=\"rollout-canary-since\">Canary since <time"
                        + " datetime=\"2026-11-30T09:15:00Z\">2026-11-30 09:15</time>.</p>"))
                .extract().asString();
        assertThat(bySelect(page), containsString("<option value=\"tenant\" selected>sticky per tenant</option>"));
        assertThat(bySelect(page), containsString("<option value=\"call\">drawn per call</option>"));
        assertThat(failureInput(page), containsString("value=\"5\""));
        assertThat(windowInput(page), containsString("value=\"200\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRollbackWithoutItsWindowIsSaidWithTheDefaultWindowAndPerCallSaysNothingMore() {
        admin("""
                {"stable_version":null,"canary_version":3,"canary_percent":25,"canary_by":"call",
                 "rollback_error_percent":20,"rollback_window":null}""");
        given().when().get("/admin/models/resnet").then().statusCode(200)
                .body(containsString("<p id=\"rollout-state\">Calls that name no version go to the newest version a"
                        + " worker serves (version 3 aside); version 3 takes 25 % of them as a canary, while a worker"
                        + " serves it; version 3 is rolled back automatically when 20 % of a window of 100 calls"
                        + " fail.</p>"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theLastAutomaticRollbackIsNotedWithItsVersionTimeAndCounts() {
        admin("""
                {"stable_version":2,"canary_version":null,"canary_percent":null,"canary_by":null,
                 "rollback_error_percent":null,"rollback_window":null,"canary_since":null,
                 "last_rollback":{"version":3,"at":"2026-12-01T07:00:00Z","calls":10,"failures":3}}""");
        given().when().get("/admin/models/resnet").then().statusCode(200)
                .body(containsString("<p class=\"notice\" role=\"status\" id=\"rollout-rolled-back\" data-version=\"3\""
                        + " data-calls=\"10\" data-failures=\"3\">Version 3 was rolled back automatically at <time"
                        + " datetime=\"2026-12-01T07:00:00Z\">2026-12-01 07:00</time>: 3 of 10 canary calls failed."
                        + " Saving the rollout clears this note.</p>"))
                .body(containsString("<p id=\"rollout-state\">Calls that name no version go to version 2.</p>"))
                .body(not(containsString("id=\"rollout-canary-since\"")));
        // counts platform-api did not give are not made up
        admin("""
                {"stable_version":2,"last_rollback":{"version":3,"at":"2026-12-01T07:00:00Z"}}""");
        given().when().get("/admin/models/resnet").then().statusCode(200)
                .body(containsString("<p class=\"notice\" role=\"status\" id=\"rollout-rolled-back\" data-version=\"3\">"
                        + "Version 3 was rolled back automatically at <time datetime=\"2026-12-01T07:00:00Z\">2026-12-01"
                        + " 07:00</time>. Saving the rollout clears this note.</p>"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void savingACanaryPutsItsAssignmentAndRollbackButNoReadOnlyField() {
        admin(STICKY);
        PlatformApiStub.json(api, put(urlPathEqualTo(ROLLOUT_API)), 200, card(STICKY));
        rollout(Csrf.from("/admin/models/resnet"), "2", "3", "15", "tenant", " 5 ", "200")
                .when().post("/admin/models/resnet/rollout")
                .then().statusCode(303).header("Location", endsWith("/admin/models/resnet#rollout-section"));
        api.verify(1, putRequestedFor(urlPathEqualTo(ROLLOUT_API)).withRequestBody(equalToJson("""
                {"stable_version":2,"canary_version":3,"canary_percent":15,"canary_by":"tenant",
                 "rollback_error_percent":5,"rollback_window":200}"""))
                .withRequestBody(notContaining("canary_since")).withRequestBody(notContaining("last_rollback")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theWindowIsSentOnlyWithAFailurePercent() {
        admin(null);
        PlatformApiStub.json(api, put(urlPathEqualTo(ROLLOUT_API)), 200, card(null));
        Csrf csrf = Csrf.from("/admin/models/resnet");
        rollout(csrf, "", "3", "10", "call", "", "500").when().post("/admin/models/resnet/rollout")
                .then().statusCode(303);
        api.verify(1, putRequestedFor(urlPathEqualTo(ROLLOUT_API)).withRequestBody(equalToJson("""
                {"canary_version":3,"canary_percent":10,"canary_by":"call"}""")));
        api.resetRequests();
        rollout(csrf, "", "3", "10", "call", "50", "").when().post("/admin/models/resnet/rollout")
                .then().statusCode(303);
        api.verify(1, putRequestedFor(urlPathEqualTo(ROLLOUT_API)).withRequestBody(equalToJson("""
                {"canary_version":3,"canary_percent":10,"canary_by":"call","rollback_error_percent":50}""")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void withoutACanaryItsAssignmentAndRollbackAreLeftOutWhateverTheInputsHold() {
        admin(STICKY);
        PlatformApiStub.json(api, put(urlPathEqualTo(ROLLOUT_API)), 200, card(null));
        rollout(Csrf.from("/admin/models/resnet"), "3", "", "10", "tenant", "five", "lots")
                .when().post("/admin/models/resnet/rollout")
                .then().statusCode(303);
        api.verify(1, putRequestedFor(urlPathEqualTo(ROLLOUT_API)).withRequestBody(equalToJson("""
                {"stable_version":3}""")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void promoteAndClearSendNoReadOnlyField() {
        admin(STICKY);
        PlatformApiStub.json(api, put(urlPathEqualTo(ROLLOUT_API)), 200, card(null));
        Csrf csrf = Csrf.from("/admin/models/resnet");
        csrf.form().formParam("version", "3").when().post("/admin/models/resnet/rollout/promote")
                .then().statusCode(303);
        api.verify(1, putRequestedFor(urlPathEqualTo(ROLLOUT_API)).withRequestBody(equalToJson("""
                {"stable_version":3}""")));
        api.resetRequests();
        csrf.form().when().post("/admin/models/resnet/rollout/clear").then().statusCode(303);
        api.verify(1, putRequestedFor(urlPathEqualTo(ROLLOUT_API)).withRequestBody(equalToJson("{}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aFailurePercentOrWindowThatIsNotAWholeNumberIsRefusedBeforeTheCall() {
        admin(null);
        Csrf csrf = Csrf.from("/admin/models/resnet");
        String page = rollout(csrf, "2", "3", "10", "tenant", "five", "lots").when().post("/admin/models/resnet/rollout")
                .then().statusCode(400)
                .body(containsString("id=\"edit-rollout-error\">Check the fields marked below.</p>"))
                .body(containsString("<div class=\"field-error\" id=\"rollback_error_percent-error\">a whole number"
                        + " from 1 to 100, or empty for no automatic rollback</div>"))
                // the window is judged only with a failure percent
                .body(not(containsString("id=\"rollback_window-error\"")))
                .extract().asString();
        assertThat(failureInput(page), containsString("value=\"five\""));
        assertThat(failureInput(page), containsString("aria-invalid=\"true\" aria-describedby=\"rollback_error_percent-error\""));
        assertThat(windowInput(page), containsString("value=\"lots\""));
        assertThat(bySelect(page), containsString("<option value=\"tenant\" selected>"));
        page = rollout(csrf, "2", "3", "10", "call", "5", "1e3").when().post("/admin/models/resnet/rollout")
                .then().statusCode(400)
                .body(containsString("<div class=\"field-error\" id=\"rollback_window-error\">a whole number from 10"
                        + " to 100000, or empty for 100</div>"))
                .body(not(containsString("id=\"rollback_error_percent-error\"")))
                .extract().asString();
        assertThat(windowInput(page), containsString("value=\"1e3\""));
        api.verify(0, putRequestedFor(urlPathEqualTo(ROLLOUT_API)));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void platformApiViolationsAreShownBesideTheWindowAndTheAssignment() {
        admin(null);
        PlatformApiStub.invalid(api, put(urlPathEqualTo(ROLLOUT_API)),
                "rollback_window: must be greater than or equal to 10; canary_by: must be call or tenant",
                "put.body.rollback_window", "must be greater than or equal to 10",
                "put.body.canary_by", "must be call or tenant");
        String page = rollout(Csrf.from("/admin/models/resnet"), "2", "3", "10", "sticky", "5", "5")
                .when().post("/admin/models/resnet/rollout")
                .then().statusCode(400)
                .body(containsString("id=\"edit-rollout-error\">rollback_window: must be greater than or equal to 10;"))
                .body(containsString("<div class=\"field-error\" id=\"rollback_window-error\">must be greater than or"
                        + " equal to 10</div>"))
                .body(containsString("<div class=\"field-error\" id=\"canary_by-error\">must be call or tenant</div>"))
                .body(not(containsString("id=\"rollback_error_percent-error\"")))
                .extract().asString();
        api.verify(1, putRequestedFor(urlPathEqualTo(ROLLOUT_API)).withRequestBody(equalToJson("""
                {"stable_version":2,"canary_version":3,"canary_percent":10,"canary_by":"sticky",
                 "rollback_error_percent":5,"rollback_window":5}""")));
        assertThat(windowInput(page), containsString("value=\"5\""));
        assertThat(windowInput(page), containsString("aria-invalid=\"true\" aria-describedby=\"rollback_window-error\""));
        assertThat(bySelect(page), containsString("aria-invalid=\"true\" aria-describedby=\"canary_by-error\""));
        assertThat(failureInput(page), not(containsString("aria-invalid")));
    }
}
