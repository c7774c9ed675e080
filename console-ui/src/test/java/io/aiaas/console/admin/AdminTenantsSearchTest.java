package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import io.aiaas.console.testsupport.Csrf;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin's tenant list: search by slug or name and status, pages of 100, the non-payment note. */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminTenantsSearchTest {

    private static final MappingBuilder LIST = get(urlPathEqualTo("/admin/v1/tenants"));
    private static final Pattern ROW = Pattern.compile("<tr data-slug=\"([^\"]+)\">");

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.me(api, "admin@aiaas.test", true);
    }

    /** A tenant as platform-api lists it; {@code reason} is its suspended_reason, or null. */
    static String tenant(String slug, String name, String status, String reason) {
        return """
                {"id":"%s","slug":"%s","name":"%s","status":"%s","time_zone":"UTC","plan":null,"next_plan":null,
                 "created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"%s}"""
                .formatted(java.util.UUID.nameUUIDFromBytes(slug.getBytes()), slug, name, status,
                        reason == null ? "" : ",\"suspended_reason\":\"" + reason + "\"");
    }

    /** {@code count} active tenants t000, t001, … as one JSON array. */
    static String tenants(int first, int count) {
        List<String> all = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            String slug = "t%03d".formatted(i);
            all.add(tenant(slug, "Tenant " + i, "active", null));
        }
        return "[" + String.join(",", all) + "]";
    }

    private static List<String> rows(String html) {
        List<String> slugs = new ArrayList<>();
        Matcher m = ROW.matcher(html);
        while (m.find()) {
            slugs.add(m.group(1));
        }
        return slugs;
    }

    /** The list page with these query parameters (name, value, name, value…), encoded as a browser's form does. */
    private String page(int status, String... params) {
        var request = given();
        for (int i = 0; i + 1 < params.length; i += 2) {
            request.queryParam(params[i], params[i + 1]);
        }
        return request.when().get("/admin/tenants").then().statusCode(status).extract().asString();
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theFirstPageAsksForOneMoreThanAPageAndNothingElse() {
        PlatformApiStub.json(api, LIST, 200, "[" + tenant("acme", "Acme Corp", "active", null) + ","
                + tenant("globex", "Globex", "suspended", null) + "]");
        String html = page(200);
        api.verify(getRequestedFor(urlPathEqualTo("/admin/v1/tenants")).withQueryParam("limit", equalTo("101"))
                .withQueryParam("q", absent()).withQueryParam("status", absent())
                .withQueryParam("after", absent()));
        assertEquals(List.of("acme", "globex"), rows(html));
        assertTrue(html.contains("<p id=\"tenants-shown\" role=\"status\">2 tenants.</p>"), html);
        assertFalse(html.contains("id=\"tenants-next\""), "a short page is the last one");
        assertFalse(html.contains("id=\"tenants-first\""), "this is the first page");
        assertFalse(html.contains("id=\"tenant-search-clear\""), "nothing to clear");
        assertTrue(html.contains("<a id=\"tenants-suspended-link\" href=\"/admin/tenants?status=suspended\""), html);
        assertTrue(html.contains("<form id=\"tenant-search\" method=\"get\" action=\"/admin/tenants\""), html);
        assertTrue(html.contains("<option value=\"\" selected>Any</option>"), html);
        assertFalse(html.contains("id=\"tenant-search-error\""), html);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theSearchPassesTextAndStatusOnAndKeepsThemInTheForm() {
        PlatformApiStub.json(api, LIST, 200, "[" + tenant("acme", "Acme Corp", "suspended", null) + "]");
        String html = page(200, "q", " Acme & co ", "status", "suspended");
        api.verify(getRequestedFor(urlPathEqualTo("/admin/v1/tenants")).withQueryParam("q", equalTo("Acme & co"))
                .withQueryParam("status", equalTo("suspended")).withQueryParam("limit", equalTo("101"))
                .withQueryParam("after", absent()));
        assertTrue(html.contains("<input id=\"tenant-search-q\" name=\"q\" type=\"search\" value=\"Acme &amp; co\""),
                html);
        assertTrue(html.contains("<option value=\"suspended\" selected>Suspended</option>"), html);
        assertTrue(html.contains("<option value=\"active\" >Active</option>"), html);
        assertTrue(html.contains("id=\"tenants-shown\" role=\"status\">1 tenant matching “Acme &amp; co” with status"
                + " suspended.</p>"), html);
        assertTrue(html.contains("<a id=\"tenant-search-clear\" href=\"/admin/tenants\">"), html);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aSearchWithNoMatchSaysSo() {
        PlatformApiStub.json(api, LIST, 200, "[]");
        String html = page(200, "q", "xyz", "status", "closed");
        assertTrue(html.contains("id=\"tenants-shown\" role=\"status\">No tenant matching “xyz” with status closed.</p>"),
                html);
        assertEquals(List.of(), rows(html));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void moreThanAPageShowsAHundredAndLinksTheNextAfterTheLastSlugShown() {
        PlatformApiStub.json(api, LIST, 200, tenants(0, 101));
        // as the browser submits the form: a space as "+"
        String html = given().urlEncodingEnabled(false).when().get("/admin/tenants?q=t+0&status=active&after=")
                .then().statusCode(200).extract().asString();
        api.verify(getRequestedFor(urlPathEqualTo("/admin/v1/tenants")).withQueryParam("q", equalTo("t 0"))
                .withQueryParam("status", equalTo("active")).withQueryParam("after", absent()));
        List<String> shown = rows(html);
        assertEquals(100, shown.size());
        assertEquals("t000", shown.get(0));
        assertEquals("t099", shown.get(99));
        assertFalse(html.contains("data-slug=\"t100\""), "the one more asked for only says there is a next page");
        assertTrue(html.contains("<a id=\"tenants-next\" href=\"/admin/tenants?q=t+0&amp;status=active&amp;after=t099\""
                + " rel=\"next\">Next</a>"), html);
        assertTrue(html.contains("id=\"tenants-shown\" role=\"status\">100 tenants matching “t 0” with status active"
                + " shown, more on the next page.</p>"), html);
        assertFalse(html.contains("id=\"tenants-first\""), html);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void exactlyAPageHasNoNextLink() {
        PlatformApiStub.json(api, LIST, 200, tenants(0, 100));
        String html = page(200);
        assertEquals(100, rows(html).size());
        assertFalse(html.contains("id=\"tenants-next\""), html);
        assertTrue(html.contains("id=\"tenants-shown\" role=\"status\">100 tenants.</p>"), html);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theNextPageAsksAfterTheSlugAndLinksBackToTheFirst() {
        PlatformApiStub.json(api, LIST, 200, tenants(100, 3));
        String html = page(200, "q", "t", "after", "t099");
        api.verify(getRequestedFor(urlPathEqualTo("/admin/v1/tenants")).withQueryParam("after", equalTo("t099"))
                .withQueryParam("q", equalTo("t")).withQueryParam("status", absent())
                .withQueryParam("limit", equalTo("101")));
        assertEquals(List.of("t100", "t101", "t102"), rows(html));
        assertTrue(html.contains("<a id=\"tenants-first\" href=\"/admin/tenants?q=t\">First page</a>"), html);
        assertFalse(html.contains("id=\"tenants-next\""), "the last page");
        assertTrue(html.contains("id=\"tenants-shown\" role=\"status\">3 tenants matching “t” after “t099”.</p>"),
                html);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aTenantSuspendedForNonPaymentSaysWhyBesideItsBadge() {
        PlatformApiStub.json(api, LIST, 200, "[" + tenant("acme", "Acme Corp", "suspended", null) + ","
                + tenant("globex", "Globex", "suspended", "non_payment") + "]");
        String html = page(200, "status", "suspended");
        String globex = html.substring(html.indexOf("<tr data-slug=\"globex\">"));
        globex = globex.substring(0, globex.indexOf("</tr>"));
        assertTrue(globex.contains("<span class=\"badge suspended\">suspended</span> <span class=\"suspended-non-payment\""),
                globex);
        assertTrue(globex.contains(">for non-payment</span>"), globex);
        String acme = html.substring(html.indexOf("<tr data-slug=\"acme\">"), html.indexOf("<tr data-slug=\"globex\">"));
        assertTrue(acme.contains("<span class=\"badge suspended\">suspended</span>"), acme);
        assertFalse(acme.contains("suspended-non-payment"), "suspended by an admin: no note");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theApisRefusalIsShownBesideTheSearchWithNoTenants() {
        PlatformApiStub.problem(api, LIST, 400, "invalid_parameter", "after must be a tenant slug");
        String html = page(400, "after", "NOT A SLUG", "q", "acme");
        assertTrue(html.contains("<p class=\"error\" role=\"alert\" id=\"tenant-search-error\">after must be a tenant"
                + " slug</p>"), html);
        assertEquals(List.of(), rows(html));
        assertFalse(html.contains("id=\"tenants-shown\""), html);
        assertFalse(html.contains("id=\"tenants-next\""), html);
        assertTrue(html.contains("value=\"acme\""), "what was typed stays");
        assertTrue(html.contains("id=\"create-tenant\""), "the rest of the page as usual");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anUnknownStatusIsRefusedWithoutAskingThePlatform() {
        PlatformApiStub.json(api, LIST, 200, tenants(0, 2));
        String html = page(400, "status", "deleted", "q", "acme");
        assertTrue(html.contains("id=\"tenant-search-error\">Unknown status “deleted”: choose any, active, suspended or"
                + " closed.</p>"), html);
        assertEquals(List.of(), rows(html));
        assertTrue(html.contains("<option value=\"\" selected>Any</option>"), html);
        api.verify(0, getRequestedFor(urlPathEqualTo("/admin/v1/tenants")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anOverlongSearchIsRefusedWithoutAskingThePlatform() {
        PlatformApiStub.json(api, LIST, 200, tenants(0, 2));
        String html = page(400, "q", "a".repeat(101));
        assertTrue(html.contains("id=\"tenant-search-error\">Search with at most 100 characters.</p>"), html);
        api.verify(0, getRequestedFor(urlPathEqualTo("/admin/v1/tenants")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRefusedCreateStillListsTheFirstPageUnfiltered() {
        PlatformApiStub.json(api, LIST, 200, tenants(0, 101));
        PlatformApiStub.problem(api, post(urlPathEqualTo("/admin/v1/tenants")), 409, "tenant_exists",
                "A tenant with slug 't001' exists");
        Csrf csrf = Csrf.from("/admin/tenants");
        api.resetRequests();
        String html = csrf.form().formParam("slug", "t001").formParam("name", "Again")
                .when().post("/admin/tenants")
                .then().statusCode(409).extract().asString();
        assertTrue(html.contains("<p class=\"error\" role=\"alert\" id=\"create-tenant-error\">A tenant with slug"
                + " &#39;t001&#39; exists</p>"), html);
        assertTrue(html.contains("<input id=\"tenant-slug\" name=\"slug\" value=\"t001\""), html);
        assertTrue(html.contains("<input id=\"tenant-name\" name=\"name\" value=\"Again\""), html);
        assertTrue(html.contains("id=\"create-tenant-submit\""), html);
        assertEquals(100, rows(html).size());
        assertTrue(html.contains("<a id=\"tenants-next\" href=\"/admin/tenants?after=t099\""), html);
        assertTrue(html.contains("id=\"tenant-search\""), html);
        assertFalse(html.contains("id=\"tenant-search-error\""), "the refusal belongs to the create form");
        api.verify(1, getRequestedFor(urlPathEqualTo("/admin/v1/tenants")).withQueryParam("limit", equalTo("101"))
                .withQueryParam("q", absent()).withQueryParam("status", absent())
                .withQueryParam("after", absent()));
    }
}
