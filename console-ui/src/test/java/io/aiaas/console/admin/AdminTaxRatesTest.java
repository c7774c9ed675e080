package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.aiaas.console.admin.AdminBillingResourceTest.follow;
import static io.aiaas.console.admin.AdminBillingResourceTest.text;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.Csrf;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.specification.RequestSpecification;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin page of tax rates ({@link AdminTaxRatesResource}): the rates with where each stands, a delete button for
 * scheduled ones only, the exact JSON the add form sends, refusals beside the inputs they concern, a delete refused
 * once the rate took effect, and the 403 page for anyone but a platform admin.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminTaxRatesTest {

    static final String RATES = "/admin/v1/tax-rates";
    static final String DE_NEXT = "7a000000-0000-4000-8000-000000000001";
    static final String DE_NOW = "7a000000-0000-4000-8000-000000000002";
    static final String DE_OLD = "7a000000-0000-4000-8000-000000000003";
    static final String US_NY = "7a000000-0000-4000-8000-000000000004";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        // platform-api's order: country, region (the whole country first), effective_from newest first
        PlatformApiStub.json(api, get(urlPathEqualTo(RATES)), 200, "{\"rates\":["
                + rate(DE_NEXT, "DE", null, "VAT", "21", "2099-01-01") + ","
                + rate(DE_NOW, "DE", null, "VAT", "19", "2020-07-01") + ","
                + rate(DE_OLD, "DE", null, "VAT", "16", "2020-01-01") + ","
                + rate(US_NY, "US", "NY", "Sales <b>tax</b>", "8.875", "2021-03-01") + "]}");
    }

    /** A rate as platform-api writes it, {@code rate_ppm} derived from the percent. */
    static String rate(String id, String country, String region, String name, String rate, String from) {
        long ppm = new java.math.BigDecimal(rate).movePointRight(4).longValueExact();
        return "{\"id\":\"" + id + "\",\"country\":\"" + country + "\",\"region\":"
                + (region == null ? "null" : "\"" + region + "\"") + ",\"name\":\"" + name + "\",\"rate\":\"" + rate
                + "\",\"rate_ppm\":" + ppm + ",\"effective_from\":\"" + from + "\","
                + "\"created_at\":\"2019-12-01T10:00:00Z\",\"created_by\":\"admin@aiaas.test\"}";
    }

    /** The table row of that rate. */
    private static String row(String html, String id) {
        Matcher m = Pattern.compile("<tr data-rate-id=\"" + id + "\".*?</tr>", Pattern.DOTALL).matcher(html);
        assertTrue(m.find(), "no row " + id + " in " + html);
        return m.group();
    }

    /** The add form filled in: country, region, name, rate, effective from. */
    private static RequestSpecification newRate(String country, String region, String name, String rate,
            String from) {
        return Csrf.from("/admin/tax-rates").form().formParam("country", country).formParam("region", region)
                .formParam("name", name).formParam("rate", rate).formParam("effective_from", from);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void thePageListsTheRatesWithWhereEachStandsAndOffersDeleteForScheduledOnesOnly() {
        String html = given().when().get("/admin/tax-rates").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<table id=\"tax-rates\">"), html);
        assertTrue(html.contains("id=\"nav-admin-tax-rates\" href=\"/admin/tax-rates\" aria-current=\"page\""), html);

        String next = row(html, DE_NEXT);
        assertTrue(next.contains("<td class=\"tax-rate-country\">DE</td>")
                && next.contains("<span class=\"muted\">whole country</span>")
                && next.contains("<td class=\"tax-rate-name\">VAT</td>")
                && next.contains("<td class=\"num tax-rate-rate\">21 %</td>")
                && next.contains("<time datetime=\"2099-01-01\">1 Jan 2099</time>")
                && next.contains("<span class=\"tax-rate-state badge scheduled\">scheduled</span>"), next);
        assertTrue(next.contains("<form id=\"delete-tax-rate-" + DE_NEXT + "\" class=\"inline delete-tax-rate\""
                + " method=\"post\" action=\"/admin/tax-rates/" + DE_NEXT + "/delete\""), next);
        assertTrue(next.contains("name=\"csrf-token\"") && next.contains("data-confirm=\"Delete the scheduled rate"
                + " VAT 21 % (DE) from 1 Jan 2099?"), next);

        String now = row(html, DE_NOW);
        assertTrue(now.contains("<span class=\"tax-rate-state badge in-effect\">in effect</span>"), now);
        assertFalse(now.contains("delete-tax-rate"), "a rate in effect stays: " + now);
        String old = row(html, DE_OLD);
        assertTrue(old.contains("<span class=\"tax-rate-state badge superseded\">superseded</span>"), old);
        assertFalse(old.contains("<form"), old);

        String ny = row(html, US_NY);
        assertTrue(ny.contains("<td class=\"tax-rate-region\">NY</td>")
                && ny.contains("<td class=\"num tax-rate-rate\">8.875 %</td>")
                && ny.contains("<span class=\"tax-rate-state badge in-effect\">in effect</span>"), ny);
        assertTrue(ny.contains("<td class=\"tax-rate-name\">Sales &lt;b&gt;tax&lt;/b&gt;</td>"), "escaped: " + ny);
        assertEquals(1, html.split("class=\"inline delete-tax-rate\"", -1).length - 1, "one scheduled rate");

        for (String input : new String[] {"tax-country", "tax-region", "tax-name", "tax-rate", "tax-effective-from"}) {
            assertTrue(html.contains("id=\"" + input + "\""), input);
        }
        assertTrue(html.contains("<input id=\"tax-effective-from\" name=\"effective_from\" type=\"date\""), html);
        assertTrue(html.contains("<button id=\"new-tax-rate-submit\""), html);
        assertTrue(html.contains("<form id=\"new-tax-rate\" method=\"post\" action=\"/admin/tax-rates\""), html);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void noRatesSaysInvoicesCarryNoTaxAndRatesThatCannotBeReadSaySoWithTheFormStillThere() {
        PlatformApiStub.json(api, get(urlPathEqualTo(RATES)), 200, "{\"rates\":[]}");
        String html = given().when().get("/admin/tax-rates").then().statusCode(200).extract().asString();
        assertEquals("No tax rate yet: invoices carry no tax.", text(html, "tax-rates-none"));

        PlatformApiStub.problem(api, get(urlPathEqualTo(RATES)), 503, "unavailable", "Try again in a moment");
        html = given().when().get("/admin/tax-rates").then().statusCode(200).extract().asString();
        assertEquals("The tax rates could not be read: Try again in a moment", text(html, "tax-rates-error"));
        assertTrue(html.contains("id=\"new-tax-rate\""), html);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void addingSendsTheRateAsTypedTrimmedWithTheRegionAndDayWhenGiven() {
        PlatformApiStub.json(api, post(urlPathEqualTo(RATES)), 201,
                rate(US_NY, "US", "NY", "Sales tax", "8.875", "2027-01-01"));
        String location = newRate(" us ", " NY ", " Sales tax ", " 8.875 ", "2027-01-01")
                .when().post("/admin/tax-rates")
                .then().statusCode(303).header("Location", endsWith("/admin/tax-rates?done=created#tax-rates-section"))
                .extract().header("Location");
        api.verify(postRequestedFor(urlPathEqualTo(RATES)).withRequestBody(equalToJson(
                "{\"country\":\"US\",\"region\":\"NY\",\"name\":\"Sales tax\",\"rate\":\"8.875\","
                        + "\"effective_from\":\"2027-01-01\"}")));
        String html = follow(location).then().statusCode(200).extract().asString();
        assertTrue(text(html, "tax-rates-done").startsWith("Tax rate added."), html);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anEmptyRegionAndDayAreLeftOut() {
        PlatformApiStub.json(api, post(urlPathEqualTo(RATES)), 201,
                rate(DE_NOW, "DE", null, "VAT", "19", "2026-12-01"));
        newRate("DE", "  ", "VAT", "19", "").when().post("/admin/tax-rates").then().statusCode(303);
        // equalToJson refuses extra members: no "region", no "effective_from", not even as null
        api.verify(postRequestedFor(urlPathEqualTo(RATES))
                .withRequestBody(equalToJson("{\"country\":\"DE\",\"name\":\"VAT\",\"rate\":\"19\"}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aViolationOnTheCountryIsShownBesideItWithWhatWasTyped() {
        PlatformApiStub.invalid(api, post(urlPathEqualTo(RATES)), "country: not an ISO 3166 country code",
                "country", "not an ISO 3166 country code");
        String html = newRate("XX", "", "VAT", "19", "2027-01-01").when().post("/admin/tax-rates")
                .then().statusCode(400).extract().asString();
        assertTrue(html.contains("<p class=\"error\" role=\"alert\" id=\"new-tax-rate-error\">"
                + "country: not an ISO 3166 country code"), html);
        assertEquals("not an ISO 3166 country code", text(html, "tax-country-error"));
        assertTrue(Pattern.compile("<input id=\"tax-country\"[^>]*value=\"XX\"[^>]*aria-invalid=\"true\""
                + " aria-describedby=\"tax-country-error\"").matcher(html).find(), html);
        assertNull(text(html, "tax-rate-error"), "only the country is marked");
        assertTrue(html.contains("value=\"2027-01-01\""), "what was typed stays: " + html);
        assertTrue(html.contains("<table id=\"tax-rates\">"), "the rates as before");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRateThatIsNotAPercentIsShownBesideTheRateInput() {
        String detail = "The rate must be a percent from 0 to 100 with at most 4 decimals, e.g. 19 or 8.875";
        PlatformApiStub.problem(api, post(urlPathEqualTo(RATES)), 400, "invalid_tax_rate", detail);
        String html = newRate("DE", "", "VAT", "19,5", "").when().post("/admin/tax-rates")
                .then().statusCode(400).extract().asString();
        assertEquals(detail, text(html, "new-tax-rate-error"));
        assertEquals(detail, text(html, "tax-rate-error"));
        assertTrue(Pattern.compile("<input id=\"tax-rate\"[^>]*value=\"19,5\"[^>]*aria-describedby=\"tax-rate-help"
                + " tax-rate-error\" aria-invalid=\"true\"").matcher(html).find(), html);
        assertNull(text(html, "tax-country-error"), html);
        // the rate went to platform-api as typed: its rule, not the console's
        api.verify(postRequestedFor(urlPathEqualTo(RATES))
                .withRequestBody(equalToJson("{\"country\":\"DE\",\"name\":\"VAT\",\"rate\":\"19,5\"}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aSecondRateForTheSamePlaceAndDayIsShownBesideTheDay() {
        String detail = "A VAT rate of DE already takes effect on 2020-07-01";
        PlatformApiStub.problem(api, post(urlPathEqualTo(RATES)), 409, "tax_rate_exists", detail);
        String html = newRate("DE", "", "VAT", "19", "2020-07-01").when().post("/admin/tax-rates")
                .then().statusCode(409).extract().asString();
        assertEquals(detail, text(html, "new-tax-rate-error"));
        assertEquals(detail, text(html, "tax-effective-from-error"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void missingInputsAreRefusedWithoutAskingThePlatform() {
        String html = newRate("", "", "", "", "").when().post("/admin/tax-rates")
                .then().statusCode(400).extract().asString();
        assertEquals("Check the fields marked below.", text(html, "new-tax-rate-error"));
        assertTrue(text(html, "tax-country-error").startsWith("enter the country"), html);
        assertTrue(text(html, "tax-name-error").startsWith("name the tax"), html);
        assertTrue(text(html, "tax-rate-error").startsWith("enter the percent"), html);
        html = newRate("Deutschland", "", "x".repeat(41), "19", "").when().post("/admin/tax-rates")
                .then().statusCode(400).extract().asString();
        assertTrue(text(html, "tax-country-error").startsWith("two letters"), html);
        assertEquals("at most 40 characters", text(html, "tax-name-error"));
        api.verify(0, postRequestedFor(urlPathEqualTo(RATES)));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void deletingAScheduledRateCallsDeleteAndComesBackWithANotice() {
        api.stubFor(delete(urlPathEqualTo(RATES + "/" + DE_NEXT))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(204)));
        String location = Csrf.from("/admin/tax-rates").form().when().post("/admin/tax-rates/" + DE_NEXT + "/delete")
                .then().statusCode(303).header("Location", endsWith("/admin/tax-rates?done=deleted#tax-rates-section"))
                .extract().header("Location");
        api.verify(deleteRequestedFor(urlPathEqualTo(RATES + "/" + DE_NEXT)));
        assertTrue(text(follow(location).then().statusCode(200).extract().asString(), "tax-rates-done")
                .startsWith("Scheduled tax rate deleted"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRateThatTookEffectMeanwhileIsNotDeletedAndThePlatformSaysWhy() {
        String detail = "The rate took effect on 2020-07-01 and stays as history; add a new rate instead";
        PlatformApiStub.problem(api, delete(urlPathEqualTo(RATES + "/" + DE_NOW)), 409, "tax_rate_in_effect", detail);
        String html = Csrf.from("/admin/tax-rates").form().when().post("/admin/tax-rates/" + DE_NOW + "/delete")
                .then().statusCode(409).extract().asString();
        assertEquals(detail, text(html, "delete-tax-rate-error"));
        assertTrue(html.contains("<table id=\"tax-rates\">"), html);
        assertNull(text(html, "new-tax-rate-error"), "the refusal belongs to the delete");
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantAdminGetsTheForbiddenPageAndNoAdminCallIsMade() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        given().when().get("/admin/tax-rates").then().statusCode(403)
                .body(containsString("id=\"forbidden\"")).body(org.hamcrest.Matchers.not(containsString("tax-rates")));
        Csrf csrf = Csrf.fabricated();
        csrf.form().formParam("country", "DE").formParam("name", "VAT").formParam("rate", "19")
                .when().post("/admin/tax-rates").then().statusCode(403).body(containsString("id=\"forbidden\""));
        csrf.form().when().post("/admin/tax-rates/" + DE_NEXT + "/delete")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/admin/v1/.*")));
    }
}
