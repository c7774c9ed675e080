package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.aiaas.console.admin.AdminTenantsResourceTest.ACME;
import static io.aiaas.console.admin.AdminTenantsResourceTest.CLOSED;
import static io.aiaas.console.admin.AdminTenantsResourceTest.PLANS;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.Csrf;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The credit section of a tenant's admin page: its grants, giving credit and voiding a grant. */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminTenantCreditTest {

    static final String ACTIVE = "a1a1a1a1-0000-4000-8000-000000000001";
    static final String SPENT = "a1a1a1a1-0000-4000-8000-000000000002";
    static final String VOIDED = "a1a1a1a1-0000-4000-8000-000000000003";
    static final String GRANTS = "[" + PlatformApiStub.creditGrant(ACTIVE, "acme", "USD", "2.50", "1.25",
            "launch promotion", "active", "2099-01-31T00:00:00Z", "admin@aiaas.test") + ","
            + PlatformApiStub.creditGrant(SPENT, "acme", "USD", "10.00", "0.00", "prepaid", "spent", null,
                    "ops@aiaas.test") + ","
            + PlatformApiStub.creditGrant(VOIDED, "acme", "EUR", "5.00", "5.00", "goodwill", "voided", null,
                    "admin@aiaas.test") + "]";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        AdminTenantsResourceTest.acmeDetail(api);
    }

    private void grants() {
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/credits")), 200, GRANTS);
    }

    private static String page() {
        return given().when().get("/admin/tenants/acme").then().statusCode(200).extract().asString();
    }

    /** The row of a grant, from its {@code <tr>} to its {@code </tr>}, or null. */
    static String row(String html, String id) {
        Matcher m = Pattern.compile("<tr data-grant-id=\"" + Pattern.quote(id) + "\">(.*?)</tr>", Pattern.DOTALL)
                .matcher(html);
        return m.find() ? m.group(1) : null;
    }

    /** The text of the element with this id (tags inside stripped), or null. */
    static String text(String html, String id) {
        Matcher m = Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*>(.*?)</", Pattern.DOTALL).matcher(html);
        return m.find() ? m.group(1).replaceAll("<[^>]+>", "").trim() : null;
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theTenantsGrantsAreListedAndOnlyAnActiveOneCanBeVoided() {
        grants();
        String html = page();
        assertTrue(html.contains("<table id=\"credit-grants\">"), html);
        String active = row(html, ACTIVE);
        assertTrue(active != null && active.contains("$2.50") && active.contains("$1.25")
                && active.contains("<td>USD</td>") && active.contains("launch promotion")
                && active.contains("<span class=\"badge active\">active</span>")
                && active.contains("<time datetime=\"2099-01-31T00:00:00Z\">2099-01-31 00:00</time>")
                && active.contains("<time datetime=\"2026-10-15T09:30:00Z\">2026-10-15</time>")
                && active.contains("<td>admin@aiaas.test</td>"), active);
        assertTrue(active.contains("<form class=\"inline\" id=\"void-grant-" + ACTIVE + "\" method=\"post\""
                + " action=\"/admin/tenants/acme/credits/" + ACTIVE + "/void\""), active);
        assertTrue(active.contains("data-confirm=\"Void this grant (launch promotion)? What is left of it, $1.25, is"
                + " forfeited"), active);
        assertTrue(active.contains("name=\"csrf-token\""), "a CSRF token like every admin form");
        String spent = row(html, SPENT);
        assertTrue(spent != null && spent.contains("<span class=\"badge spent\">spent</span>")
                && spent.contains("<td>ops@aiaas.test</td>") && spent.contains("never"), spent);
        String voided = row(html, VOIDED);
        assertTrue(voided != null && voided.contains("€5.00") && voided.contains("<td>EUR</td>")
                && voided.contains("<span class=\"badge voided\">voided</span>"), voided);
        assertEquals(1, html.split("id=\"void-grant-", -1).length - 1, "only the active grant can be voided");
        assertFalse(html.contains("void-grant-" + SPENT) || html.contains("void-grant-" + VOIDED), html);
        api.verify(getRequestedFor(urlPathEqualTo("/admin/v1/credits")).withQueryParam("tenant", equalTo("acme")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theGrantFormOffersTheCurrencyOfTheTenantsPlan() {
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/plans")), 200, PLANS.replaceFirst("\"USD\"",
                "\"EUR\""));
        String html = page();
        assertTrue(html.contains("<form id=\"grant-credit\" method=\"post\" action=\"/admin/tenants/acme/credits\">"),
                html);
        assertTrue(html.contains("<input id=\"grant-currency\" name=\"currency\" value=\"EUR\""), html);
        assertTrue(html.contains("<input id=\"grant-expires\" name=\"expires_at\" type=\"date\" min=\""
                + LocalDate.now(ZoneOffset.UTC).plusDays(1) + "\""), html);
        assertTrue(html.contains("<tr><td colspan=\"9\" class=\"muted\">The tenant has never been given credit."),
                html);

        // without a plan: USD
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 200,
                ACME.replaceFirst("\"plan\":\\{[^}]*\\}", "\"plan\":null"));
        assertTrue(page().contains("<input id=\"grant-currency\" name=\"currency\" value=\"USD\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void givingCreditSendsExactMicroUnitsAndTheDaysStartInUtcThenShowsANotice() {
        PlatformApiStub.json(api, post(urlPathEqualTo("/admin/v1/credits")), 201, PlatformApiStub.creditGrant(
                ACTIVE, "acme", "USD", "2.50", "2.50", "launch promotion", "active", "2099-01-31T00:00:00Z",
                "admin@aiaas.test"));
        Csrf csrf = Csrf.from("/admin/tenants/acme");
        csrf.form().formParam("amount", " 2.50 ").formParam("currency", "usd")
                .formParam("reason", " launch promotion ").formParam("expires_at", "2099-01-31")
                .when().post("/admin/tenants/acme/credits")
                .then().statusCode(303).header("Location", endsWith("/admin/tenants/acme?done=granted#credit-section"));
        api.verify(postRequestedFor(urlPathEqualTo("/admin/v1/credits")).withRequestBody(equalToJson(
                "{\"tenant\":\"acme\",\"amount_micros\":2500000,\"currency\":\"USD\",\"reason\":\"launch promotion\","
                        + "\"expires_at\":\"2099-01-31T00:00:00Z\"}")));

        // without a day, no expires_at at all: the grant lasts until spent or voided
        csrf.form().formParam("amount", "0.000001").formParam("currency", "EUR").formParam("reason", "goodwill")
                .formParam("expires_at", "")
                .when().post("/admin/tenants/acme/credits")
                .then().statusCode(303);
        api.verify(postRequestedFor(urlPathEqualTo("/admin/v1/credits")).withRequestBody(equalToJson(
                "{\"tenant\":\"acme\",\"amount_micros\":1,\"currency\":\"EUR\",\"reason\":\"goodwill\"}")));

        grants();
        String html = given().when().get("/admin/tenants/acme?done=granted").then().statusCode(200).extract()
                .asString();
        assertTrue(String.valueOf(text(html, "credit-done")).startsWith("Credit granted."), html);
        assertTrue(row(html, ACTIVE) != null, "the new grant is listed");
        assertEquals(null, text(given().when().get("/admin/tenants/acme?done=<b>x</b>").asString(), "credit-done"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRefusedGrantIsShownBesideTheFormWithWhatWasTyped() {
        PlatformApiStub.invalid(api, post(urlPathEqualTo("/admin/v1/credits")), "The request is not valid",
                "currency", "must be an ISO 4217 code such as USD");
        String html = Csrf.from("/admin/tenants/acme").form().formParam("amount", "2.50")
                .formParam("currency", "XXQ").formParam("reason", "launch <b>promo</b>")
                .formParam("expires_at", "2099-01-31")
                .when().post("/admin/tenants/acme/credits")
                .then().statusCode(400).extract().asString();
        assertTrue(html.contains("<p class=\"error\" role=\"alert\" id=\"grant-credit-error\">The request is not"
                + " valid"), html);
        assertEquals("must be an ISO 4217 code such as USD", text(html, "grant-currency-error"));
        assertTrue(html.contains("<input id=\"grant-amount\" name=\"amount\" inputmode=\"decimal\" autocomplete=\"off\""
                + " value=\"2.50\""), html);
        assertTrue(html.contains("<input id=\"grant-currency\" name=\"currency\" value=\"XXQ\""), html);
        assertTrue(html.contains(">launch &lt;b&gt;promo&lt;/b&gt;</textarea>"), html);
        assertTrue(html.contains("value=\"2099-01-31\""), html);
        assertTrue(html.contains("id=\"tenant-month-requests\">12,345<"), "the rest of the page as before");
        assertFalse(html.contains("id=\"credit-done\""), "no notice");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anAmountOrDayThatCannotBeGrantedIsRefusedWithoutAskingThePlatform() {
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        String html = Csrf.from("/admin/tenants/acme").form().formParam("amount", "2.5000001")
                .formParam("currency", "US").formParam("reason", " ").formParam("expires_at", yesterday)
                .when().post("/admin/tenants/acme/credits")
                .then().statusCode(400).extract().asString();
        assertEquals("Check the fields marked below.", text(html, "grant-credit-error"));
        assertTrue(String.valueOf(text(html, "grant-amount-error")).startsWith("at most 6 decimals"), html);
        assertEquals("a three-letter ISO 4217 code such as USD", text(html, "grant-currency-error"));
        assertTrue(String.valueOf(text(html, "grant-reason-error")).startsWith("say why"), html);
        assertTrue(String.valueOf(text(html, "grant-expires-error")).startsWith("must be a day after today"), html);
        assertTrue(html.contains("value=\"2.5000001\"") && html.contains("value=\"" + yesterday + "\""), html);
        api.verify(0, postRequestedFor(urlPathEqualTo("/admin/v1/credits")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void voidingPostsTheGrantsVoidAndComesBackWithANotice() {
        grants();
        PlatformApiStub.json(api, post(urlPathEqualTo("/admin/v1/credits/" + ACTIVE + "/void")), 200,
                PlatformApiStub.creditGrant(ACTIVE, "acme", "USD", "2.50", "0.00", "launch promotion", "voided",
                        null, "admin@aiaas.test"));
        Csrf.from("/admin/tenants/acme").form()
                .when().post("/admin/tenants/acme/credits/" + ACTIVE + "/void")
                .then().statusCode(303)
                .header("Location", endsWith("/admin/tenants/acme?done=grant-voided#credit-section"));
        api.verify(1, postRequestedFor(urlPathEqualTo("/admin/v1/credits/" + ACTIVE + "/void")));
        api.verify(0, postRequestedFor(urlPathEqualTo("/admin/v1/credits")));
        String html = given().when().get("/admin/tenants/acme?done=grant-voided").then().statusCode(200).extract()
                .asString();
        assertTrue(String.valueOf(text(html, "credit-done"))
                .startsWith("Grant voided: what was left of it is forfeited"), html);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aGrantVoidedAlreadyIsSaidAboveTheGrants() {
        grants();
        PlatformApiStub.problem(api, post(urlPathMatching("/admin/v1/credits/.*/void")), 409, "credit_grant_void",
                "Credit grant " + VOIDED + " was voided at 2026-11-02T08:00:00Z");
        String html = Csrf.from("/admin/tenants/acme").form()
                .when().post("/admin/tenants/acme/credits/" + VOIDED + "/void")
                .then().statusCode(409).extract().asString();
        assertEquals("Credit grant " + VOIDED + " was voided at 2026-11-02T08:00:00Z", text(html, "void-grant-error"));
        assertTrue(row(html, ACTIVE) != null, "the grants are listed as before");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aClosedTenantsGrantsAreListedWithoutTheGrantForm() {
        grants();
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 200, CLOSED);
        String html = page();
        assertTrue(row(html, ACTIVE) != null && row(html, SPENT) != null && row(html, VOIDED) != null, html);
        assertFalse(html.contains("id=\"grant-credit\""), "a closed tenant takes no credit");
        assertFalse(html.contains("id=\"grant-amount\"") || html.contains("id=\"grant-submit\""), html);
        assertTrue(String.valueOf(text(html, "grant-closed"))
                .startsWith("The tenant is closed: it takes no new credit."), html);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aGrantToAClosedTenantPostedAnywayShowsThePlatformsRefusal() {
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 200, CLOSED);
        PlatformApiStub.tenantClosed(api, post(urlPathEqualTo("/admin/v1/credits")), "acme");
        String html = Csrf.fabricated().form().formParam("amount", "1").formParam("currency", "USD")
                .formParam("reason", "late goodwill")
                .when().post("/admin/tenants/acme/credits")
                .then().statusCode(409).extract().asString();
        assertTrue(String.valueOf(text(html, "grant-credit-error"))
                .startsWith("Tenant &#39;acme&#39; is closed"), html);
        assertFalse(html.contains("id=\"grant-credit\""), html);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void grantsThatCannotBeReadDoNotHideTheTenant() {
        PlatformApiStub.problem(api, get(urlPathEqualTo("/admin/v1/credits")), 503, "unavailable", "credit store busy");
        String html = page();
        assertEquals("The credit grants could not be read: credit store busy", text(html, "credit-grants-error"));
        assertTrue(html.contains("id=\"assign-plan\"") && html.contains("id=\"grant-credit\""), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantAdminCannotGiveOrVoidCredit() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        Csrf.fabricated().form().formParam("amount", "100").formParam("currency", "USD").formParam("reason", "me")
                .when().post("/admin/tenants/acme/credits")
                .then().statusCode(403);
        Csrf.fabricated().form().when().post("/admin/tenants/acme/credits/" + ACTIVE + "/void")
                .then().statusCode(403);
        api.verify(0, postRequestedFor(urlPathMatching("/admin/v1/credits.*")));
    }
}
