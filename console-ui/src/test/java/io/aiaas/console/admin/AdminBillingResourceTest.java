package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.Csrf;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.net.URI;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The billing list of the admin console: all tenants' invoices, the filters, closing a period; who may see it. */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminBillingResourceTest {

    static final String ID = "5b9c1f0e-7a2d-4c3b-8e1f-0a9b8c7d6e5f";
    static final String DRAFT_ID = "7c0d2e1f-8b3a-4d5c-9f2e-1b0a9c8d7e6f";
    static final String PLAN_ID = "6f1c1a52-8a1e-4a57-9d0e-1f4a3b2c1d00";

    /** An invoice view as platform-api gives it, with lines unless {@code lines} is null. */
    static String invoice(String id, String number, String tenant, String kind, String state, long totalNanos,
            String total, String extra, String lines) {
        return """
                {"id":"%s","number":"%s","tenant":"%s","period":"2026-10","kind":"%s","state":"%s","currency":"USD",
                 "plan_id":"%s","period_start":"2026-10-01T00:00:00Z","period_end":"2026-11-01T00:00:00Z",
                 "usage_nanos":4500000,"adjustment_nanos":0,"fee_nanos":5000000000,"credit_nanos":-4500000,
                 "total_nanos":%d,"total_minor":%d,"total":"%s","created_at":"2026-11-01T00:10:00Z"%s%s}"""
                .formatted(id, number, tenant, kind, state, PLAN_ID, totalNanos, totalNanos / 10_000_000, total,
                        extra == null ? "" : "," + extra, lines == null ? "" : ",\"lines\":" + lines);
    }

    static final String ACME = invoice(ID, "INV-2026-10-acme-1", "acme", "INVOICE", "FINALIZED", 5_000_000_000L,
            "5.00", "\"finalized_at\":\"2026-11-01T00:10:00Z\"", null);
    static final String GLOBEX = invoice(DRAFT_ID, "INV-2026-10-globex-1", "globex", "INVOICE", "DRAFT",
            12_340_000_000L, "12.34", null, null);

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
    }

    private void admin() {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/invoices")), 200, "[" + ACME + "," + GLOBEX + "]");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theListShowsEveryTenantsInvoicesWithStateTotalAndALinkToEach() {
        admin();
        String html = given().when().get("/admin/billing")
                .then().statusCode(200)
                .body(containsString("<table id=\"admin-invoices\">"))
                .body(containsString("<tr data-invoice-id=\"" + ID + "\" data-invoice-number=\"INV-2026-10-acme-1\">"))
                .body(containsString("<a class=\"invoice-link\" href=\"/admin/billing/invoices/" + ID
                        + "\">INV-2026-10-acme-1</a>"))
                .body(containsString("<a class=\"invoice-tenant\" href=\"/admin/billing?tenant=globex\""))
                .body(containsString("<span class=\"badge finalized\">finalized</span>"))
                .body(containsString("<span class=\"badge draft\">draft</span>"))
                .body(containsString("<td class=\"num\">$5.00</td>"))
                .body(containsString("<td class=\"num\">$12.34</td>"))
                .body(containsString("<time datetime=\"2026-11-01T00:10:00Z\">2026-11-01 00:10</time>"))
                .body(containsString("id=\"nav-admin-billing\" href=\"/admin/billing\" aria-current=\"page\""))
                .body(not(containsString("id=\"close-report\"")))
                .body(not(containsString("id=\"billing-filter-clear\"")))
                .extract().asString();
        // the close form: CSRF, a confirm, last month in UTC, drafts not ticked
        String close = html.substring(html.indexOf("<form id=\"close-period\""));
        assertTrue(close.contains("action=\"/admin/billing/close\""), close);
        assertTrue(close.contains("data-confirm=\"Close this period"), close);
        assertTrue(close.contains("name=\"csrf-token\""), close);
        assertTrue(close.contains("value=\"" + YearMonth.now(ZoneOffset.UTC).minusMonths(1) + "\""), close);
        assertTrue(close.contains("<input id=\"close-drafts\" name=\"draft\" type=\"checkbox\" value=\"true\" >"),
                close);
        api.verify(getRequestedFor(urlPathEqualTo("/admin/v1/invoices"))
                .withQueryParam("tenant", absent()).withQueryParam("period", absent()));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theFiltersAreSentAsTheTenantAndPeriodQueryAndKeptInTheForm() {
        admin();
        given().queryParam("tenant", " acme ").queryParam("period", "2026-10").when().get("/admin/billing")
                .then().statusCode(200)
                .body(containsString("id=\"filter-tenant\" name=\"tenant\" value=\"acme\""))
                .body(containsString("id=\"filter-period\" name=\"period\" type=\"month\" value=\"2026-10\""))
                .body(containsString("<a id=\"billing-filter-clear\" href=\"/admin/billing\">"));
        api.verify(1, getRequestedFor(urlPathEqualTo("/admin/v1/invoices"))
                .withQueryParam("tenant", equalTo("acme")).withQueryParam("period", equalTo("2026-10")));

        given().when().get("/admin/billing?tenant=&period=2026-09").then().statusCode(200);
        api.verify(getRequestedFor(urlPathEqualTo("/admin/v1/invoices"))
                .withQueryParam("tenant", absent()).withQueryParam("period", equalTo("2026-09")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aBadPeriodOrAnUnknownTenantIsShownBesideTheFilterNotAsAnErrorPage() {
        admin();
        PlatformApiStub.problem(api, get(urlPathEqualTo("/admin/v1/invoices")).withQueryParam("period",
                equalTo("2026-13")), 400, "invalid_parameter", "period must be a month such as 2026-11 (YYYY-MM)");
        given().when().get("/admin/billing?period=2026-13")
                .then().statusCode(400)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"billing-filter-error\">period must be a"
                        + " month such as 2026-11 (YYYY-MM)</p>"))
                .body(containsString("value=\"2026-13\""))
                .body(containsString("id=\"admin-invoices-none\">No invoices shown: the filter was refused."))
                .body(containsString("<form id=\"close-period\""))
                .body(not(containsString("INV-2026-10-acme-1")));

        PlatformApiStub.problem(api, get(urlPathEqualTo("/admin/v1/invoices")).withQueryParam("tenant",
                equalTo("nobody")), 404, "tenant_not_found", "No tenant 'nobody'");
        given().when().get("/admin/billing?tenant=nobody")
                .then().statusCode(404)
                .body(containsString("id=\"billing-filter-error\">No tenant &#39;nobody&#39;</p>"))
                .body(not(containsString("id=\"forbidden\"")))
                .body(containsString("<table id=\"admin-invoices\">"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void closingWithDraftsSendsThePeriodAndDraftAndShowsTheReportAfterTheRedirect() {
        admin();
        PlatformApiStub.json(api, post(urlPathEqualTo("/admin/v1/billing/close")), 200, """
                {"period":"2026-10","created":["INV-2026-10-acme-1","INV-2026-10-globex-1"],"already_closed":1,
                 "still_open":0,"busy":0}""");
        Csrf csrf = Csrf.from("/admin/billing");
        String location = csrf.form().formParam("period", " 2026-10 ").formParam("draft", "true")
                .when().post("/admin/billing/close")
                .then().statusCode(303).extract().header("Location");
        api.verify(1, postRequestedFor(urlPathEqualTo("/admin/v1/billing/close"))
                .withQueryParam("period", equalTo("2026-10")).withQueryParam("draft", equalTo("true")));

        String html = follow(location).then().statusCode(200).extract().asString();
        assertEquals("Period 2026-10 closed: 2 invoices created as drafts (finalize or void each one below): "
                + "INV-2026-10-acme-1, INV-2026-10-globex-1; 1 already closed, 0 still open.",
                text(html, "close-report"));
        assertEquals("2 invoices created", text(html, "close-created"));
        // the list shows the period that was closed
        api.verify(getRequestedFor(urlPathEqualTo("/admin/v1/invoices")).withQueryParam("period", equalTo("2026-10")));
        assertTrue(html.contains("id=\"filter-period\" name=\"period\" type=\"month\" value=\"2026-10\""), html);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void closingWithoutDraftsSendsNoDraftAndSaysWhatWasAlreadyClosed() {
        admin();
        PlatformApiStub.json(api, post(urlPathEqualTo("/admin/v1/billing/close")), 200, """
                {"period":"2026-09","created":[],"already_closed":3,"still_open":1,"busy":2}""");
        Csrf csrf = Csrf.from("/admin/billing");
        String location = csrf.form().formParam("period", "2026-09")
                .when().post("/admin/billing/close")
                .then().statusCode(303).extract().header("Location");
        api.verify(1, postRequestedFor(urlPathEqualTo("/admin/v1/billing/close"))
                .withQueryParam("period", equalTo("2026-09")).withQueryParam("draft", absent()));
        String html = follow(location).then().statusCode(200).extract().asString();
        assertEquals("Period 2026-09 closed: No invoice created; 3 already closed, 1 still open, 2 busy (closing"
                + " again retries them).", text(html, "close-report"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aReportOfManyInvoicesNamesTheFirstTwentyAndCountsTheRest() {
        admin();
        String created = IntStream.rangeClosed(1, 25).mapToObj(n -> "\"INV-2026-10-t" + n + "-1\"")
                .collect(Collectors.joining(","));
        PlatformApiStub.json(api, post(urlPathEqualTo("/admin/v1/billing/close")), 200,
                "{\"period\":\"2026-10\",\"created\":[" + created + "],\"already_closed\":0,\"still_open\":0,"
                        + "\"busy\":0}");
        String location = Csrf.from("/admin/billing").form().formParam("period", "2026-10")
                .when().post("/admin/billing/close")
                .then().statusCode(303).extract().header("Location");
        String html = follow(location).then().statusCode(200).extract().asString();
        String report = text(html, "close-report");
        assertTrue(report.startsWith("Period 2026-10 closed: 25 invoices created: INV-2026-10-t1-1, "), report);
        assertTrue(report.contains("INV-2026-10-t20-1 and 5 more; 0 already closed"), report);
        assertTrue(!report.contains("t21-1"), report);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aReportTheConsoleDidNotMakeIsNotShown() {
        admin();
        for (String query : new String[] {"closed=2026-10&created=1&numbers=%3Cscript%3E&already_closed=0"
                + "&still_open=0&busy=0", "closed=soon&created=1&already_closed=0&still_open=0&busy=0",
                "closed=2026-10&created=x&already_closed=0&still_open=0&busy=0"}) {
            follow("/admin/billing?" + query)
                    .then().statusCode(200)
                    .body(not(containsString("id=\"close-report\"")))
                    .body(not(containsString("<script>")));
        }
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPeriodThatHasNotEndedIsShownBesideTheCloseFormWithWhatWasTyped() {
        admin();
        PlatformApiStub.problem(api, post(urlPathEqualTo("/admin/v1/billing/close")), 409, "period_open",
                "The period 2030-01 has not ended yet");
        Csrf csrf = Csrf.from("/admin/billing");
        csrf.form().formParam("period", "2030-01").formParam("draft", "true")
                .when().post("/admin/billing/close")
                .then().statusCode(409)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"close-period-error\">The period 2030-01"
                        + " has not ended yet</p>"))
                .body(containsString("id=\"close-period-month\" name=\"period\" type=\"month\" value=\"2030-01\""))
                .body(containsString("type=\"checkbox\" value=\"true\" checked>"))
                .body(not(containsString("id=\"billing-filter-error\"")))
                .body(containsString("INV-2026-10-acme-1"));

        PlatformApiStub.problem(api, post(urlPathEqualTo("/admin/v1/billing/close")), 400, "invalid_parameter",
                "period must be a month such as 2026-11 (YYYY-MM)");
        csrf.form().formParam("period", "october")
                .when().post("/admin/billing/close")
                .then().statusCode(400)
                .body(containsString("id=\"close-period-error\">period must be a month"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantAdminGetsTheForbiddenPageOnEveryBillingPageAndNoCallIsMade() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/invoices")), 200, "[" + ACME + "]");
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/invoices/" + ID)), 200, ACME);
        for (String page : new String[] {"/admin/billing", "/admin/billing?tenant=acme",
                "/admin/billing/invoices/" + ID}) {
            given().when().get(page)
                    .then().statusCode(403)
                    .body(containsString("id=\"forbidden\""))
                    .body(not(containsString("INV-2026-10")))
                    .body(not(containsString("nav-admin-billing")));
        }
        Csrf csrf = Csrf.fabricated();
        csrf.form().formParam("period", "2026-10").formParam("draft", "true").when().post("/admin/billing/close")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        csrf.form().when().post("/admin/billing/invoices/" + ID + "/finalize")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        csrf.form().when().post("/admin/billing/invoices/" + ID + "/void")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        csrf.form().formParam("amount", "2.50").formParam("reason", "goodwill")
                .when().post("/admin/billing/invoices/" + ID + "/credit-notes")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/admin/v1/.*")));
    }

    /** GETs the page a redirect names, its query as the console wrote it. */
    static io.restassured.response.Response follow(String location) {
        URI uri = URI.create(location);
        return given().urlEncodingEnabled(false).redirects().follow(false).when()
                .get(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    /** The text of the element with this id (up to its own end tag), tags inside stripped, white space collapsed. */
    static String text(String html, String id) {
        Matcher m = Pattern.compile("<(\\w+)[^>]*\\sid=\"" + Pattern.quote(id) + "\"[^>]*>(.*?)</\\1>", Pattern.DOTALL)
                .matcher(html);
        return m.find() ? m.group(2).replaceAll("<[^>]+>", "").replaceAll("\\s+", " ").trim() : null;
    }
}
