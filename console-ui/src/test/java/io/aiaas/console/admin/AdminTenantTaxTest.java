package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.aiaas.console.admin.AdminBillingResourceTest.follow;
import static io.aiaas.console.admin.AdminBillingResourceTest.text;
import static io.restassured.RestAssured.given;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tax section of a tenant's admin page ({@link AdminTenantTaxResource}): the treatment as it is, the form filled
 * with it, the exact PUT it sends, refusals beside the inputs with what was typed, and the 403 page for a tenant admin.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminTenantTaxTest {

    static final String TAX = "/admin/v1/tenants/acme/tax";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        AdminTenantsResourceTest.acmeDetail(api);
    }

    /** The element with this id, from its start tag to its end tag (no nesting of the same tag). */
    private static String element(String html, String tag, String id) {
        Matcher m = Pattern.compile("<" + tag + "[^>]* id=\"" + Pattern.quote(id) + "\".*?</" + tag + ">",
                Pattern.DOTALL).matcher(html);
        assertTrue(m.find(), "no <" + tag + " id=\"" + id + "\"> in " + html);
        return m.group();
    }

    private static String textarea(String html, String id) {
        String textarea = element(html, "textarea", id);
        return textarea.substring(textarea.indexOf('>') + 1, textarea.lastIndexOf("</textarea>"));
    }

    /** The value of the option the select with this id has selected, or null. */
    private static String selected(String html, String id) {
        Matcher m = Pattern.compile("<option value=\"([^\"]*)\" selected>").matcher(element(html, "select", id));
        return m.find() ? m.group(1) : null;
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theSectionShowsTheTreatmentAndFillsTheFormWithIt() {
        PlatformApiStub.json(api, get(urlPathEqualTo(TAX)), 200,
                "{\"treatment\":\"exempt\",\"note\":\"Charity <b>certificate</b> C-42\"}");
        String html = given().when().get("/admin/tenants/acme").then().statusCode(200).extract().asString();
        String section = element(html, "section", "tax-section");
        assertTrue(section.contains("<form id=\"edit-tax\" method=\"post\" action=\"/admin/tenants/acme/tax\">")
                && section.contains("name=\"csrf-token\"") && section.contains("id=\"edit-tax-submit\""), section);
        assertTrue(text(section, "tax-treatment-current").startsWith("Exempt: its invoices carry no tax."), section);
        assertTrue(section.contains("<q id=\"tax-note-current\">Charity &lt;b&gt;certificate&lt;/b&gt; C-42</q>"),
                "escaped: " + section);
        assertEquals("exempt", selected(html, "tax-treatment"));
        assertEquals(3, element(html, "select", "tax-treatment").split("<option", -1).length - 1,
                "the three treatments, no empty choice once the treatment is known");
        assertTrue(section.contains("<option value=\"reverse_charge\">Reverse charge</option>"), section);
        assertEquals("Charity &lt;b&gt;certificate&lt;/b&gt; C-42", textarea(html, "tax-note"));
        assertTrue(section.contains("href=\"/admin/tax-rates\""), "links the rates: " + section);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void savingSendsTheTreatmentAndTheNoteAndComesBackWithANotice() {
        PlatformApiStub.json(api, put(urlPathEqualTo(TAX)), 200, "{\"treatment\":\"reverse_charge\",\"note\":\"x\"}");
        String location = Csrf.from("/admin/tenants/acme").form().formParam("treatment", "reverse_charge")
                .formParam("note", "  EU B2B customer,\r\nVAT id DE123456789 ")
                .when().post("/admin/tenants/acme/tax")
                .then().statusCode(303).header("Location", endsWith("/admin/tenants/acme?done=tax-saved#tax-section"))
                .extract().header("Location");
        api.verify(putRequestedFor(urlPathEqualTo(TAX)).withRequestBody(equalToJson(
                "{\"treatment\":\"reverse_charge\",\"note\":\"EU B2B customer,\\nVAT id DE123456789\"}")));
        String html = follow(location).then().statusCode(200).extract().asString();
        assertTrue(text(html, "tax-done").startsWith("Tax treatment saved."), html);
        assertNull(text(html, "credit-done"), "the notice is the tax section's");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anEmptyNoteIsLeftOut() {
        PlatformApiStub.json(api, put(urlPathEqualTo(TAX)), 200, "{\"treatment\":\"standard\",\"note\":null}");
        Csrf.from("/admin/tenants/acme").form().formParam("treatment", "standard").formParam("note", " ")
                .when().post("/admin/tenants/acme/tax").then().statusCode(303);
        api.verify(putRequestedFor(urlPathEqualTo(TAX)).withRequestBody(equalToJson("{\"treatment\":\"standard\"}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRefusedNoteIsShownBesideItWithWhatWasTyped() {
        PlatformApiStub.invalid(api, put(urlPathEqualTo(TAX)), "note: must not contain control characters", "note",
                "must not contain control characters");
        String html = Csrf.from("/admin/tenants/acme").form().formParam("treatment", "exempt")
                .formParam("note", "Certificate <i>C-42</i>")
                .when().post("/admin/tenants/acme/tax")
                .then().statusCode(400).extract().asString();
        assertTrue(html.contains("<p class=\"error\" role=\"alert\" id=\"edit-tax-error\">note: must not contain"
                + " control characters"), html);
        assertEquals("must not contain control characters", text(html, "tax-note-error"));
        assertEquals("Certificate &lt;i&gt;C-42&lt;/i&gt;", textarea(html, "tax-note"));
        assertEquals("exempt", selected(html, "tax-treatment"), "the choice as made, not the stored standard");
        assertTrue(element(html, "textarea", "tax-note").contains("aria-invalid=\"true\""), html);
        assertTrue(text(html, "tax-treatment-current").startsWith("Standard"), "the treatment as it still is");
        assertTrue(html.contains("id=\"tenant-month-requests\">12,345<"), "the rest of the page as before");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anUnknownTreatmentOrALongNoteIsRefusedWithoutAskingThePlatform() {
        String html = Csrf.from("/admin/tenants/acme").form().formParam("treatment", "zero_rated")
                .formParam("note", "x".repeat(501))
                .when().post("/admin/tenants/acme/tax")
                .then().statusCode(400).extract().asString();
        assertEquals("choose standard, exempt or reverse charge", text(html, "tax-treatment-error"));
        assertEquals("at most 500 characters (this one has 501)", text(html, "tax-note-error"));
        api.verify(0, putRequestedFor(urlPathEqualTo(TAX)));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aTreatmentThatCannotBeReadSaysSoAndTheFormOffersNoChoiceMade() {
        PlatformApiStub.problem(api, get(urlPathEqualTo(TAX)), 503, "unavailable", "Try again in a moment");
        String html = given().when().get("/admin/tenants/acme").then().statusCode(200).extract().asString();
        assertEquals("The tax treatment could not be read: Try again in a moment", text(html, "tax-read-error"));
        assertNull(selected(html, "tax-treatment"), "nothing chosen for the admin");
        assertTrue(element(html, "select", "tax-treatment").contains("<option value=\"\">Choose…</option>"), html);
        assertFalse(html.contains("id=\"tax-treatment-current\""), html);
        assertTrue(html.contains("id=\"tenant-month-requests\">12,345<"), "the rest of the page shows");
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantAdminCannotChangeTheTreatment() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        Csrf.fabricated().form().formParam("treatment", "exempt")
                .when().post("/admin/tenants/acme/tax")
                .then().statusCode(403);
        api.verify(0, putRequestedFor(urlPathEqualTo(TAX)));
        api.verify(0, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo(TAX)));
    }
}
