package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The note of an operator's suspension on a tenant's admin page: given with the suspension, shown while it lasts,
 * changed or removed on its own (PATCH {@code suspension_note} alone), refusals shown beside the form with what was
 * typed.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminTenantSuspensionNoteTest {

    /** acme as platform-api shows it suspended by an operator, without a note. */
    static final String SUSPENDED = AdminTenantsResourceTest.ACME.replace("\"status\":\"active\"",
            "\"status\":\"suspended\"");

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        AdminTenantsResourceTest.acmeDetail(api);
    }

    /** acme suspended by an operator who told it {@code note} (a JSON string's content). */
    private void suspendedWith(String note) {
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 200,
                SUSPENDED.replace("\"status\":\"suspended\"",
                        "\"status\":\"suspended\",\"suspension_note\":\"" + note + "\""));
    }

    /** The element with this id, from its start tag to its end tag (no nesting of the same tag). */
    private static String element(String html, String tag, String id) {
        Matcher m = Pattern.compile("<" + tag + "[^>]* id=\"" + Pattern.quote(id) + "\".*?</" + tag + ">",
                Pattern.DOTALL).matcher(html);
        assertTrue(m.find(), "no <" + tag + " id=\"" + id + "\"> in " + html);
        return m.group();
    }

    /** The content of the textarea with this id. */
    private static String textarea(String html, String id) {
        String textarea = element(html, "textarea", id);
        return textarea.substring(textarea.indexOf('>') + 1, textarea.lastIndexOf("</textarea>"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theSuspendFormTakesAnOptionalNoteAndSaysWhereTheTenantSeesIt() {
        String html = given().when().get("/admin/tenants/acme").then().statusCode(200).extract().asString();
        String form = element(html, "form", "tenant-status-form");
        assertTrue(form.contains(
                "<textarea id=\"suspension-note\" name=\"suspension_note\" rows=\"3\" maxlength=\"500\""), form);
        assertFalse(element(html, "textarea", "suspension-note").contains(" required"), "the note is optional");
        assertEquals("", textarea(html, "suspension-note"));
        assertTrue(form.indexOf("id=\"suspension-note\"") < form.indexOf("id=\"suspend-tenant\""), form);
        String help = element(html, "p", "suspension-note-help");
        assertTrue(help.contains("500 characters") && help.contains("console pages") && help.contains("API keys")
                && help.contains("webhook"), help);
        assertTrue(form.contains("aria-describedby=\"suspension-note-help\""), form);
        assertFalse(html.contains("suspension-note-form"), "an active tenant has no note to change");
        assertFalse(html.contains("tenant-suspension-note"), "nor one to show");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void suspendingSendsTheNoteWithTheStatus() {
        PlatformApiStub.json(api, patch(urlPathEqualTo("/admin/v1/tenants/acme")), 200, SUSPENDED);
        Csrf.from("/admin/tenants/acme").form().formParam("status", "suspended")
                .formParam("suspension_note", "  Unusual traffic: call ops@aiaas.test.\r\nTicket 42 ")
                .when().post("/admin/tenants/acme/status")
                .then().statusCode(303).header("Location", endsWith("/admin/tenants/acme"));
        // trimmed, its line break as one character (as the textarea's maxlength counted it)
        api.verify(patchRequestedFor(urlPathEqualTo("/admin/v1/tenants/acme")).withRequestBody(equalToJson(
                "{\"status\":\"suspended\","
                        + "\"suspension_note\":\"Unusual traffic: call ops@aiaas.test.\\nTicket 42\"}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anEmptyNoteSuspendsWithoutOne() {
        PlatformApiStub.json(api, patch(urlPathEqualTo("/admin/v1/tenants/acme")), 200, SUSPENDED);
        Csrf.from("/admin/tenants/acme").form().formParam("status", "suspended").formParam("suspension_note", "  ")
                .when().post("/admin/tenants/acme/status")
                .then().statusCode(303);
        api.verify(patchRequestedFor(urlPathEqualTo("/admin/v1/tenants/acme"))
                .withRequestBody(equalToJson("{\"status\":\"suspended\"}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void resumingSendsTheStatusAlone() {
        suspendedWith("Unusual traffic");
        PlatformApiStub.json(api, patch(urlPathEqualTo("/admin/v1/tenants/acme")), 200, AdminTenantsResourceTest.ACME);
        Csrf.from("/admin/tenants/acme").form().formParam("status", "active")
                .when().post("/admin/tenants/acme/status")
                .then().statusCode(303);
        api.verify(patchRequestedFor(urlPathEqualTo("/admin/v1/tenants/acme"))
                .withRequestBody(equalToJson("{\"status\":\"active\"}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aSuspendedTenantShowsItsNoteEscapedAndOffersChangingOrRemovingIt() {
        suspendedWith("Call <b>ops</b> & \\\"Bob\\\"");
        String html = given().when().get("/admin/tenants/acme").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<q class=\"suspension-note\" id=\"tenant-suspension-note\">"
                + "Call &lt;b&gt;ops&lt;/b&gt; &amp; &quot;Bob&quot;</q>"), html);
        assertFalse(html.contains("<b>ops</b>"), "never raw HTML");
        String form = element(html, "form", "suspension-note-form");
        assertTrue(form.contains("action=\"/admin/tenants/acme/suspension-note\""), form);
        assertTrue(form.contains("name=\"csrf-token\""), form);
        assertEquals("Call &lt;b&gt;ops&lt;/b&gt; &amp; &quot;Bob&quot;", textarea(html, "suspension-note"));
        assertTrue(form.contains("<button id=\"suspension-note-submit\" type=\"submit\">Save note</button>"), form);
        String remove = element(html, "form", "suspension-note-remove-form");
        assertTrue(remove.contains("<input type=\"hidden\" name=\"suspension_note\" value=\"\">")
                && remove.contains("id=\"suspension-note-remove\""), remove);
        assertTrue(html.contains("id=\"resume-tenant\""), html);
        assertFalse(html.contains("id=\"suspend-tenant\""), html);
        assertFalse(html.contains("tenant-suspension-note-none"), html);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aSuspensionWithoutANoteSaysSoAndOffersAddingOne() {
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 200, SUSPENDED);
        String html = given().when().get("/admin/tenants/acme").then().statusCode(200).extract().asString();
        assertTrue(html.contains("id=\"tenant-suspension-note-none\">No note: the tenant is told only that it is"
                + " suspended.</p>"), html);
        assertEquals("", textarea(html, "suspension-note"));
        assertTrue(element(html, "form", "suspension-note-form").contains("Add a note"), html);
        assertFalse(html.contains("suspension-note-remove"), "nothing to remove");
        assertFalse(html.contains("id=\"tenant-suspension-note\""), html);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aTenantSuspendedForNotPayingIsNotOfferedANote() {
        // a note would make platform-api's suspension an operator's, no longer lifted by the payment
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 200,
                SUSPENDED.replace("\"status\":\"suspended\"",
                        "\"status\":\"suspended\",\"suspended_reason\":\"non_payment\""));
        String html = given().when().get("/admin/tenants/acme").then().statusCode(200).extract().asString();
        assertTrue(html.contains("id=\"tenant-suspended-reason\""), html);
        assertTrue(html.contains("id=\"resume-tenant\""), html);
        assertFalse(html.contains("suspension-note"), html);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void changingTheNoteSendsItAlone() {
        suspendedWith("Unusual traffic");
        PlatformApiStub.json(api, patch(urlPathEqualTo("/admin/v1/tenants/acme")), 200, SUSPENDED);
        Csrf.from("/admin/tenants/acme").form().formParam("suspension_note", " Paused while we investigate. ")
                .when().post("/admin/tenants/acme/suspension-note")
                .then().statusCode(303).header("Location", endsWith("/admin/tenants/acme"));
        api.verify(patchRequestedFor(urlPathEqualTo("/admin/v1/tenants/acme"))
                .withRequestBody(equalToJson("{\"suspension_note\":\"Paused while we investigate.\"}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void removingTheNoteSendsItEmpty() {
        suspendedWith("Unusual traffic");
        PlatformApiStub.json(api, patch(urlPathEqualTo("/admin/v1/tenants/acme")), 200, SUSPENDED);
        Csrf.from("/admin/tenants/acme").form().formParam("suspension_note", "")
                .when().post("/admin/tenants/acme/suspension-note")
                .then().statusCode(303);
        api.verify(patchRequestedFor(urlPathEqualTo("/admin/v1/tenants/acme"))
                .withRequestBody(equalToJson("{\"suspension_note\":\"\"}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRefusedNoteChangeIsShownWithWhatWasTyped() {
        suspendedWith("Unusual traffic");
        PlatformApiStub.invalid(api, patch(urlPathEqualTo("/admin/v1/tenants/acme")),
                "suspension_note: size must be between 0 and 500", "suspension_note", "size must be between 0 and 500");
        String html = Csrf.from("/admin/tenants/acme").form().formParam("suspension_note", "Typed <i>again</i>")
                .when().post("/admin/tenants/acme/suspension-note")
                .then().statusCode(400).extract().asString();
        assertTrue(html.contains("<p class=\"error\" role=\"alert\" id=\"suspension-note-form-error\">"
                + "suspension_note: size must be between 0 and 500"), html);
        assertTrue(html.contains("<div class=\"field-error\" id=\"suspension-note-error\">size must be between 0"
                + " and 500</div>"), html);
        assertEquals("Typed &lt;i&gt;again&lt;/i&gt;", textarea(html, "suspension-note"), "what was typed, not the"
                + " note platform-api still has");
        assertTrue(element(html, "textarea", "suspension-note").contains("aria-invalid=\"true\""), html);
        assertFalse(html.contains("tenant-status-form-error"), "the refusal belongs to the note's form");
        assertTrue(html.contains("id=\"tenant-month-requests\">12,345<"), "the rest of the page as before");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRefusedSuspensionKeepsTheTypedNoteAndShowsTheDetail() {
        PlatformApiStub.problem(api, patch(urlPathEqualTo("/admin/v1/tenants/acme")), 400,
                "suspension_note_without_suspension", "A suspension note is told to a suspended tenant");
        String html = Csrf.from("/admin/tenants/acme").form().formParam("status", "suspended")
                .formParam("suspension_note", "Unusual <traffic>")
                .when().post("/admin/tenants/acme/status")
                .then().statusCode(400).extract().asString();
        assertTrue(html.contains("<p class=\"error\" role=\"alert\" id=\"tenant-status-form-error\">"
                + "A suspension note is told to a suspended tenant</p>"), html);
        assertEquals("Unusual &lt;traffic&gt;", textarea(html, "suspension-note"));
        assertTrue(element(html, "form", "tenant-status-form").contains("id=\"suspend-tenant\""), html);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aNoteRefusedBecauseTheTenantWasResumedMeanwhileIsStillShown() {
        // the page was opened while acme was suspended; someone resumed it since
        PlatformApiStub.problem(api, patch(urlPathEqualTo("/admin/v1/tenants/acme")), 400,
                "suspension_note_without_suspension", "A suspension note is told to a suspended tenant");
        String html = Csrf.fabricated().form().formParam("suspension_note", "Too late")
                .when().post("/admin/tenants/acme/suspension-note")
                .then().statusCode(400).extract().asString();
        assertTrue(html.contains("<p class=\"error\" role=\"alert\" id=\"suspension-note-form-error\">"
                + "A suspension note is told to a suspended tenant</p>"), html);
        assertFalse(html.contains("id=\"suspension-note-form\""), "no note form for an active tenant");
        assertTrue(html.contains("id=\"suspend-tenant\""), html);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aNoteOverFiveHundredCharactersIsRefusedWithoutAskingThePlatform() {
        suspendedWith("Unusual traffic");
        String typed = "x".repeat(501);
        String html = Csrf.from("/admin/tenants/acme").form().formParam("suspension_note", typed)
                .when().post("/admin/tenants/acme/suspension-note")
                .then().statusCode(400).extract().asString();
        assertTrue(html.contains("id=\"suspension-note-error\">at most 500 characters (this one has 501)</div>"),
                html);
        assertTrue(html.contains("id=\"suspension-note-form-error\""), html);
        assertEquals(typed, textarea(html, "suspension-note"));

        html = Csrf.from("/admin/tenants/acme").form().formParam("status", "suspended")
                .formParam("suspension_note", typed)
                .when().post("/admin/tenants/acme/status")
                .then().statusCode(400).extract().asString();
        assertTrue(html.contains("id=\"tenant-status-form-error\""), html);
        api.verify(0, patchRequestedFor(urlPathEqualTo("/admin/v1/tenants/acme")));

        // 500 with a line break a browser posts as CR LF is 500 as the textarea and platform-api count it
        PlatformApiStub.json(api, patch(urlPathEqualTo("/admin/v1/tenants/acme")), 200, SUSPENDED);
        Csrf.from("/admin/tenants/acme").form().formParam("suspension_note", "x".repeat(249) + "\r\n" + "y".repeat(250))
                .when().post("/admin/tenants/acme/suspension-note")
                .then().statusCode(303);
        api.verify(1, patchRequestedFor(urlPathEqualTo("/admin/v1/tenants/acme")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantAdminCannotChangeTheNote() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin:suspended");
        Csrf.fabricated().form().formParam("suspension_note", "")
                .when().post("/admin/tenants/acme/suspension-note")
                .then().statusCode(403);
        api.verify(0, patchRequestedFor(urlPathEqualTo("/admin/v1/tenants/acme")));
    }
}
