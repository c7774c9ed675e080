package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
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
import io.aiaas.console.testsupport.AddressBlocks;
import io.aiaas.console.testsupport.Csrf;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The billing time zone on the billing details page: every member reads it (the plan status's {@code time_zone}),
 * tenant admins change it with its own form (PUT {@code /time-zone}), platform-api's refusals (a zone still in a month
 * that has ended, an id that is no zone, a closed tenant) come back beside the form with what was typed, and a closed
 * tenant's page has no form.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class BillingProfileTimeZoneTest {

    static final String PAGE = BillingProfileResourceTest.PAGE;
    static final String POST = PAGE + "/time-zone";
    static final String API = "/api/v1/tenants/acme/time-zone";
    static final String PLAN = "/api/v1/tenants/acme/plan";
    static final String TOO_EARLY = "In America/New_York it is still 2026-11, a billing period that has ended in UTC;"
            + " calls recorded in it now might never be invoiced. Change the time zone from 2026-12-01T05:00:00Z on";
    static final String HINT = "Billing periods are calendar months in this time zone. A change applies to calls from"
            + " now on; just after a month ends, a zone still in the previous month is refused until it enters the new"
            + " one.";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.billingProfile(api, "acme", BillingProfileResourceTest.ACME, "2026-11-30T10:00:00Z",
                "alice@acme.test");
        zone("Europe/Paris");
    }

    /** Stubs the plan status with the tenant billing in that zone. */
    private void zone(String zone) {
        PlatformApiStub.json(api, get(urlPathEqualTo(PLAN)), 200,
                PlanResourceTest.status(null, null, "null").replace("\"Europe/Paris\"", "\"" + zone + "\""));
    }

    @Test
    @TestSecurity(user = "alice")
    void anAdminGetsTheFormBelowTheDetailsPrefilledWithTheCurrentZone() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        zone("America/New_York");
        String html = given().when().get(PAGE).then().statusCode(200)
                .body(containsString("<form id=\"billing-time-zone-form\" method=\"post\""
                        + " action=\"/t/acme/billing-profile/time-zone\">"))
                .body(containsString("<button id=\"billing-time-zone-submit\" type=\"submit\">Save</button>"))
                .body(not(containsString("billing-time-zone-member-note")))
                .body(not(containsString("billing-time-zone-error")))
                .body(not(containsString("billing-time-zone-done")))
                .extract().asString();
        assertEquals("America/New_York", Forms.text(html, "billing-time-zone"));
        assertEquals("America/New_York", BillingProfileResourceTest.value(html, "billing-time-zone-input"));
        assertTrue(html.contains("<input id=\"billing-time-zone-input\" name=\"time_zone\" value=\"America/New_York\""
                + " required maxlength=\"64\""), html);
        assertTrue(html.contains("aria-describedby=\"billing-time-zone-hint\">"), html);
        assertFalse(html.contains("aria-invalid"), html);
        assertEquals(HINT, Forms.text(html, "billing-time-zone-hint"));
        // its own form, with its own CSRF field, below the profile's
        String form = html.substring(html.indexOf("<form id=\"billing-time-zone-form\""));
        form = form.substring(0, form.indexOf("</form>"));
        assertTrue(form.contains("name=\"csrf-token\""), form);
        assertTrue(html.indexOf("id=\"save-billing-profile\"") < html.indexOf("id=\"billing-time-zone-form\""), html);
        // both read: the details and the plan status (for its zone)
        api.verify(1, getRequestedFor(urlPathEqualTo(PLAN)));
    }

    @Test
    @TestSecurity(user = "carol")
    void aMemberReadsTheZoneWithoutAForm() {
        PlatformApiStub.me(api, "carol@acme.test", false, "acme:member");
        String html = given().when().get(PAGE).then().statusCode(200).extract().asString();
        assertEquals("Europe/Paris", Forms.text(html, "billing-time-zone"));
        assertEquals("Only the tenant's admins change the billing time zone.",
                Forms.text(html, "billing-time-zone-member-note").replace("&#39;", "'"));
        for (String form : new String[] {"<form", "billing-time-zone-form", "billing-time-zone-input",
                "billing-time-zone-submit", "billing-time-zone-hint"}) {
            assertFalse(html.contains(form), form + " on a member's page");
        }
    }

    @Test
    @TestSecurity(user = "alice")
    void savingPutsTheTrimmedZoneAndComesBackWithANotice() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, put(urlPathEqualTo(API)), 200, "{\"time_zone\":\"Europe/Berlin\"}");
        Forms.from(PAGE).formParam("time_zone", "  Europe/Berlin ")
                .when().post(POST).then().statusCode(303).header("Location", endsWith(PAGE + "?done=time-zone"));
        api.verify(1, putRequestedFor(urlPathEqualTo(API))
                .withRequestBody(equalToJson("{\"time_zone\":\"Europe/Berlin\"}")));
        api.verify(0, putRequestedFor(urlPathEqualTo(BillingProfileResourceTest.API)));

        zone("Europe/Berlin");
        String html = given().when().get(PAGE + "?done=time-zone").then().statusCode(200).extract().asString();
        assertEquals("Billing time zone set to Europe/Berlin.", Forms.text(html, "billing-time-zone-done"));
        assertEquals("Europe/Berlin", Forms.text(html, "billing-time-zone"));
        assertFalse(html.contains("billing-profile-saved"), html);
        String plain = given().when().get(PAGE + "?done=Mars").then().statusCode(200).extract().asString();
        assertFalse(plain.contains("billing-time-zone-done"), "only the console's own word shows a notice");
    }

    @Test
    @TestSecurity(user = "alice")
    void aChangeTooEarlyShowsThePlatformsDetailAndKeepsWhatWasTyped() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.problem(api, put(urlPathEqualTo(API)), 409, "time_zone_change_too_early", TOO_EARLY);
        String html = Forms.from(PAGE).formParam("time_zone", "America/New_York")
                .when().post(POST).then().statusCode(409).extract().asString();
        assertEquals(TOO_EARLY, Forms.text(html, "billing-time-zone-error"));
        assertTrue(html.indexOf("id=\"billing-time-zone-error\"") > html.indexOf("id=\"billing-time-zone-form\""),
                "beside its form: " + html);
        assertEquals("America/New_York", BillingProfileResourceTest.value(html, "billing-time-zone-input"));
        // the zone is fine, only not yet: the input is not marked invalid, but points to the refusal
        assertTrue(html.contains("aria-describedby=\"billing-time-zone-error billing-time-zone-hint\""), html);
        assertFalse(html.contains("aria-invalid"), html);
        // the zone platform-api still has, and the profile form untouched
        assertEquals("Europe/Paris", Forms.text(html, "billing-time-zone"));
        assertFalse(html.contains("save-billing-profile-error"), html);
        assertEquals("Acme GmbH", BillingProfileResourceTest.value(html, "billing-legal-name"));
        assertEquals(BillingProfileResourceTest.ACME_LINES, AddressBlocks.lines(html, "billing-profile-address"));
        api.verify(1, putRequestedFor(urlPathEqualTo(API))
                .withRequestBody(equalToJson("{\"time_zone\":\"America/New_York\"}")));
    }

    @Test
    @TestSecurity(user = "alice")
    void anIdThatIsNoZoneIsShownBesideTheMarkedInput() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.problem(api, put(urlPathEqualTo(API)), 400, "invalid_time_zone",
                "Mars/Olympus is not an IANA time zone id such as Europe/Paris");
        String html = Forms.from(PAGE).formParam("time_zone", "Mars/Olympus")
                .when().post(POST).then().statusCode(400).extract().asString();
        assertEquals("Mars/Olympus is not an IANA time zone id such as Europe/Paris",
                Forms.text(html, "billing-time-zone-error"));
        assertEquals("Mars/Olympus", BillingProfileResourceTest.value(html, "billing-time-zone-input"));
        assertTrue(html.contains("aria-invalid=\"true\" aria-describedby=\"billing-time-zone-error"
                + " billing-time-zone-hint\""), html);
        assertEquals("Europe/Paris", Forms.text(html, "billing-time-zone"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aClosedTenantsZoneIsShownWithoutAFormAndAForgedChangeShowsTheRefusal() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin:closed");
        String html = given().when().get(PAGE).then().statusCode(200)
                .body(containsString("id=\"tenant-closed\""))
                .extract().asString();
        assertEquals("Europe/Paris", Forms.text(html, "billing-time-zone"));
        for (String form : new String[] {"<form", "billing-time-zone-form", "billing-time-zone-input",
                "billing-time-zone-member-note"}) {
            assertFalse(html.contains(form), form + " on a closed tenant's page");
        }

        PlatformApiStub.tenantClosed(api, put(urlPathEqualTo(API)), "acme");
        html = Csrf.fabricated().form().formParam("time_zone", "Europe/Berlin")
                .when().post(POST).then().statusCode(409).extract().asString();
        String error = Forms.text(html, "billing-time-zone-error");
        assertTrue(error != null && error.contains("is closed"), html);
        assertFalse(html.contains("<form id=\"billing-time-zone-form\""), html);
        assertEquals("Europe/Paris", Forms.text(html, "billing-time-zone"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantClosedMeanwhileShowsTheRefusalInTheForm() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.tenantClosed(api, put(urlPathEqualTo(API)), "acme");
        String html = Forms.from(PAGE).formParam("time_zone", "Europe/Berlin")
                .when().post(POST).then().statusCode(409).extract().asString();
        String error = Forms.text(html, "billing-time-zone-error");
        assertTrue(error != null && error.contains("is closed"), html);
        assertEquals("Europe/Berlin", BillingProfileResourceTest.value(html, "billing-time-zone-input"));
    }

    @Test
    @TestSecurity(user = "mallory")
    void aMembersForgedChangeIsRefusedByTheApiAndShownAboveTheReadOnlyPage() {
        PlatformApiStub.me(api, "mallory@acme.test", false, "acme:member");
        PlatformApiStub.problem(api, put(urlPathEqualTo(API)), 403, "forbidden",
                "Only tenant admins change the time zone");
        Response page = given().when().get(PAGE);
        String token = Csrf.metaToken(page.asString());
        String html = given().redirects().follow(false).cookie(Forms.COOKIE, page.getCookie(Forms.COOKIE))
                .formParam("csrf-token", token).formParam("time_zone", "Asia/Tokyo")
                .when().post(POST).then().statusCode(403).extract().asString();
        assertEquals("Only tenant admins change the time zone", Forms.text(html, "billing-time-zone-error"));
        assertFalse(html.contains("<form id=\"billing-time-zone-form\""), html);
        assertEquals("Europe/Paris", Forms.text(html, "billing-time-zone"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aZoneThatCannotBeReadLeavesTheDetailsAndAnEmptyForm() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.problem(api, get(urlPathEqualTo(PLAN)), 503, "unavailable", "The database is unavailable");
        String html = given().when().get(PAGE).then().statusCode(200).extract().asString();
        assertEquals("The billing time zone could not be read: The database is unavailable",
                Forms.text(html, "billing-time-zone-unread"));
        assertFalse(html.contains("id=\"billing-time-zone\""), html);
        assertEquals(BillingProfileResourceTest.ACME_LINES, AddressBlocks.lines(html, "billing-profile-address"));
        assertEquals("", BillingProfileResourceTest.value(html, "billing-time-zone-input"));
    }

    @Test
    @TestSecurity(user = "root")
    void aPlatformAdminWhoIsNoMemberChangesItToo() {
        PlatformApiStub.me(api, "root@aiaas.test", true);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 200,
                ClosedTenantTest.ADMIN_VIEW.replace("\"status\":\"closed\"", "\"status\":\"active\""));
        given().when().get(PAGE).then().statusCode(200)
                .body(containsString("<form id=\"billing-time-zone-form\""));
    }

    @Test
    @TestSecurity(user = "alice")
    void aPostWithoutTheCsrfTokenNeverReachesThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        given().redirects().follow(false).formParam("time_zone", "Europe/Berlin").when().post(POST)
                .then().statusCode(400);
        api.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "bob")
    void anOutsiderGetsTheForbiddenPageAndTheTenantIsNeverAsked() {
        PlatformApiStub.me(api, "bob@globex.test", false, "globex:admin");
        Csrf.fabricated().form().formParam("time_zone", "Europe/Berlin").when().post(POST)
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/api/v1/tenants/.*")));
    }
}
