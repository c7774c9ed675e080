package io.aiaas.console.signup;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
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

@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class SignupResourceTest {

    static final String CREATED = """
            {"slug":"acme-labs","name":"Acme Labs","status":"active","role":"admin",
             "plan_id":"6f1c1a52-8a1e-4a57-9d0e-1f4a3b2c1d00","plan_name":"Starter","created_at":"2026-11-30T16:00:00Z"}""";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
    }

    /** Someone signed in without any tenant, sign-up open on Starter (3 per person, none created yet). */
    private void newcomer() {
        PlatformApiStub.me(api, "carol@nowhere.test", false);
        PlatformApiStub.signup(api, true, "Starter", 3, 0);
    }

    @Test
    @TestSecurity(user = "alice")
    void aMemberOfATenantReachesTheFormFromTheHeaderLink() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.signup(api, true, "Starter", 3, 2);
        given().when().get("/signup")
                .then().statusCode(200)
                .body(containsString("<h1 id=\"signup-heading\">Create a new tenant</h1>"))
                .body(containsString("<a id=\"nav-new-tenant\" href=\"/signup\" aria-current=\"page\">New tenant</a>"))
                .body(containsString("<form id=\"signup-form\" method=\"post\" action=\"/signup\">"))
                .body(containsString("<strong id=\"signup-plan-name\">Starter</strong>"))
                .body(containsString("<span id=\"signup-left\">1</span> more tenant."))
                .body(containsString("id=\"signup-submit\""))
                // a page about no tenant: the tenant navigation is not shown
                .body(not(containsString("id=\"nav-overview\"")));
    }

    @Test
    @TestSecurity(user = "carol")
    void aClosedSignupIsSaidSoWithoutAForm() {
        PlatformApiStub.me(api, "carol@nowhere.test", false);
        PlatformApiStub.signup(api, false, null, 3, 0);
        given().when().get("/signup")
                .then().statusCode(200)
                .body(containsString("<h1 id=\"signup-heading\">Create your tenant</h1>"))
                .body(containsString("<p id=\"signup-closed\">Sign-up is closed"))
                .body(not(containsString("id=\"signup-form\"")))
                .body(not(containsString("id=\"signup-error\"")));
    }

    @Test
    @TestSecurity(user = "carol")
    void creatingATenantFromTheNoTenantPagePostsSlugAndNameAndOpensIt() {
        newcomer();
        PlatformApiStub.json(api, post(urlPathEqualTo("/api/v1/signup")), 201, CREATED);
        Csrf csrf = Csrf.from("/home");
        csrf.form().formParam("name", " Acme Labs ").formParam("slug", " acme-labs ")
                .formParam("time_zone", " Europe/Paris ")
                .when().post("/signup")
                .then().statusCode(303).header("Location", endsWith("/t/acme-labs"));
        api.verify(1, postRequestedFor(urlPathEqualTo("/api/v1/signup")).withRequestBody(equalToJson(
                "{\"slug\":\"acme-labs\",\"name\":\"Acme Labs\",\"time_zone\":\"Europe/Paris\"}")));
    }

    @Test
    @TestSecurity(user = "carol")
    void theTimeZoneIsPrefilledWithTheBrowsersAndUtcUntilItIsKnown() {
        newcomer();
        given().when().get("/signup")
                .then().statusCode(200)
                .body(containsString("<input id=\"signup-time-zone\" name=\"time_zone\" value=\"UTC\""))
                .body(containsString("aria-describedby=\"signup-time-zone-help\""))
                .body(containsString("id=\"signup-time-zone-help\""));
        given().cookie("tz", "America/Argentina/Buenos_Aires").when().get("/home")
                .then().statusCode(200)
                .body(containsString("<input id=\"signup-time-zone\" name=\"time_zone\""
                        + " value=\"America/Argentina/Buenos_Aires\""));
    }

    @Test
    @TestSecurity(user = "carol")
    void anEmptyTimeZoneIsLeftOutSoThePlatformBillsInUtc() {
        newcomer();
        PlatformApiStub.json(api, post(urlPathEqualTo("/api/v1/signup")), 201, CREATED);
        Csrf csrf = Csrf.from("/signup");
        csrf.form().formParam("name", "Acme Labs").formParam("slug", "acme-labs").formParam("time_zone", "  ")
                .when().post("/signup")
                .then().statusCode(303);
        api.verify(1, postRequestedFor(urlPathEqualTo("/api/v1/signup"))
                .withRequestBody(equalToJson("{\"slug\":\"acme-labs\",\"name\":\"Acme Labs\"}"))
                .withRequestBody(notContaining("time_zone")));
    }

    @Test
    @TestSecurity(user = "carol")
    void anUnknownTimeZoneIsShownBesideItsInputWithWhatWasTyped() {
        newcomer();
        PlatformApiStub.problem(api, post(urlPathEqualTo("/api/v1/signup")), 400, "invalid_time_zone",
                "Mars/Olympus is not a time zone; use an IANA id such as Europe/Paris");
        Csrf csrf = Csrf.from("/signup");
        csrf.form().formParam("name", "Acme Labs").formParam("slug", "acme-labs").formParam("time_zone", "Mars/Olympus")
                .when().post("/signup")
                .then().statusCode(400)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"signup-error\">Mars/Olympus is not a time"
                        + " zone; use an IANA id such as Europe/Paris</p>"))
                .body(containsString("<input id=\"signup-time-zone\" name=\"time_zone\" value=\"Mars/Olympus\""))
                .body(containsString("aria-invalid=\"true\" aria-describedby=\"signup-time-zone-error"
                        + " signup-time-zone-help\""))
                .body(containsString("<div class=\"field-error\" id=\"signup-time-zone-error\">"))
                .body(not(containsString("id=\"signup-slug-error\"")))
                .body(containsString("<input id=\"signup-slug\" name=\"slug\" value=\"acme-labs\""));
        api.verify(1, postRequestedFor(urlPathEqualTo("/api/v1/signup"))
                .withRequestBody(equalToJson("{\"slug\":\"acme-labs\",\"name\":\"Acme Labs\","
                        + "\"time_zone\":\"Mars/Olympus\"}")));
    }

    @Test
    @TestSecurity(user = "carol")
    void aTakenSlugIsShownBesideTheFormWithWhatWasTyped() {
        newcomer();
        PlatformApiStub.problem(api, post(urlPathEqualTo("/api/v1/signup")), 409, "tenant_exists",
                "A tenant with slug acme-labs exists");
        Csrf csrf = Csrf.from("/home");
        csrf.form().formParam("name", "Acme <Labs>").formParam("slug", "acme-labs")
                .when().post("/signup")
                .then().statusCode(409)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"signup-error\">A tenant with slug acme-labs exists</p>"))
                .body(containsString("<input id=\"signup-name\" name=\"name\" value=\"Acme &lt;Labs&gt;\""))
                .body(containsString("<input id=\"signup-slug\" name=\"slug\" value=\"acme-labs\""))
                .body(containsString("<div class=\"field-error\" id=\"signup-slug-error\">already taken: choose another</div>"))
                .body(containsString("id=\"signup-submit\""));
    }

    @Test
    @TestSecurity(user = "carol")
    void theApisValidationErrorsAreShownBesideTheirInputs() {
        newcomer();
        PlatformApiStub.invalid(api, post(urlPathEqualTo("/api/v1/signup")), "The request is not valid",
                "slug", "1-63 lower-case letters, digits or inner hyphens", "name", "must not be blank");
        Csrf csrf = Csrf.from("/signup");
        csrf.form().formParam("name", " ").formParam("slug", "-Acme-")
                .when().post("/signup")
                .then().statusCode(400)
                .body(containsString("id=\"signup-error\">The request is not valid"))
                .body(containsString("<div class=\"field-error\" id=\"signup-slug-error\">1-63 lower-case letters, digits or inner hyphens</div>"))
                .body(containsString("<div class=\"field-error\" id=\"signup-name-error\">must not be blank</div>"))
                .body(containsString("aria-invalid=\"true\" aria-describedby=\"signup-slug-error\""))
                .body(containsString("<input id=\"signup-slug\" name=\"slug\" value=\"-Acme-\""))
                .body(containsString("id=\"signup-form\""));
    }

    @Test
    @TestSecurity(user = "carol")
    void signupClosedSinceThePageWasShownSaysWhyAndOffersNoForm() {
        newcomer();
        Csrf csrf = Csrf.from("/home");
        PlatformApiStub.signup(api, false, null, 3, 0);
        PlatformApiStub.problem(api, post(urlPathEqualTo("/api/v1/signup")), 403, "signup_closed",
                "Self-service sign-up is closed");
        csrf.form().formParam("name", "Acme Labs").formParam("slug", "acme-labs")
                .when().post("/signup")
                .then().statusCode(403)
                .body(containsString("id=\"signup-error\">Self-service sign-up is closed</p>"))
                .body(containsString("id=\"signup-closed\""))
                .body(not(containsString("id=\"signup-form\"")));
    }

    @Test
    @TestSecurity(user = "carol")
    void theLimitReachedMeanwhileIsShownInsteadOfTheForm() {
        newcomer();
        Csrf csrf = Csrf.from("/signup");
        PlatformApiStub.signup(api, true, "Starter", 3, 3);
        PlatformApiStub.problem(api, post(urlPathEqualTo("/api/v1/signup")), 409, "signup_limit_reached",
                "You have created 3 tenants, the most allowed");
        csrf.form().formParam("name", "Acme Labs").formParam("slug", "acme-labs")
                .when().post("/signup")
                .then().statusCode(409)
                .body(containsString("id=\"signup-error\">You have created 3 tenants, the most allowed</p>"))
                .body(containsString("id=\"signup-limit\""))
                .body(not(containsString("id=\"signup-form\"")));
    }

    @Test
    @TestSecurity(user = "carol")
    void aFailingPlatformKeepsTheFormAndSaysSoInPlainWords() {
        newcomer();
        PlatformApiStub.problem(api, post(urlPathEqualTo("/api/v1/signup")), 500, "internal_error",
                "The platform could not create the tenant");
        Csrf csrf = Csrf.from("/signup");
        csrf.form().formParam("name", "Acme Labs").formParam("slug", "acme-labs")
                .when().post("/signup")
                .then().statusCode(502)
                .body(containsString("id=\"signup-error\">The platform could not create the tenant</p>"))
                .body(containsString("<input id=\"signup-slug\" name=\"slug\" value=\"acme-labs\""))
                .body(not(containsString("Exception")));
    }

    @Test
    @TestSecurity(user = "carol")
    void aPostWithoutTheCsrfTokenNeverReachesThePlatform() {
        newcomer();
        PlatformApiStub.json(api, post(urlPathEqualTo("/api/v1/signup")), 201, CREATED);
        given().redirects().follow(false).formParam("name", "Acme Labs").formParam("slug", "acme-labs")
                .when().post("/signup")
                .then().statusCode(400);
        api.verify(0, postRequestedFor(anyUrl()));
        api.verify(0, postRequestedFor(urlPathEqualTo("/api/v1/signup")));
    }
}
