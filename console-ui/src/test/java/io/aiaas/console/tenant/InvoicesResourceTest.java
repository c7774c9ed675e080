package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class InvoicesResourceTest {

    static final String ID = "5b9c1f0e-7a2d-4c3b-8e1f-0a9b8c7d6e5f";
    static final String BASE = "/api/v1/tenants/acme/invoices/" + ID;
    static final String INVOICE = """
            {"id":"%s","number":"INV-2026-10-acme-1","tenant":"acme","period":"2026-10","kind":"INVOICE",
             "state":"FINALIZED","currency":"USD","period_start":"2026-10-01T00:00:00Z",
             "period_end":"2026-11-01T00:00:00Z","usage_nanos":4500000,"adjustment_nanos":0,
             "fee_nanos":5000000000,"credit_nanos":-4500000,"total_nanos":5000000000,"total_minor":500,
             "total":"5.00","created_at":"2026-11-01T00:10:00Z","finalized_at":"2026-11-01T00:10:00Z",
             "lines":[
              {"line_no":1,"kind":"fee","quantity":1,"amount_nanos":5000000000,"amount":"5.00",
               "description":"Monthly fee, plan Basic"},
              {"line_no":2,"kind":"usage","model":"iris","component":"requests","quantity":3000,
               "amount_nanos":4500000,"amount":"0.0045","description":"iris, requests"},
              {"line_no":3,"kind":"credit","quantity":0,"amount_nanos":-4500000,"amount":"-0.0045",
               "description":"Included credit"}]}""".formatted(ID);

    static final String UPCOMING_PATH = "/api/v1/tenants/acme/invoices/upcoming";
    /**
     * November so far as {@code GET .../invoices/upcoming} answers it: no id or number (left out, as platform-api
     * leaves nulls out), state PREVIEW, and a line of every kind.
     */
    static final String UPCOMING = """
            {"tenant":"acme","period":"2026-11","kind":"INVOICE","state":"PREVIEW","currency":"USD",
             "plan_id":"7e57ab1e-0000-4000-8000-000000000001","period_start":"2026-11-01T00:00:00Z",
             "period_end":"2026-12-01T00:00:00Z","usage_nanos":6000000,"adjustment_nanos":-1000000,
             "fee_nanos":5000000000,"credit_nanos":-2510000000,"total_nanos":2395000000,"total_minor":240,
             "total":"2.40",
             "lines":[
              {"line_no":1,"kind":"fee","quantity":1,"amount_nanos":5000000000,"amount":"5.00",
               "description":"Monthly fee, plan Basic"},
              {"line_no":2,"kind":"usage","model":"iris","component":"requests","quantity":4000,
               "amount_nanos":6000000,"amount":"0.006","description":"iris, requests"},
              {"line_no":3,"kind":"adjustment","model":"iris","component":"requests","quantity":4000,
               "amount_nanos":-1000000,"amount":"-0.001","description":"iris, requests: volume tier"},
              {"line_no":4,"kind":"credit","quantity":0,"amount_nanos":-10000000,"amount":"-0.01",
               "description":"Included credit"},
              {"line_no":5,"kind":"grant","quantity":0,"amount_nanos":-2500000000,"amount":"-2.50",
               "description":"Credit grant: launch promotion"},
              {"line_no":6,"kind":"correction","quantity":0,"amount_nanos":-100000000,"amount":"-0.10",
               "description":"Correction"}]}""";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:member");
        PlatformApiStub.json(api, get(urlPathEqualTo(BASE)), 200, INVOICE);
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/credits")), 200,
                "{\"balances\":[],\"grants\":[]}");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/invoices")), 200,
                "[" + INVOICE.replaceAll("(?s),\"lines\":\\[.*\\]", "") + "]");
        PlatformApiStub.json(api, get(urlPathEqualTo(UPCOMING_PATH)), 200, UPCOMING);
    }

    /** The text of the paragraph with this id, the tags inside it (e.g. strong) stripped, or null. */
    private static String paragraph(String html, String id) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<p id=\"" + id + "\"[^>]*>(.*?)</p>",
                java.util.regex.Pattern.DOTALL).matcher(html);
        return m.find() ? m.group(1).replaceAll("<[^>]+>", "").trim() : null;
    }

    static final String GRANT_ID = "a1a1a1a1-0000-4000-8000-000000000001";
    static final String VOIDED_ID = "a1a1a1a1-0000-4000-8000-000000000003";

    @Test
    @TestSecurity(user = "alice")
    void theListShowsTheCreditLeftAndTheGrantsBehindIt() {
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/credits")), 200, "{\"balances\":["
                + "{\"currency\":\"USD\",\"remaining_nanos\":2500000000,\"remaining\":\"2.50\"}],\"grants\":["
                + PlatformApiStub.creditGrant(GRANT_ID, "acme", "USD", "4.00", "2.50", "launch promotion", "active",
                        "2099-01-31T00:00:00Z", null) + ","
                + PlatformApiStub.creditGrant(VOIDED_ID, "acme", "USD", "5.00", "5.00", "goodwill", "voided", null,
                        null) + "]}");
        String html = given().when().get("/t/acme/invoices").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<section class=\"card\" id=\"credit-balance\""), html);
        assertEquals("$2.50 of credit left.", paragraph(html, "credit-balance-left"));
        String table = html.substring(html.indexOf("<table id=\"tenant-credit-grants\">"),
                html.indexOf("<table id=\"invoices\">"));
        String grant = table.substring(table.indexOf("data-grant-id=\"" + GRANT_ID + "\""));
        assertTrue(grant.contains("<td>launch promotion</td>") && grant.contains("<td class=\"num\">$4.00</td>")
                && grant.contains("<td class=\"num\">$2.50</td>")
                && grant.contains("<span class=\"badge active\">active</span>")
                && grant.contains("<time datetime=\"2099-01-31T00:00:00Z\">2099-01-31 00:00</time>"), grant);
        assertTrue(table.contains("data-grant-id=\"" + VOIDED_ID + "\"")
                && table.contains("<span class=\"badge voided\">voided</span>"), table);
        assertFalse(table.contains("<form") || table.contains("Void"), "members only read their credit");
        assertTrue(html.contains("<table id=\"invoices\">"), "the invoices as before");
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantWhoseCreditIsUsedUpIsToldSoAndOneNeverGivenAnySeesNoSection() {
        String none = given().when().get("/t/acme/invoices").then().statusCode(200).extract().asString();
        assertFalse(none.contains("credit-balance"), none);
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/credits")), 200,
                "{\"balances\":[],\"grants\":[" + PlatformApiStub.creditGrant(GRANT_ID, "acme", "USD", "4.00",
                        "0.00", "prepaid", "spent", null, null) + "]}");
        String spent = given().when().get("/t/acme/invoices").then().statusCode(200).extract().asString();
        assertEquals("No credit left.", paragraph(spent, "credit-balance-left"));
        assertTrue(spent.contains("<span class=\"badge spent\">spent</span>"), spent);
    }

    @Test
    @TestSecurity(user = "alice")
    void creditThatCannotBeReadDoesNotHideTheInvoices() {
        PlatformApiStub.problem(api, get(urlPathEqualTo("/api/v1/tenants/acme/credits")), 503, "unavailable",
                "credit store busy");
        String html = given().when().get("/t/acme/invoices").then().statusCode(200).extract().asString();
        assertEquals("The credit could not be read: credit store busy", Forms.text(html, "credit-balance-error"));
        assertTrue(html.contains("INV-2026-10-acme-1"), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void anInvoiceShowsWhatItDrewOnACreditGrantAsACreditLine() {
        PlatformApiStub.json(api, get(urlPathEqualTo(BASE)), 200, INVOICE.replace("\"total_nanos\":5000000000",
                "\"total_nanos\":2500000000").replace("\"total\":\"5.00\"", "\"total\":\"2.50\"")
                .replace("\"credit_nanos\":-4500000", "\"credit_nanos\":-2504500000")
                .replace("\"description\":\"Included credit\"}]", "\"description\":\"Included credit\"},"
                        + "{\"line_no\":4,\"kind\":\"grant\",\"quantity\":0,\"amount_nanos\":-2500000000,"
                        + "\"amount\":\"-2.50\",\"description\":\"Credit grant: launch promotion\"}]"));
        String html = given().when().get("/t/acme/invoices/" + ID).then().statusCode(200).extract().asString();
        assertEquals("$2.50", Forms.text(html, "invoice-total"));
        assertEquals("-$2.50", Forms.text(html, "invoice-credit"), "the invoice's credit counts what it drew");
        String line = html.substring(html.indexOf("<tr data-line=\"4\">"));
        line = line.substring(0, line.indexOf("</tr>"));
        assertTrue(line.contains("<td>Credit grant: launch promotion</td>") && line.contains("<td>Credit grant</td>")
                && line.contains("<td class=\"num\"></td>") && line.contains("<td class=\"num\">-$2.50</td>"),
                line);
        assertFalse(line.contains("line-usage"), "no calls behind it");
    }

    @Test
    @TestSecurity(user = "alice")
    void theListLinksEachInvoiceWithItsStateAndTotal() {
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/invoices")), 200,
                "[" + INVOICE.replaceAll("(?s),\"lines\":\\[.*\\]", "") + "]");
        given().when().get("/t/acme/invoices").then().statusCode(200)
                .body(containsString("<table id=\"invoices\">"))
                .body(containsString("<a class=\"invoice-link\" href=\"/t/acme/invoices/" + ID
                        + "\">INV-2026-10-acme-1</a>"))
                .body(containsString("<span class=\"badge finalized\">finalized</span>"))
                .body(containsString("<td class=\"num\">$5.00</td>"))
                .body(containsString("2026-11-01"));
    }

    @Test
    @TestSecurity(user = "alice")
    void anInvoiceShowsItsTotalFeeCreditLinesAndLinksToTheCallsBehindUsageLines() {
        String html = given().when().get("/t/acme/invoices/" + ID).then().statusCode(200)
                .body(containsString("<a id=\"invoice-csv\" class=\"button\" href=\"/t/acme/invoices/" + ID + ".csv\""))
                .body(containsString("<a id=\"invoice-pdf\" class=\"button\" href=\"/t/acme/invoices/" + ID + ".pdf\""))
                .extract().asString();
        assertEquals("$5.00", Forms.text(html, "invoice-total"));
        assertEquals("finalized", Forms.text(html, "invoice-state"));
        assertEquals("$5.00", Forms.text(html, "invoice-fee"));
        assertEquals("-$0.0045", Forms.text(html, "invoice-credit"), "a sub-cent amount is not rounded to zero");
        String lines = html.substring(html.indexOf("<table id=\"invoice-lines\">"));
        assertTrue(lines.contains("<td class=\"num\">3,000</td>") && lines.contains("$0.0045"), lines);
        assertEquals(1, lines.split("class=\"line-usage\"", -1).length - 1, "only the usage line drills down");
        assertTrue(lines.contains("href=\"/t/acme/invoices/" + ID + "/lines/2/usage\""), lines);
    }

    @Test
    @TestSecurity(user = "alice")
    void theCsvComesFromThePlatformUnderItsFileName() {
        api.stubFor(get(urlPathEqualTo(BASE + ".csv")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/csv; charset=utf-8")
                .withHeader("Content-Disposition", "attachment; filename=\"INV-2026-10-acme-1.csv\"")
                .withBody("invoice,line_no\r\nINV-2026-10-acme-1,1\r\n")));
        Response csv = given().when().get("/t/acme/invoices/" + ID + ".csv");
        assertEquals(200, csv.statusCode());
        assertEquals("attachment; filename=\"INV-2026-10-acme-1.csv\"", csv.header("Content-Disposition"));
        assertEquals("invoice,line_no\r\nINV-2026-10-acme-1,1\r\n", csv.asString());
    }

    @Test
    @TestSecurity(user = "alice")
    void thePdfComesFromThePlatformByteForByteUnderItsFileName() {
        byte[] document = "%PDF-1.7\n\u00e2\u00e3\u00cf\u00d3 not text\n%%EOF".getBytes(StandardCharsets.ISO_8859_1);
        api.stubFor(get(urlPathEqualTo(BASE + ".pdf")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/pdf")
                .withHeader("Content-Disposition", "attachment; filename=\"INV-2026-10-acme-1.pdf\"")
                .withBody(document)));
        Response pdf = given().when().get("/t/acme/invoices/" + ID + ".pdf");
        assertEquals(200, pdf.statusCode());
        assertEquals("application/pdf", pdf.contentType());
        assertEquals("attachment; filename=\"INV-2026-10-acme-1.pdf\"", pdf.header("Content-Disposition"));
        assertArrayEquals(document, pdf.asByteArray());
        // another tenant's (or no) invoice: the forbidden page, as for the invoice's own page
        PlatformApiStub.problem(api, get(urlPathEqualTo("/api/v1/tenants/acme/invoices/other.pdf")), 404,
                "invoice_not_found", "no invoice other");
        given().when().get("/t/acme/invoices/other.pdf").then().statusCode(403)
                .body(containsString("id=\"forbidden\"")).body(not(containsString("no invoice other")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aLinesCallsArePagedByRequestId() {
        String next = "0f000000-0000-4000-8000-000000000002";
        PlatformApiStub.json(api, get(urlPathEqualTo(BASE + "/lines/2/usage")), 200, """
                {"invoice":"%s","line_no":2,"model":"iris","next":"%s","rows":[
                  {"request_id":"0f000000-0000-4000-8000-000000000001","started_at":"2026-10-02T10:11:12Z",
                   "api_key_id":"3f2c5a4e-0b1d-4c8e-9a7f-1e2d3c4b5a69","model":"iris","model_version":2,
                   "status_code":200,"items":1,"compute_us":850,"currency":"USD","price_request":1500,
                   "price_item":null,"price_compute":null,"cost_request_nanos":1500,"cost_item_nanos":0,
                   "cost_compute_nanos":0,"cost_nanos":1500}]}""".formatted(ID, next));
        String html = given().when().get("/t/acme/invoices/" + ID + "/lines/2/usage").then().statusCode(200)
                .body(containsString("<table id=\"line-usage\">"))
                .body(containsString("<code>0f000000-0000-4000-8000-000000000001</code>"))
                .body(containsString("2026-10-02 10:11:12"))
                .body(containsString("$0.000002"))
                .body(containsString("iris, requests"))
                .extract().asString();
        assertTrue(html.contains("<a id=\"line-usage-next\" href=\"/t/acme/invoices/" + ID + "/lines/2/usage?after="
                + next + "\">"), html);
        assertFalse(html.contains("id=\"line-usage-first\""));
        api.verify(getRequestedFor(urlPathEqualTo(BASE + "/lines/2/usage"))
                .withQueryParam("limit", equalTo("100")).withQueryParam("after", absent()));

        given().when().get("/t/acme/invoices/" + ID + "/lines/2/usage?after=" + next).then().statusCode(200)
                .body(containsString("id=\"line-usage-first\""));
        api.verify(getRequestedFor(urlPathEqualTo(BASE + "/lines/2/usage")).withQueryParam("after", equalTo(next)));
    }

    @Test
    @TestSecurity(user = "alice")
    void callsOfAMonthWhoseRowsTheRetentionRemovedAreSaidWithThePlatformsDetail() {
        String detail = "The raw usage rows before 2026-11-01T00:00:00Z were removed by the platform's retention, so"
                + " the rows of invoice line 2 cannot be answered; the hourly roll-ups, the invoices and their lines"
                + " are kept";
        PlatformApiStub.problem(api, get(urlPathEqualTo(BASE + "/lines/2/usage")), 410, "usage_rows_expired", detail);
        String html = given().when().get("/t/acme/invoices/" + ID + "/lines/2/usage").then().statusCode(410)
                .extract().asString();
        assertTrue(html.contains("<p class=\"notice\" role=\"status\" id=\"invoice-line-rows-expired\">"
                + detail.replace("'", "&#39;") + "</p>"), html);
        assertTrue(html.contains("<h1>Calls behind line 2 · iris, requests</h1>"), html);
        assertTrue(html.contains("<a href=\"/t/acme/invoices/" + ID + "\">← INV-2026-10-acme-1</a>"), html);
        assertFalse(html.contains("id=\"line-usage\""), html);
        assertFalse(html.contains("id=\"error-message\""), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void anotherGoneAnswerOfTheCallsIsTheErrorPage() {
        PlatformApiStub.problem(api, get(urlPathEqualTo(BASE + "/lines/2/usage")), 410, "something_else", "Gone.");
        given().when().get("/t/acme/invoices/" + ID + "/lines/2/usage").then().statusCode(410)
                .body(containsString("id=\"error-message\""))
                .body(not(containsString("invoice-line-rows-expired")));
    }

    @Test
    @TestSecurity(user = "alice")
    void anotherTenantsInvoiceIsTheForbiddenPage() {
        PlatformApiStub.problem(api, get(urlPathEqualTo("/api/v1/tenants/acme/invoices/other")), 404,
                "invoice_not_found", "no invoice other");
        given().when().get("/t/acme/invoices/other").then().statusCode(403)
                .body(containsString("id=\"forbidden\""))
                .body(not(containsString("no invoice other")));
    }

    /** The row of the lines table for that line number. */
    private static String line(String html, int lineNo) {
        String row = html.substring(html.indexOf("<tr data-line=\"" + lineNo + "\">"));
        return row.substring(0, row.indexOf("</tr>"));
    }

    @Test
    @TestSecurity(user = "alice")
    void theUpcomingInvoiceShowsItsTotalsAndEveryKindOfLineWithoutCsvOrCalls() {
        String html = given().when().get("/t/acme/invoices/upcoming").then().statusCode(200)
                .body(containsString("<h1>Upcoming invoice, November 2026 (so far)</h1>"))
                .body(containsString("id=\"nav-invoices\" href=\"/t/acme/invoices\" aria-current=\"page\""))
                .extract().asString();
        String explanation = paragraph(html, "upcoming-explanation");
        assertTrue(explanation.startsWith("Computed now from this period's calls")
                && explanation.contains("ends with 30 Nov 2026 in the tenant's time zone (2026-12-01 00:00 UTC)")
                && explanation.contains("may differ from this one"), explanation);
        assertEquals("$2.40", Forms.text(html, "upcoming-total"));
        assertEquals("$5.00", Forms.text(html, "upcoming-fee"));
        assertEquals("$0.006 (volume tiers -$0.001)", Forms.text(html, "upcoming-usage"));
        assertEquals("-$2.51", Forms.text(html, "upcoming-credit"), "included credit and the grant drawn");
        assertTrue(line(html, 1).contains("<td>Monthly fee, plan Basic</td>") && line(html, 1).contains("$5.00"),
                line(html, 1));
        assertTrue(line(html, 2).contains("<td>usage · requests</td>") && line(html, 2).contains("4,000")
                && line(html, 2).contains("$0.006"), line(html, 2));
        assertTrue(line(html, 3).contains("<td>adjustment · requests</td>") && line(html, 3).contains("-$0.001"),
                line(html, 3));
        assertTrue(line(html, 4).contains("<td>Included credit</td>") && line(html, 4).contains("-$0.01"),
                line(html, 4));
        assertTrue(line(html, 5).contains("<td>Credit grant: launch promotion</td>")
                && line(html, 5).contains("<td>Credit grant</td>") && line(html, 5).contains("-$2.50"), line(html, 5));
        assertTrue(line(html, 6).contains("<td>correction</td>") && line(html, 6).contains("-$0.10"), line(html, 6));
        assertTrue(html.contains("<th scope=\"row\" colspan=\"4\">Total</th><td class=\"num\">$2.40</td></tr>"),
                html);
        // a preview has no id: no CSV and no calls behind its lines, whose links would need one
        assertFalse(html.contains("line-usage") || html.contains(">Calls<") || html.contains("invoice-csv")
                || html.contains("invoice-pdf") || html.contains("/invoices/null"), html);
        api.verify(getRequestedFor(urlPathEqualTo(UPCOMING_PATH)));
    }

    @Test
    @TestSecurity(user = "alice")
    void theListShowsTheUpcomingTotalSoFarAndLinksToIt() {
        String html = given().when().get("/t/acme/invoices").then().statusCode(200).extract().asString();
        assertEquals("$2.40 so far for November 2026, if the period ended now. See its lines",
                paragraph(html, "upcoming-so-far"));
        assertTrue(html.contains("<a id=\"upcoming-link\" href=\"/t/acme/invoices/upcoming\">"), html);
        assertTrue(html.indexOf("id=\"upcoming-summary\"") < html.indexOf("<table id=\"invoices\">"), "near the top");
        assertFalse(html.contains("upcoming-error"), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void anUpcomingInvoiceThatCannotBeReadLeavesTheListWorking() {
        PlatformApiStub.problem(api, get(urlPathEqualTo(UPCOMING_PATH)), 503, "unavailable", "usage store busy");
        String html = given().when().get("/t/acme/invoices").then().statusCode(200).extract().asString();
        assertEquals("The upcoming invoice could not be read: usage store busy", Forms.text(html, "upcoming-error"));
        assertFalse(html.contains("upcoming-link") || html.contains("upcoming-so-far"), html);
        assertTrue(html.contains("<a class=\"invoice-link\" href=\"/t/acme/invoices/" + ID
                + "\">INV-2026-10-acme-1</a>"), "the invoices as before: " + html);
    }

    @Test
    @TestSecurity(user = "bob")
    void anOutsiderGetsTheForbiddenPageForTheUpcomingInvoiceAndTheTenantIsNeverAsked() {
        PlatformApiStub.me(api, "bob@globex.test", false, "globex:admin");
        given().when().get("/t/acme/invoices/upcoming").then().statusCode(403)
                .body(containsString("id=\"forbidden\""))
                .body(not(containsString("Upcoming invoice")));
        api.verify(0, anyRequestedFor(urlPathMatching("/api/v1/tenants/.*")));
    }
}
