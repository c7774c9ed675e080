package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.aiaas.console.admin.AdminPlansResourceTest.ID;
import static io.aiaas.console.admin.AdminPlansResourceTest.LEGACY;
import static io.aiaas.console.admin.AdminPlansResourceTest.LEGACY_ID;
import static io.aiaas.console.admin.AdminPlansResourceTest.PRO;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.Csrf;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The self-service sign-up section of the admin's plans page: its state, its form, and what saving it sends. */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminSignupSettingsTest {

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
    }

    private void admin() {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/plans")), 200, "[" + PRO + "]");
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/plans/" + ID)), 200, PRO);
        PlatformApiStub.signupSettings(api, null, null, false, 3);
    }

    /** The sign-up section of a page, from its heading to the end of its card. */
    private static String signupSection(String html) {
        int start = html.indexOf("<section class=\"card\" id=\"signup-section\"");
        if (start < 0) {
            throw new AssertionError("no sign-up section in " + html);
        }
        return html.substring(start, html.indexOf("</section>", start));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theListShowsWhetherSignupIsOpenOnWhichPlanAndOffersOnlyPlansNotArchived() {
        admin();
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/plans")), 200, "[" + PRO + "," + LEGACY + "]");
        PlatformApiStub.signupSettings(api, ID, "Pro", false, 5);
        String html = given().when().get("/admin/plans").then().statusCode(200).extract().asString();
        String section = signupSection(html);
        assertTrue(section.contains("<h2 id=\"signup-heading\">Self-service sign-up</h2>"), section);
        assertTrue(section.contains("<p id=\"signup-state\"><span class=\"badge active\">open</span>"), section);
        assertTrue(section.contains("it starts on <a href=\"/admin/plans/" + ID + "\">Pro</a>"), section);
        assertTrue(section.contains("up to 5."), section);
        assertTrue(section.contains("by admin@aiaas.test"), section);
        assertTrue(section.contains("<form id=\"signup-settings\" method=\"post\" action=\"/admin/plans/signup\">"),
                section);
        assertTrue(section.contains("<select id=\"signup-plan\" name=\"plan_id\""), section);
        assertTrue(section.contains("<option value=\"\">Closed: no sign-up</option>"), section);
        assertTrue(section.contains("<option value=\"" + ID + "\" selected>Pro (USD, $49.50 a month)</option>"), section);
        assertFalse(section.contains(LEGACY_ID), "an archived plan is not offered");
        assertTrue(section.contains("<input id=\"signup-max\" name=\"max_tenants_per_person\" type=\"number\""), section);
        assertTrue(section.contains("value=\"5\""), section);
        assertTrue(section.contains("<button class=\"primary\" id=\"signup-save\" type=\"submit\">Save</button>"),
                section);
        assertTrue(section.contains("name=\"csrf-token\""), section);
        assertFalse(html.contains("id=\"nav-new-tenant\""), "a platform admin creates tenants on the admin pages");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void closedSignupAndAnArchivedSignupPlanAreSaidSo() {
        admin();
        String closed = signupSection(given().when().get("/admin/plans").then().statusCode(200).extract().asString());
        assertTrue(closed.contains("<p id=\"signup-state\"><span class=\"badge\">closed</span> Only platform admins"),
                closed);
        assertTrue(closed.contains("<option value=\"" + ID + "\" >Pro (USD"), closed);
        assertFalse(closed.contains(" selected>"), "closed: no plan chosen");

        PlatformApiStub.signupSettings(api, LEGACY_ID, "Legacy", true, 3);
        String archived = signupSection(given().when().get("/admin/plans").then().statusCode(200).extract().asString());
        assertTrue(archived.contains("<span class=\"badge suspended\">closed</span> The sign-up plan <a href=\"/admin/plans/"
                + LEGACY_ID + "\">Legacy</a> is archived"), archived);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void savingSignupPutsThePlanAndTheLimitAndSaysItIsSaved() {
        admin();
        PlatformApiStub.json(api, put(urlPathEqualTo("/admin/v1/signup")), 200, "{\"open\":true}");
        Csrf csrf = Csrf.from("/admin/plans");
        csrf.form().formParam("plan_id", ID).formParam("max_tenants_per_person", " 5 ")
                .when().post("/admin/plans/signup")
                .then().statusCode(303).header("Location", endsWith("/admin/plans?signup=saved"));
        api.verify(1, putRequestedFor(urlPathEqualTo("/admin/v1/signup")).withRequestBody(
                equalToJson("{\"plan_id\":\"" + ID + "\",\"max_tenants_per_person\":5}")));
        given().when().get("/admin/plans?signup=saved")
                .then().statusCode(200)
                .body(containsString("<p class=\"notice\" role=\"status\" id=\"signup-saved\">"));
        given().when().get("/admin/plans")
                .then().statusCode(200)
                .body(not(containsString("id=\"signup-saved\"")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void choosingClosedSendsANullPlan() {
        admin();
        PlatformApiStub.json(api, put(urlPathEqualTo("/admin/v1/signup")), 200, "{\"open\":false}");
        Csrf csrf = Csrf.from("/admin/plans");
        csrf.form().formParam("plan_id", "").formParam("max_tenants_per_person", "3")
                .when().post("/admin/plans/signup")
                .then().statusCode(303).header("Location", endsWith("/admin/plans?signup=saved"));
        api.verify(1, putRequestedFor(urlPathEqualTo("/admin/v1/signup"))
                .withRequestBody(equalToJson("{\"plan_id\":null,\"max_tenants_per_person\":3}"))
                .withRequestBody(containing("\"plan_id\":null")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRefusedSignupSaveIsShownBesideItsFormWithWhatWasTyped() {
        admin();
        PlatformApiStub.invalid(api, put(urlPathEqualTo("/admin/v1/signup")), "The request is not valid",
                "max_tenants_per_person", "must be between 1 and 100");
        Csrf csrf = Csrf.from("/admin/plans");
        String html = csrf.form().formParam("plan_id", ID).formParam("max_tenants_per_person", "500")
                .when().post("/admin/plans/signup")
                .then().statusCode(400).extract().asString();
        String section = signupSection(html);
        assertTrue(section.contains("<p class=\"error\" role=\"alert\" id=\"signup-settings-error\">The request is not valid"),
                section);
        assertTrue(section.contains("<div class=\"field-error\" id=\"signup-max-error\">must be between 1 and 100</div>"),
                section);
        assertTrue(section.contains("value=\"500\""), "the typed limit is kept");
        assertTrue(section.contains("<option value=\"" + ID + "\" selected>"), "the chosen plan is kept");
        assertFalse(html.contains("id=\"create-plan-error\""), "the create form is not blamed");

        PlatformApiStub.problem(api, put(urlPathEqualTo("/admin/v1/signup")), 409, "plan_archived",
                "The plan Pro is archived; sign-up cannot be opened on it");
        csrf.form().formParam("plan_id", ID).formParam("max_tenants_per_person", "3")
                .when().post("/admin/plans/signup")
                .then().statusCode(409)
                .body(containsString("id=\"signup-settings-error\">The plan Pro is archived; sign-up cannot be opened on it</p>"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aLimitThatIsNotANumberIsRefusedWithoutCallingTheApi() {
        admin();
        Csrf csrf = Csrf.from("/admin/plans");
        csrf.form().formParam("plan_id", ID).formParam("max_tenants_per_person", "many")
                .when().post("/admin/plans/signup")
                .then().statusCode(400)
                .body(containsString("id=\"signup-settings-error\">Check the fields marked below.</p>"))
                .body(containsString("<div class=\"field-error\" id=\"signup-max-error\">enter a whole number"))
                .body(containsString("value=\"many\""));
        api.verify(0, putRequestedFor(urlPathEqualTo("/admin/v1/signup")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void signupSettingsThatCannotBeReadDoNotHideThePlans() {
        admin();
        PlatformApiStub.problem(api, get(urlPathEqualTo("/admin/v1/signup")), 404, "not_found", "No such endpoint");
        given().when().get("/admin/plans")
                .then().statusCode(200)
                .body(containsString("id=\"signup-unavailable\""))
                .body(not(containsString("id=\"signup-settings\"")))
                .body(containsString("<a class=\"plan-link\" href=\"/admin/plans/" + ID + "\">Pro</a>"))
                .body(containsString("id=\"create-plan\""));
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantAdminCannotChangeSignup() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        Csrf.fabricated().form().formParam("plan_id", ID).formParam("max_tenants_per_person", "100")
                .when().post("/admin/plans/signup")
                .then().statusCode(403)
                .body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/admin/v1/.*")));
    }
}
