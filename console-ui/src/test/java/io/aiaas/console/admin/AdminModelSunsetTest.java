package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.aiaas.console.admin.AdminModelRolloutTest.V3;
import static io.aiaas.console.admin.AdminModelRolloutTest.card;
import static io.aiaas.console.admin.AdminModelRolloutTest.element;
import static io.aiaas.console.admin.AdminModelsResourceTest.V1;
import static io.aiaas.console.admin.AdminModelsResourceTest.V2;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sunsets on the admin model page: a deprecated version's sunset in the versions table, each version's form that PUTs
 * its sunset (the datetime-local value read as UTC), the cancel button that DELETEs it, refusals beside the version's
 * form with what was typed, the warning for a version the rollout names.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminModelSunsetTest {

    static final String SUNSET_API = "/admin/v1/models/resnet/versions/2/sunset";
    static final String DEPRECATION = """
            {"deprecated_at":"2026-12-01T10:00:00Z","sunset_at":"2027-01-31T00:00:00Z","successor":3,
             "note":"Use version 3: better accuracy"}""";

    /** The note {@code <script>alert('x')</script> & <b>bold</b>} as the page must write it. */
    static final String ESCAPED = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
    }

    /** A version's JSON with that deprecation JSON. */
    static String deprecated(String version, String deprecation) {
        return version.substring(0, version.lastIndexOf('}')) + ",\"deprecation\":" + deprecation + "}";
    }

    /** resnet's page: version 1 retired, 2 (with that deprecation JSON, or none) and 3 ready, that rollout. */
    private void admin(String deprecation, String rollout) {
        String v2 = deprecation == null ? V2 : deprecated(V2, deprecation);
        AdminModelRolloutTest.stubModelPage(api, card(rollout, V1, v2, V3));
    }

    private static String row(String page, int version) {
        return element(page, "<tr data-version=\"" + version + "\">", "</tr>");
    }

    private static String sunset(String page, int version) {
        return element(page, "<div class=\"sunset\" id=\"sunset-" + version + "\"", "</form>");
    }

    private static String successorSelect(String page, int version) {
        return element(page, "<select id=\"sunset-successor-" + version + "\"", "</select>");
    }

    private static String timeInput(String page, int version) {
        return element(page, "<input id=\"sunset-at-" + version + "\"", ">");
    }

    private static String note(String page, int version) {
        return element(page, "<textarea id=\"sunset-note-" + version + "\"", "</textarea>");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void eachVersionNotRetiredHasAnEmptyScheduleFormAndNoneIsDeprecated() {
        admin(null, null);
        String page = given().when().get("/admin/models/resnet").then().statusCode(200)
                .body(containsString("<section class=\"card\" id=\"sunset-section\""
                        + " aria-labelledby=\"sunset-heading\">"))
                .body(containsString("<form id=\"sunset-form-2\" method=\"post\""
                        + " action=\"/admin/models/resnet/versions/2/sunset\">"))
                .body(containsString("<form id=\"sunset-form-3\" method=\"post\""
                        + " action=\"/admin/models/resnet/versions/3/sunset\">"))
                // retired: no form
                .body(not(containsString("id=\"sunset-form-1\"")))
                .body(not(containsString("class=\"deprecation")))
                .body(not(containsString("cancel-sunset")))
                .body(not(containsString("sunset-rollout-warning")))
                .extract().asString();
        assertThat(sunset(page, 2), containsString(
                "<p class=\"sunset-state\" id=\"sunset-state-2\">No sunset scheduled.</p>"));
        assertThat(sunset(page, 2),
                containsString("<label for=\"sunset-at-2\">Retire at (UTC, not your time zone)</label>"));
        assertThat(timeInput(page, 2),
                containsString("name=\"sunset_at\" type=\"datetime-local\" value=\"\" required"));
        assertThat(note(page, 2), containsString("name=\"note\" rows=\"2\" maxlength=\"500\""));
        assertThat(sunset(page, 2), containsString(">Schedule sunset</button>"));
        String successors = successorSelect(page, 2);
        assertThat(successors, containsString("<option value=\"\">none</option>"));
        assertThat(successors, containsString("<option value=\"3\">version 3</option>"));
        // neither the version itself nor a retired one
        assertThat(successors, not(containsString("version 2")));
        assertThat(successors, not(containsString("version 1")));
        assertThat(successors, not(containsString("selected")));
        assertThat(successorSelect(page, 3), containsString("<option value=\"2\">version 2</option>"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aDeprecatedVersionShowsItsSunsetSuccessorAndNoteAndItsFormHoldsThem() {
        admin(DEPRECATION, null);
        String page = given().when().get("/admin/models/resnet").then().statusCode(200).extract().asString();
        String row = row(page, 2);
        assertThat(row, containsString("<div class=\"deprecation\" id=\"deprecation-2\""
                + " data-sunset-at=\"2027-01-31T00:00:00Z\" data-successor=\"3\"><span class=\"badge deprecated\">deprecated</span> Sunset <time"
                + " datetime=\"2027-01-31T00:00:00Z\">2027-01-31 00:00 UTC</time> → version 3 <span class=\"muted\">"
                + "(deprecated since 2026-12-01 10:00 UTC)</span>"));
        assertThat(row, containsString("<div class=\"deprecation-note\" id=\"deprecation-note-2\">Use version 3: better"
                + " accuracy</div>"));
        assertThat(row(page, 3), not(containsString("deprecation")));
        String form = sunset(page, 2);
        assertThat(form, containsString("<p class=\"sunset-state\" id=\"sunset-state-2\">Sunset 2027-01-31 00:00 UTC →"
                + " version 3, deprecated since 2026-12-01 10:00 UTC.</p>"));
        assertThat(timeInput(page, 2), containsString("type=\"datetime-local\" value=\"2027-01-31T00:00\""));
        assertThat(successorSelect(page, 2), containsString("<option value=\"3\" selected>version 3</option>"));
        assertThat(note(page, 2), containsString(">Use version 3: better accuracy</textarea>"));
        assertThat(form, containsString(">Change sunset</button>"));
        assertThat(page, containsString("<form class=\"inline\" id=\"cancel-sunset-form-2\" method=\"post\""
                + " action=\"/admin/models/resnet/versions/2/sunset/cancel\""));
        assertThat(page, containsString("<button class=\"cancel-sunset\" id=\"cancel-sunset-2\" type=\"submit\">Cancel"
                + " sunset</button>"));
        assertThat(page, not(containsString("id=\"cancel-sunset-3\"")));
        // not in the rollout: no warning
        assertThat(page, not(containsString("sunset-rollout-warning")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void thePolledVersionsTableKeepsTheSunset() {
        admin(DEPRECATION, null);
        given().when().get("/admin/models/resnet/versions").then().statusCode(200)
                .body(containsString("id=\"deprecation-2\""))
                .body(containsString("2027-01-31 00:00 UTC</time> → version 3"))
                .body(not(containsString("sunset-section")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aSunsetWithoutSuccessorOrNoteSaysNeitherAndSecondsAreShown() {
        admin("""
                {"deprecated_at":"2026-12-01T10:00:00Z","sunset_at":"2027-01-31T12:30:45Z","successor":null,
                 "note":null}""", null);
        String page = given().when().get("/admin/models/resnet").then().statusCode(200).extract().asString();
        assertThat(row(page, 2), containsString("2027-01-31 12:30:45 UTC</time> <span class=\"muted\">"));
        assertThat(row(page, 2), not(containsString("→ version")));
        assertThat(row(page, 2), not(containsString("deprecation-note")));
        assertThat(timeInput(page, 2),
                containsString("type=\"datetime-local\" step=\"1\" value=\"2027-01-31T12:30:45\""));
        assertThat(successorSelect(page, 2), not(containsString("selected")));
        assertThat(note(page, 2), endsWith("></textarea>"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aNoteIsEscapedWhereverItIsShown() {
        admin("""
                {"deprecated_at":"2026-12-01T10:00:00Z","sunset_at":"2027-01-31T00:00:00Z","successor":3,
                 "note":"<script>alert('x')</script> & <b>bold</b>"}""", null);
        given().when().get("/admin/models/resnet").then().statusCode(200)
                .body(containsString(ESCAPED + "</div>"))
                .body(containsString(ESCAPED + "</textarea>"))
                .body(not(containsString("<script>alert")))
                .body(not(containsString("<b>bold")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aVersionRetiredAtItsSunsetSaysSoAndHasNoForm() {
        String retired = deprecated(V1.replace("\"retired_at\":\"2026-03-02T00:00:00Z\"",
                "\"retired_at\":\"2026-11-30T00:00:03Z\""), """
                {"deprecated_at":"2026-11-01T10:00:00Z","sunset_at":"2026-11-30T00:00:00Z","successor":2,"note":null}""");
        AdminModelRolloutTest.stubModelPage(api, card(null, retired, V2, V3));
        String page = given().when().get("/admin/models/resnet").then().statusCode(200).extract().asString();
        assertThat(row(page, 1), containsString("<span class=\"deprecation muted\" id=\"deprecation-1\">retired at"
                + " sunset</span>"));
        assertThat(page, not(containsString("id=\"sunset-form-1\"")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aSunsetOfAVersionTheRolloutNamesWarnsThatTheRolloutForgetsIt() {
        admin(DEPRECATION, "{\"stable_version\":2,\"canary_version\":3,\"canary_percent\":10}");
        String page = given().when().get("/admin/models/resnet").then().statusCode(200).extract().asString();
        assertThat(sunset(page, 2), containsString("<p class=\"notice\" role=\"alert\" id=\"sunset-rollout-warning-2\">"
                + "Version 2 is the rollout&#39;s stable version: at sunset it is retired and the rollout forgets it."
                + " Change the rollout before then (to version 3, say).</p>"));
        // the canary has no sunset: nothing to warn about
        assertThat(page, not(containsString("sunset-rollout-warning-3")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void schedulingPutsTheTimeAsAUtcInstantAndComesBackAtTheVersion() {
        admin(null, null);
        PlatformApiStub.json(api, put(urlPathEqualTo(SUNSET_API)), 200, deprecated(V2, DEPRECATION));
        Csrf csrf = Csrf.from("/admin/models/resnet");
        csrf.form().formParam("sunset_at", "2027-01-31T00:00").formParam("successor", "3")
                .formParam("note", " Use version 3: better accuracy ")
                .when().post("/admin/models/resnet/versions/2/sunset")
                .then().statusCode(303).header("Location", endsWith("/admin/models/resnet#sunset-2"));
        api.verify(1, putRequestedFor(urlPathEqualTo(SUNSET_API)).withRequestBody(equalToJson("""
                {"sunset_at":"2027-01-31T00:00:00Z","successor":3,"note":"Use version 3: better accuracy"}""")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void secondsAreKeptAndNoSuccessorAndNoNoteAreSentAsNull() {
        admin(null, null);
        PlatformApiStub.json(api, put(urlPathEqualTo(SUNSET_API)), 200, deprecated(V2, DEPRECATION));
        Csrf csrf = Csrf.from("/admin/models/resnet");
        csrf.form().formParam("sunset_at", "2027-01-31T12:30:45").formParam("successor", "").formParam("note", "  ")
                .when().post("/admin/models/resnet/versions/2/sunset")
                .then().statusCode(303);
        api.verify(1, putRequestedFor(urlPathEqualTo(SUNSET_API)).withRequestBody(equalToJson("""
                {"sunset_at":"2027-01-31T12:30:45Z","successor":null,"note":null}"""))
                .withRequestBody(containing("\"successor\":null")).withRequestBody(containing("\"note\":null")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void cancellingDeletesTheSunsetAndComesBackAtTheVersion() {
        admin(DEPRECATION, null);
        api.stubFor(delete(urlPathEqualTo(SUNSET_API)).willReturn(aResponse().withStatus(204)));
        Csrf csrf = Csrf.from("/admin/models/resnet");
        csrf.form().when().post("/admin/models/resnet/versions/2/sunset/cancel")
                .then().statusCode(303).header("Location", endsWith("/admin/models/resnet#sunset-2"));
        api.verify(1, deleteRequestedFor(urlPathEqualTo(SUNSET_API)));
        api.verify(0, putRequestedFor(urlPathMatching(".*")));
    }

    @ParameterizedTest
    @CsvSource({
        "400, invalid_sunset, sunset_at must be in the future",
        "400, invalid_successor, Version 3 of 'resnet' is not ready",
        "404, version_not_found, Model 'resnet' has no version 2",
        "409, version_retired, Model 'resnet' version 2 is retired"})
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRefusalIsShownBesideTheVersionsFormWithWhatWasTyped(int status, String code, String detail) {
        admin(null, null);
        PlatformApiStub.problem(api, put(urlPathEqualTo(SUNSET_API)), status, code, detail);
        Csrf csrf = Csrf.from("/admin/models/resnet");
        String page = csrf.form().formParam("sunset_at", "2026-01-31T08:15").formParam("successor", "3")
                .formParam("note", "Typed <note>")
                .when().post("/admin/models/resnet/versions/2/sunset")
                .then().statusCode(status).extract().asString();
        assertThat(sunset(page, 2), containsString("<p class=\"error\" role=\"alert\" id=\"sunset-form-2-error\">"
                + detail.replace("'", "&#39;") + "</p>"));
        assertThat(timeInput(page, 2), containsString("value=\"2026-01-31T08:15\""));
        assertThat(successorSelect(page, 2), containsString("<option value=\"3\" selected>version 3</option>"));
        assertThat(note(page, 2), containsString(">Typed &lt;note&gt;</textarea>"));
        // the other version's form is as it was
        assertThat(sunset(page, 3), not(containsString("error")));
        assertThat(timeInput(page, 3), containsString("value=\"\""));
        api.verify(1, putRequestedFor(urlPathEqualTo(SUNSET_API)).withRequestBody(equalToJson("""
                {"sunset_at":"2026-01-31T08:15:00Z","successor":3,"note":"Typed <note>"}""")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aVersionGoneSinceThePageWasOpenedKeepsItsRowForTheRefusal() {
        admin(null, null);
        PlatformApiStub.problem(api, put(urlPathEqualTo("/admin/v1/models/resnet/versions/7/sunset")), 404,
                "version_not_found", "Model 'resnet' has no version 7");
        Csrf csrf = Csrf.from("/admin/models/resnet");
        String page = csrf.form().formParam("sunset_at", "2027-01-31T00:00").formParam("successor", "")
                .when().post("/admin/models/resnet/versions/7/sunset")
                .then().statusCode(404).extract().asString();
        assertThat(sunset(page, 7), containsString("id=\"sunset-state-7\">Version 7 is not among the model&#39;s"
                + " versions.</p>"));
        assertThat(sunset(page, 7),
                containsString("id=\"sunset-form-7-error\">Model &#39;resnet&#39; has no version 7</p>"));
        assertThat(timeInput(page, 7), containsString("value=\"2027-01-31T00:00\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aViolationIsShownBesideItsInput() {
        admin(null, null);
        PlatformApiStub.invalid(api, put(urlPathEqualTo(SUNSET_API)), "note: size must be between 0 and 500",
                "put.body.note", "size must be between 0 and 500");
        Csrf csrf = Csrf.from("/admin/models/resnet");
        String page = csrf.form().formParam("sunset_at", "2027-01-31T00:00").formParam("note", "x".repeat(501))
                .when().post("/admin/models/resnet/versions/2/sunset")
                .then().statusCode(400).extract().asString();
        assertThat(sunset(page, 2), containsString("id=\"sunset-form-2-error\">note: size must be between 0 and 500"));
        assertThat(note(page, 2), containsString("aria-invalid=\"true\" aria-describedby=\"sunset-note-2-error\""));
        assertThat(page, containsString("<div class=\"field-error\" id=\"sunset-note-2-error\">size must be between 0"
                + " and 500</div>"));
    }

    @ParameterizedTest
    @CsvSource(value = {"''", "31/01/2027", "2027-02-30T00:00", "2027-01-31T00:00:00Z", "tomorrow"}, emptyValue = "")
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aTimeThatIsNotOneIsRefusedBeforeTheCall(String typed) {
        admin(null, null);
        Csrf csrf = Csrf.from("/admin/models/resnet");
        String page = csrf.form().formParam("sunset_at", typed).formParam("successor", "3").formParam("note", "kept")
                .when().post("/admin/models/resnet/versions/2/sunset")
                .then().statusCode(400).extract().asString();
        assertThat(sunset(page, 2), containsString("id=\"sunset-form-2-error\">Check the fields marked below.</p>"));
        assertThat(timeInput(page, 2), containsString("aria-invalid=\"true\" aria-describedby=\"sunset-at-2-error\""));
        assertThat(timeInput(page, 2), containsString("value=\"" + typed + "\""));
        assertThat(page, containsString("<div class=\"field-error\" id=\"sunset-at-2-error\">"));
        assertThat(successorSelect(page, 2), containsString("<option value=\"3\" selected>"));
        assertThat(note(page, 2), containsString(">kept</textarea>"));
        api.verify(0, putRequestedFor(urlPathMatching(".*")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRefusedCancelIsShownBesideTheButton() {
        admin(DEPRECATION, null);
        PlatformApiStub.problem(api, delete(urlPathEqualTo(SUNSET_API)), 409, "version_retired",
                "Model 'resnet' version 2 is retired");
        Csrf csrf = Csrf.from("/admin/models/resnet");
        csrf.form().when().post("/admin/models/resnet/versions/2/sunset/cancel")
                .then().statusCode(409)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"cancel-sunset-form-2-error\">Model"
                        + " &#39;resnet&#39; version 2 is retired</p>"))
                .body(not(containsString("id=\"sunset-form-2-error\"")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anUnknownModelIsTheNotFoundPage() {
        admin(null, null);
        PlatformApiStub.problem(api, put(urlPathEqualTo("/admin/v1/models/gone/versions/2/sunset")), 404,
                "model_not_found", "No model 'gone'");
        Csrf csrf = Csrf.from("/admin/models/resnet");
        csrf.form().formParam("sunset_at", "2027-01-31T00:00")
                .when().post("/admin/models/gone/versions/2/sunset")
                .then().statusCode(404)
                .body(not(containsString("sunset-form-2-error")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPostWithoutTheCsrfTokenNeverReachesThePlatform() {
        admin(DEPRECATION, null);
        given().redirects().follow(false).formParam("sunset_at", "2027-01-31T00:00")
                .when().post("/admin/models/resnet/versions/2/sunset")
                .then().statusCode(400);
        given().redirects().follow(false).formParam("x", "y")
                .when().post("/admin/models/resnet/versions/2/sunset/cancel")
                .then().statusCode(400);
        api.verify(0, putRequestedFor(urlPathMatching(".*")));
        api.verify(0, deleteRequestedFor(urlPathMatching(".*")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantAdminGetsTheForbiddenPageAndChangesNoSunset() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        Csrf csrf = Csrf.fabricated();
        csrf.form().formParam("sunset_at", "2027-01-31T00:00")
                .when().post("/admin/models/resnet/versions/2/sunset")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        csrf.form().when().post("/admin/models/resnet/versions/2/sunset/cancel")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/admin/v1/.*")));
    }
}
