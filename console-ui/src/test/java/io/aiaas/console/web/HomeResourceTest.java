package io.aiaas.console.web;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class HomeResourceTest {

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
    }

    @Test
    void landingPageInvitesToSignInWithoutCallingTheApi() {
        given().redirects().follow(false).when().get("/")
                .then().statusCode(200)
                .body(containsString("id=\"login\""))
                .body(not(containsString("id=\"whoami\"")));
        api.verify(0, com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
    }

    @Test
    @TestSecurity(user = "alice")
    void aMemberLandsOnTheirTenant() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        given().redirects().follow(false).when().get("/home")
                .then().statusCode(303).header("Location", endsWith("/t/acme"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPlatformAdminLandsOnTheTenantsList() {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        given().redirects().follow(false).when().get("/home")
                .then().statusCode(303).header("Location", endsWith("/admin/tenants"));
    }

    @Test
    @TestSecurity(user = "carol")
    void someoneWithoutATenantIsToldSo() {
        PlatformApiStub.me(api, "carol@nowhere.test", false);
        PlatformApiStub.signup(api, false, null, 3, 0);
        given().when().get("/home")
                .then().statusCode(200)
                .body(containsString("id=\"no-tenant\""))
                .body(containsString("<span id=\"whoami\">carol@nowhere.test</span>"))
                .body(containsString("id=\"logout\""))
                .body(containsString("Ask an administrator of your organisation to add <strong>carol@nowhere.test</strong>"))
                .body(not(containsString("id=\"signup-form\"")))
                .body(not(containsString("id=\"nav-new-tenant\"")))
                .body(containsString("<code id=\"account-id-value\">sub-carol@nowhere.test</code>"))
                .body(not(containsString("not verified")));
    }

    @Test
    @TestSecurity(user = "carol")
    void someoneWhoseAddressIsNotVerifiedIsToldToGiveTheirAccountIdInstead() {
        PlatformApiStub.me(api, "carol@nowhere.test", false, false);
        PlatformApiStub.signup(api, true, "Starter", 3, 0);
        String html = given().when().get("/home").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<code id=\"account-id-value\">sub-carol@nowhere.test</code>"), html);
        assertTrue(html.contains("Your e-mail address is not verified, so an administrator who adds you by e-mail"
                + " will not find you: give them this id"), html);
    }

    @Test
    @TestSecurity(user = "carol")
    void someoneWithoutATenantIsOfferedTheSignupFormWhenSignupIsOpen() {
        PlatformApiStub.me(api, "carol@nowhere.test", false);
        PlatformApiStub.signup(api, true, "Starter", 3, 1);
        given().when().get("/home")
                .then().statusCode(200)
                .body(containsString("id=\"no-tenant\""))
                .body(containsString("<h2 id=\"signup-heading\">Create your tenant</h2>"))
                .body(containsString("<form id=\"signup-form\" method=\"post\" action=\"/signup\">"))
                .body(containsString("name=\"csrf-token\""))
                .body(containsString("<input id=\"signup-name\" name=\"name\" value=\"\""))
                .body(containsString("<input id=\"signup-slug\" name=\"slug\" value=\"\""))
                .body(containsString("id=\"signup-submit\""))
                .body(containsString("<strong id=\"signup-plan-name\">Starter</strong>"))
                .body(containsString("<span id=\"signup-left\">2</span> more tenants"))
                .body(containsString("Or ask an administrator"))
                .body(not(containsString("id=\"signup-closed\"")));
    }

    @Test
    @TestSecurity(user = "carol")
    void someoneWhoCreatedAsManyAsAllowedIsToldSoInsteadOfTheForm() {
        PlatformApiStub.me(api, "carol@nowhere.test", false);
        PlatformApiStub.signup(api, true, "Starter", 3, 3);
        given().when().get("/home")
                .then().statusCode(200)
                .body(containsString("id=\"signup-limit\""))
                .body(containsString("You have created 3 tenants"))
                .body(not(containsString("id=\"signup-form\"")))
                .body(not(containsString("id=\"signup-submit\"")));
    }

    @Test
    @TestSecurity(user = "carol")
    void aSignupStatusThePlatformCannotGiveReadsAsClosed() {
        PlatformApiStub.me(api, "carol@nowhere.test", false);
        PlatformApiStub.problem(api, get(urlPathEqualTo("/api/v1/signup")), 404, "not_found", "No such endpoint");
        given().when().get("/home")
                .then().statusCode(200)
                .body(containsString("id=\"no-tenant\""))
                .body(containsString("Ask an administrator of your organisation"))
                .body(not(containsString("id=\"signup-form\"")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aFailingApiGivesAPlainWordsPageNotAStackTrace() {
        PlatformApiStub.problem(api, get(urlPathEqualTo("/api/v1/me")), 500, "internal_error", "boom at Foo.java:12");
        given().when().get("/home")
                .then().statusCode(502)
                .body(containsString("The platform could not answer"))
                .body(not(containsString("Exception")))
                .body(not(containsString("at io.")));
    }

    @Test
    @TestSecurity(user = "alice")
    void anUnknownPageIsANotFoundPage() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        given().when().get("/no/such/page")
                .then().statusCode(404)
                .body(containsString("There is no such page."));
    }

    @Test
    @TestSecurity(user = "alice")
    void scriptsGetErrorsAsJson() {
        PlatformApiStub.problem(api, get(urlPathEqualTo("/api/v1/me")), 500, "internal_error", "boom");
        given().header("X-Requested-With", "JavaScript").when().get("/home")
                .then().statusCode(502)
                .contentType(containsString("application/json"))
                .body(containsString("\"message\""));
    }
}
