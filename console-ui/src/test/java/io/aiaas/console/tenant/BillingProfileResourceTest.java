package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.AddressBlocks;
import io.aiaas.console.testsupport.Csrf;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The billing details page: members read who the invoices are addressed to, admins set it (PUT of the whole profile),
 * platform-api's refusals come back beside the inputs with what was typed, and a closed tenant's page has no form.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class BillingProfileResourceTest {

    static final String PAGE = "/t/acme/billing-profile";
    static final String API = "/api/v1/tenants/acme/billing-profile";
    static final String ACME = PlatformApiStub.billingParty("Acme GmbH", "Hauptstraße 1", "Hof 2", "Berlin",
            "10115", "BE", "DE", "DE123456789", "billing@acme.test");
    /** How the page's address block reads ACME, line by line. */
    static final String ACME_LINES = "Acme GmbH|Hauptstraße 1|Hof 2|10115 Berlin|BE|Germany|Tax id: DE123456789"
            + "|billing@acme.test";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.billingProfile(api, "acme", ACME, "2026-11-30T10:00:00Z", "alice@acme.test");
        // the billing time zone below the details (BillingProfileTimeZoneTest)
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200,
                PlanResourceTest.status(null, null, "null"));
    }

    @Test
    @TestSecurity(user = "carol")
    void aMemberReadsTheDetailsWithoutAForm() {
        PlatformApiStub.me(api, "carol@acme.test", false, "acme:member");
        String html = given().when().get(PAGE).then().statusCode(200)
                // a page of the invoices section: the navigation stays one line wide enough for every tab
                .body(containsString("<a id=\"nav-invoices\" href=\"/t/acme/invoices\" aria-current=\"page\">"))
                .body(containsString("<h1>Billing details</h1>"))
                .extract().asString();
        assertEquals(ACME_LINES, AddressBlocks.lines(html, "billing-profile-address"));
        assertEquals("Last changed 2026-11-30 10:00 by alice@acme.test.", paragraph(html, "billing-profile-updated"));
        assertTrue(html.contains("<time datetime=\"2026-11-30T10:00:00Z\">"), html);
        assertEquals("Only the tenant's admins change the billing details.",
                Forms.text(html, "billing-profile-member-note").replace("&#39;", "'"));
        for (String form : new String[] {"<form", "save-billing-profile", "billing-legal-name", "billing-profile-hint",
                "billing-profile-none"}) {
            assertFalse(html.contains(form), form + " on a member's page");
        }
        api.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "alice")
    void anAdminGetsTheFormFilledWithTheDetailsAndTheHint() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().when().get(PAGE).then().statusCode(200)
                .body(containsString("<form id=\"save-billing-profile\" method=\"post\" action=\"/t/acme/billing-profile\">"))
                .body(containsString("name=\"csrf-token\""))
                .body(containsString("<button id=\"billing-profile-save\" class=\"primary\" type=\"submit\">Save</button>"))
                .body(not(containsString("billing-profile-member-note")))
                .body(not(containsString("class=\"error\"")))
                .extract().asString();
        assertEquals(ACME_LINES, AddressBlocks.lines(html, "billing-profile-address"));
        assertEquals("Acme GmbH", value(html, "billing-legal-name"));
        assertEquals("Hauptstraße 1", value(html, "billing-address-line1"));
        assertEquals("Hof 2", value(html, "billing-address-line2"));
        assertEquals("10115", value(html, "billing-postal-code"));
        assertEquals("Berlin", value(html, "billing-city"));
        assertEquals("BE", value(html, "billing-region"));
        assertEquals("DE123456789", value(html, "billing-tax-id"));
        assertEquals("billing@acme.test", value(html, "billing-email"));
        assertEquals("DE", selectedCountry(html));
        assertTrue(html.contains("<option value=\"US\" >United States (US)</option>"), "every ISO country offered");
        assertTrue(html.matches("(?s).*<input id=\"billing-legal-name\" name=\"legal_name\" type=\"text\""
                + " maxlength=\"200\" value=\"Acme GmbH\" required autocomplete=\"organization\">.*"), html);
        assertTrue(html.contains("<label for=\"billing-address-line2\">Address, second line (optional)</label>"), html);
        assertTrue(html.contains("<input id=\"billing-email\" name=\"email\" type=\"email\" maxlength=\"320\""), html);
        String hint = Forms.text(html, "billing-profile-hint");
        assertTrue(hint.contains("Invoices issued from now on carry these details")
                && hint.contains("invoices already issued keep the details they carry"), hint);
    }

    @Test
    @TestSecurity(user = "alice")
    void detailsNeverSetAreSaidToBeMissingAndTheFormIsEmpty() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.billingProfile(api, "acme", null, null, null);
        String html = given().when().get(PAGE).then().statusCode(200).extract().asString();
        assertEquals("No billing details are set: invoices carry no billing address.",
                Forms.text(html, "billing-profile-none"));
        assertNull(AddressBlocks.lines(html, "billing-profile-address"));
        assertFalse(html.contains("billing-profile-updated"), html);
        assertEquals("Set the billing details", Forms.text(html, "save-billing-profile-heading"));
        assertEquals("", value(html, "billing-legal-name"));
        assertEquals("", value(html, "billing-email"));
        assertEquals("", selectedCountry(html), "\"Choose a country\" until one is chosen");
    }

    @Test
    @TestSecurity(user = "alice")
    void savingPutsTheTrimmedProfileLeavingEmptyOptionalFieldsOutAndComesBackWithANotice() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, put(urlPathEqualTo(API)), 200, ACME.replace("}", ",\"updated_at\":"
                + "\"2026-11-30T11:00:00Z\",\"updated_by\":\"alice@acme.test\"}"));
        Forms.from(PAGE).formParam("legal_name", "  Acme Europe GmbH ").formParam("address_line1", " Hauptstraße 1")
                .formParam("address_line2", "   ").formParam("city", "Berlin ").formParam("postal_code", " 10115")
                .formParam("region", "").formParam("country", " de ").formParam("tax_id", " ")
                .formParam("email", " ap@acme.test ")
                .when().post(PAGE).then().statusCode(303).header("Location", endsWith(PAGE + "?done=saved"));
        // the whole profile, nothing more: platform-api clears what is left out
        api.verify(1, putRequestedFor(urlPathEqualTo(API)).withRequestBody(equalToJson("{\"legal_name\":"
                + "\"Acme Europe GmbH\",\"address_line1\":\"Hauptstraße 1\",\"city\":\"Berlin\",\"postal_code\":"
                + "\"10115\",\"country\":\"DE\",\"email\":\"ap@acme.test\"}")));

        String html = given().when().get(PAGE + "?done=saved").then().statusCode(200).extract().asString();
        assertEquals("Saved. Invoices issued from now on carry these details.",
                Forms.text(html, "billing-profile-saved"));
        String plain = given().when().get(PAGE + "?done=whatever").then().statusCode(200).extract().asString();
        assertFalse(plain.contains("billing-profile-saved"), "only the console's own word shows a notice");
    }

    @Test
    @TestSecurity(user = "alice")
    void violationsAreShownBesideTheirInputsWithWhatWasTyped() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.invalid(api, put(urlPathEqualTo(API)),
                "legal_name: must not be blank; put.body.country: must be an ISO 3166-1 alpha-2 code such as DE or US",
                "legal_name", "must not be blank",
                "put.body.country", "must be an ISO 3166-1 alpha-2 code such as DE or US");
        String html = Forms.from(PAGE).formParam("legal_name", " ").formParam("address_line1", "Rue <Neuve> 5")
                .formParam("address_line2", "").formParam("city", "Bruxelles").formParam("postal_code", "1000")
                .formParam("region", "").formParam("country", "xx").formParam("tax_id", "BE0123456789")
                .formParam("email", "")
                .when().post(PAGE).then().statusCode(400).extract().asString();
        assertEquals("Check the fields marked below.", Forms.text(html, "save-billing-profile-error"));
        assertEquals("must not be blank", Forms.text(html, "billing-legal-name-error"));
        assertEquals("must be an ISO 3166-1 alpha-2 code such as DE or US", Forms.text(html, "billing-country-error"));
        assertTrue(html.contains("id=\"billing-legal-name\" name=\"legal_name\" type=\"text\" maxlength=\"200\""
                + " value=\"\" required autocomplete=\"organization\" aria-invalid=\"true\""
                + " aria-describedby=\"billing-legal-name-error\">"), html);
        assertTrue(html.contains("aria-describedby=\"billing-country-error\""), html);
        assertFalse(html.contains("billing-city-error"), "only the fields the API named");
        // what was typed stays, escaped; the unknown country stays chosen
        assertEquals("Rue &lt;Neuve&gt; 5", value(html, "billing-address-line1"));
        assertEquals("Bruxelles", value(html, "billing-city"));
        assertEquals("1000", value(html, "billing-postal-code"));
        assertEquals("BE0123456789", value(html, "billing-tax-id"));
        assertEquals("XX", selectedCountry(html));
        // the profile as the API still has it, above the form
        assertEquals(ACME_LINES, AddressBlocks.lines(html, "billing-profile-address"));
        api.verify(putRequestedFor(urlPathEqualTo(API)).withRequestBody(equalToJson("{\"legal_name\":\"\","
                + "\"address_line1\":\"Rue <Neuve> 5\",\"city\":\"Bruxelles\",\"postal_code\":\"1000\","
                + "\"country\":\"XX\",\"tax_id\":\"BE0123456789\"}")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aRefusalNamingNoInputKeepsThePlatformsMessageAboveTheForm() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.problem(api, put(urlPathEqualTo(API)), 400, "invalid_json", "The body is not valid JSON");
        String html = Forms.from(PAGE).formParam("legal_name", "Acme GmbH").formParam("address_line1", "x")
                .formParam("city", "Berlin").formParam("country", "DE")
                .when().post(PAGE).then().statusCode(400).extract().asString();
        assertEquals("The body is not valid JSON", Forms.text(html, "save-billing-profile-error"));
        assertFalse(html.contains("class=\"field-error\""), html);
        assertEquals("Acme GmbH", value(html, "billing-legal-name"));
    }

    @Test
    @TestSecurity(user = "mallory")
    void aMembersForgedSaveIsRefusedByTheApiAndShownAboveTheReadOnlyPage() {
        PlatformApiStub.me(api, "mallory@acme.test", false, "acme:member");
        PlatformApiStub.problem(api, put(urlPathEqualTo(API)), 403, "forbidden",
                "Only tenant admins change the billing profile");
        Response page = given().when().get(PAGE);
        String token = Csrf.metaToken(page.asString());
        String html = given().redirects().follow(false).cookie(Forms.COOKIE, page.getCookie(Forms.COOKIE))
                .formParam("csrf-token", token).formParam("legal_name", "Mallory Ltd").formParam("country", "GB")
                .when().post(PAGE).then().statusCode(403).extract().asString();
        assertEquals("Only tenant admins change the billing profile", Forms.text(html, "save-billing-profile-error"));
        assertFalse(html.contains("<form id=\"save-billing-profile\""), html);
        assertEquals(ACME_LINES, AddressBlocks.lines(html, "billing-profile-address"));
        api.verify(1, putRequestedFor(urlPathEqualTo(API)));
    }

    @Test
    @TestSecurity(user = "alice")
    void aClosedTenantsDetailsAreShownWithoutAFormAndAForgedSaveShowsTheRefusal() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin:closed");
        String html = given().when().get(PAGE).then().statusCode(200)
                .body(containsString("id=\"tenant-closed\""))
                .extract().asString();
        assertEquals(ACME_LINES, AddressBlocks.lines(html, "billing-profile-address"));
        for (String form : new String[] {"<form", "save-billing-profile", "billing-legal-name", "billing-profile-hint",
                "billing-profile-member-note"}) {
            assertFalse(html.contains(form), form + " on a closed tenant's page");
        }

        PlatformApiStub.tenantClosed(api, put(urlPathEqualTo(API)), "acme");
        html = Csrf.fabricated().form().formParam("legal_name", "Acme GmbH").formParam("country", "DE")
                .when().post(PAGE).then().statusCode(409).extract().asString();
        String error = Forms.text(html, "save-billing-profile-error");
        assertTrue(error != null && error.contains("is closed"), html);
        assertFalse(html.contains("<form id=\"save-billing-profile\""), html);
    }

    @Test
    @TestSecurity(user = "root")
    void aPlatformAdminWhoIsNoMemberSetsThemToo() {
        PlatformApiStub.me(api, "root@aiaas.test", true);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 200,
                ClosedTenantTest.ADMIN_VIEW.replace("\"status\":\"closed\"", "\"status\":\"active\""));
        given().when().get(PAGE).then().statusCode(200)
                .body(containsString("<form id=\"save-billing-profile\""))
                .body(not(containsString("id=\"tenant-closed\"")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aPostWithoutTheCsrfTokenNeverReachesThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        given().redirects().follow(false).formParam("legal_name", "Acme GmbH").when().post(PAGE)
                .then().statusCode(400);
        api.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "bob")
    void anOutsiderGetsTheForbiddenPageAndTheTenantIsNeverAsked() {
        PlatformApiStub.me(api, "bob@globex.test", false, "globex:admin");
        given().when().get(PAGE).then().statusCode(403)
                .body(containsString("id=\"forbidden\""))
                .body(not(containsString("Acme GmbH")));
        Csrf.fabricated().form().formParam("legal_name", "Bob Ltd").when().post(PAGE)
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/api/v1/tenants/.*")));
    }

    @Test
    @TestSecurity(user = "carol")
    void theInvoicesPageLinksToTheDetails() {
        PlatformApiStub.me(api, "carol@acme.test", false, "acme:member");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/invoices")), 200, "[]");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/credits")), 200,
                "{\"balances\":[],\"grants\":[]}");
        PlatformApiStub.json(api, get(urlPathEqualTo(InvoicesResourceTest.UPCOMING_PATH)), 200,
                InvoicesResourceTest.UPCOMING);
        given().when().get("/t/acme/invoices").then().statusCode(200)
                .body(containsString("<a id=\"billing-profile-link\" href=\"/t/acme/billing-profile\">billing details</a>"));
    }

    /** The text of the paragraph with that id, tags inside it stripped. */
    static String paragraph(String html, String id) {
        Matcher m = Pattern.compile("<p [^>]*id=\"" + Pattern.quote(id) + "\"[^>]*>(.*?)</p>", Pattern.DOTALL)
                .matcher(html);
        if (!m.find()) {
            throw new AssertionError("no paragraph " + id + " in " + html);
        }
        return m.group(1).replaceAll("<[^>]+>", "").trim();
    }

    /** The value of the input with that id. */
    static String value(String html, String id) {
        Matcher m = Pattern.compile("<input id=\"" + Pattern.quote(id) + "\"[^>]* value=\"([^\"]*)\"").matcher(html);
        if (!m.find()) {
            throw new AssertionError("no input " + id + " in " + html);
        }
        return m.group(1);
    }

    /** The country the select has chosen ("" for "Choose a country"), failing unless exactly one is. */
    static String selectedCountry(String html) {
        int start = html.indexOf("<select id=\"billing-country\"");
        String select = html.substring(start, html.indexOf("</select>", start));
        Matcher m = Pattern.compile("<option value=\"([^\"]*)\" selected>").matcher(select);
        if (!m.find()) {
            throw new AssertionError("no country chosen in " + select);
        }
        String chosen = m.group(1);
        if (m.find()) {
            throw new AssertionError("two countries chosen in " + select);
        }
        return chosen;
    }
}
