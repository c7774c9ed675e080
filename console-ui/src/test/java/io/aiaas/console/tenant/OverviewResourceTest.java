package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
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
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class OverviewResourceTest {

    static final String PLAN = """
            {"as_of":"2026-11-20T10:00:00Z","time_zone":"UTC",
             "plan":{"id":"7d0b1c52-1111-4c5e-9d7e-000000000001","name":"Pro","revision":2,"currency":"USD",
               "effective_from":"2026-01-01T00:00:00Z","monthly_fee_micros":50000000,"monthly_fee":"50.00",
               "included_credit_micros":0,"included_credit":"0.00",
               "rate_limits":{"requests_per_minute_per_key":600,"requests_per_minute_per_tenant":1200,
                 "max_concurrent_requests":null},"prices":[]},
             "period":{"name":"2026-11","start":"2026-11-01T00:00:00+01:00","end":"2026-12-01T00:00:00+01:00"},
             "next_plan":null,
             "usage":{"requests":1200,"items":2400,"compute_us":5000,"compute_seconds":0.005,
               "cost_nanos":12345000000,"cost_micros":12345000,"cost":"12.345","currency":"USD"},
             "quotas":[{"metric":"compute_seconds","model":"iris","enforcement":"hard","unit":"second",
               "limit":3600,"used":2950.4,"remaining":649.6,"percent_used":81.96,"state":"warning"}],
             "budget":{"enforcement":"hard","limit_micros":100000000,"limit":"100.00","used_nanos":12345000000,
               "used_micros":12345000,"used":"12.345","remaining_micros":87655000,"remaining":"87.655",
               "percent_used":12.35,"state":"ok"}}""";

    static final String USAGE = """
            {"tenant":"acme","start":"2026-10-31T23:00:00Z","end":"2026-11-30T23:00:00Z","bucket_width":"1d",
             "group_by":null,
             "buckets":[
               {"start":"2026-11-03T00:00:00Z","end":"2026-11-04T00:00:00Z","group":null,"requests":1000,
                "billable_requests":990,"errors":10,"refused":4,"items":2000,"compute_ms":3.5,"bytes_in":10,
                "bytes_out":20,"cost_nanos":9900000000},
               {"start":"2026-11-17T00:00:00Z","end":"2026-11-18T00:00:00Z","group":null,"requests":234,
                "billable_requests":210,"errors":24,"refused":0,"items":400,"compute_ms":1.5,"bytes_in":1,
                "bytes_out":2,"cost_nanos":2445000000}],
             "totals":{"requests":1234,"billable_requests":1200,"errors":34,"refused":4,"items":2400,
               "compute_ms":5.0,"bytes_in":11,"bytes_out":22,"cost_nanos":12345000000}}""";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
    }

    @Test
    @TestSecurity(user = "alice")
    void showsThePeriodsRequestsSpendAgainstTheBudgetLimitsQuotasAndDailyCharts() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:member");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200, PLAN);
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/usage")), 200, USAGE);
        PlatformApiStub.unpaidInvoices(api, "acme");

        String html = given().when().get("/t/acme").then().statusCode(200)
                .body(containsString("aria-current=\"page\""))
                .extract().asString();

        assertTrue(html.contains("Billing period 2026-11: 2026-11-01 to 2026-11-30 (UTC)"), "the tenant's calendar");
        assertEquals("1,234", Forms.text(html, "period-requests"));
        assertEquals("$12.34", Forms.text(html, "period-spend"), "money in the reader's locale, half-even");
        assertTrue(html.contains("<meter id=\"budget-bar\" min=\"0\" max=\"100000000\" value=\"12345000\""), html);
        assertTrue(html.contains("$12.34 of a hard budget of $100.00 (12%)"), "the meter's text alternative");
        String limits = html.substring(html.indexOf("id=\"rate-limits\""));
        assertTrue(limits.contains("600 requests/min") && limits.contains("1,200 requests/min"), limits);
        assertTrue(html.contains("compute seconds (hard)") && html.contains("2,950 seconds")
                && html.contains("3,600") && html.contains("badge warning"), "the quota and its state");

        // charts: one bar per day of the period (UTC days touched: Oct 31 to Nov 30), labelled for screen readers
        for (String chart : new String[] {"chart-requests", "chart-spend"}) {
            Matcher svg = Pattern.compile("<svg id=\"" + chart + "\" class=\"chart\" role=\"img\" aria-label=\"([^\"]+)\""
                    + ".*?</svg>", Pattern.DOTALL).matcher(html);
            assertTrue(svg.find(), "svg#" + chart);
            assertEquals(31, svg.group().split("<rect class=\"bar\"", -1).length - 1, "31 days, one bar each");
            assertTrue(svg.group().contains("<title>"), "a title");
        }
        assertTrue(html.contains("aria-label=\"Requests per day: 1,234 requests in 2026-11, most on 2026-11-03 (1,000)\""),
                html);
        assertTrue(html.contains("<tr><td>2026-11-17</td><td>234</td></tr>"), "the hidden table holds each day");
        assertTrue(html.contains("<tr><td>2026-11-03</td><td>$9.90</td></tr>"), "spend per day in the plan's currency");

        // the period's bounds go to the report as UTC instants (a '+' in a query would arrive as a space)
        api.verify(getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/usage"))
                .withQueryParam("start", equalTo("2026-10-31T23:00:00Z"))
                .withQueryParam("end", equalTo("2026-11-30T23:00:00Z"))
                .withQueryParam("bucket_width", equalTo("1d")));
        api.verify(0, getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/costs")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantWithoutAPlanOrBudgetSaysSo() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200, """
                {"as_of":"2026-11-20T10:00:00Z","plan":null,"time_zone":"UTC",
                 "period":{"name":"2026-11","start":"2026-11-01T00:00:00Z","end":"2026-12-01T00:00:00Z"},
                 "usage":{"requests":0,"items":0,"compute_us":0,"compute_seconds":0,"cost_nanos":0,"cost_micros":0,
                   "cost":"0","currency":null},"quotas":[],"budget":null}""");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/usage")), 200, """
                {"buckets":[],"totals":{"requests":0,"billable_requests":0,"errors":0,"refused":0,"items":0,
                 "compute_ms":0,"bytes_in":0,"bytes_out":0,"cost_nanos":0}}""");
        PlatformApiStub.unpaidInvoices(api, "acme");
        given().when().get("/t/acme").then().statusCode(200)
                .body(containsString("<div id=\"budget-bar\" class=\"muted\">No monthly budget on this plan.</div>"))
                .body(containsString("calls are not rate limited"))
                .body(containsString("id=\"quotas-none\""))
                .body(containsString(">No data</text>"))
                .body(containsString("<div class=\"value\" id=\"period-requests\">0</div>"));
    }

    @Test
    @TestSecurity(user = "bob")
    void anOutsiderGetsTheForbiddenPageAndTheTenantIsNeverAsked() {
        PlatformApiStub.me(api, "bob@globex.test", false, "globex:admin");
        given().when().get("/t/acme").then().statusCode(403)
                .body(containsString("id=\"forbidden\""))
                .body(not(containsString("acme")))
                .body(not(containsString("chart-requests")));
        api.verify(0, anyRequestedFor(urlPathMatching("/api/v1/tenants/.*")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aTenantThePlatformDoesNotKnowIsTheForbiddenPageToo() {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        PlatformApiStub.problem(api, get(urlPathEqualTo("/api/v1/tenants/nope/plan")), 404, "tenant_not_found",
                "no tenant nope");
        given().when().get("/t/nope").then().statusCode(403)
                .body(containsString("id=\"forbidden\""))
                .body(not(containsString("no tenant nope")));
    }

    /** The plan, its period's usage, and no unpaid invoices. */
    private void periodStubs() {
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200, PLAN);
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/usage")), 200, USAGE);
        PlatformApiStub.unpaidInvoices(api, "acme");
    }

    /** A finalized invoice of acme without lines, as the list gives it, still to be paid (open or overdue). */
    static String unpaid(String id, String number, String currency, String status, String amountDue, String dueAt) {
        return """
                {"id":"%s","number":"%s","tenant":"acme","period":"2026-10","kind":"INVOICE","state":"FINALIZED",
                 "currency":"%s","period_start":"2026-10-01T00:00:00Z","period_end":"2026-11-01T00:00:00Z",
                 "usage_nanos":0,"adjustment_nanos":0,"fee_nanos":0,"credit_nanos":0,"total_nanos":0,
                 "total":"%s","created_at":"2026-11-01T00:10:00Z","finalized_at":"2026-11-01T00:10:00Z",%s}"""
                .formatted(id, number, currency, amountDue,
                        PlatformApiStub.payment(status, amountDue, dueAt, null, null, null));
    }

    /** A finalized invoice of acme on which the tenant paid more than it now asks: that much owed back. */
    static String refundDue(String id, String number, String currency, String owedBack) {
        return """
                {"id":"%s","number":"%s","tenant":"acme","period":"2026-10","kind":"INVOICE","state":"FINALIZED",
                 "currency":"%s","period_start":"2026-10-01T00:00:00Z","period_end":"2026-11-01T00:00:00Z",
                 "usage_nanos":0,"adjustment_nanos":0,"fee_nanos":0,"credit_nanos":0,"total_nanos":0,
                 "total":"5.00","created_at":"2026-11-01T00:10:00Z","finalized_at":"2026-11-01T00:10:00Z",%s}"""
                .formatted(id, number, currency, PlatformApiStub.ledger("refund_due", "0.00", "2026-12-01T00:10:00Z",
                        "2026-11-05T00:00:00Z", "5.00", "wire 1", null, owedBack));
    }

    static final String OCT_ID = "5e1d0c2a-0000-4000-8000-000000000010";
    static final String SEP_ID = "5e1d0c2a-0000-4000-8000-000000000009";
    static final String AUG_ID = "5e1d0c2a-0000-4000-8000-000000000008";

    /** The overview of acme as alice, a member, gets it. */
    private String overview() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:member");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200, PLAN);
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/usage")), 200, USAGE);
        return given().when().get("/t/acme").then().statusCode(200).extract().asString();
    }

    /** Each currency's line of the amount-owed card, tags stripped: currency code to "$125.00 due on 2 invoices". */
    private static Map<String, String> owed(String html) {
        Map<String, String> lines = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<div class=\"owed\" data-currency=\"([A-Z]+)\">(.*?)</div>", Pattern.DOTALL)
                .matcher(html);
        while (m.find()) {
            lines.put(m.group(1), m.group(2).replaceAll("<[^>]+>", "").replaceAll("\\s+", " ").trim());
        }
        return lines;
    }

    /** The overdue line, tags stripped, or null when there is none. */
    private static String overdueLine(String html) {
        int at = html.indexOf("<p id=\"amount-overdue\">");
        return at < 0 ? null : html.substring(at, html.indexOf("</p>", at)).replaceAll("<[^>]+>", "")
                .replaceAll("\\s+", " ").trim();
    }

    @Test
    @TestSecurity(user = "alice")
    void whatIsStillDueIsSummedFromTheUnpaidInvoicesAndLinksToThem() {
        PlatformApiStub.unpaidInvoices(api, "acme",
                unpaid(OCT_ID, "INV-2026-10-acme-1", "USD", "open", "100.00", "2026-12-01T00:10:00Z"),
                unpaid(SEP_ID, "INV-2026-09-acme-1", "USD", "open", "25.00", "2026-11-30T00:10:00Z"));
        String html = overview();

        assertTrue(html.contains("<section class=\"card stat\" id=\"amount-owed\""), html);
        assertEquals(Map.of("USD", "$125.00 due on 2 invoices"), owed(html));
        assertNull(overdueLine(html), "nothing is overdue");
        assertFalse(html.contains("badge payment overdue"), html);
        assertTrue(html.contains("<a id=\"amount-owed-invoices\" href=\"/t/acme/invoices\">"), html);
        assertTrue(html.contains("id=\"period-requests\""), "the rest of the overview");
        // only the unpaid ones are asked for, never the whole list
        api.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/invoices"))
                .withQueryParam("payment", equalTo("unpaid")));
        api.verify(0, getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/invoices"))
                .withQueryParam("payment", absent()));
    }

    @Test
    @TestSecurity(user = "alice")
    void eachCurrencyIsSummedApart() {
        PlatformApiStub.unpaidInvoices(api, "acme",
                unpaid(OCT_ID, "INV-2026-10-acme-1", "USD", "open", "100.00", "2026-12-01T00:10:00Z"),
                unpaid(SEP_ID, "INV-2026-09-acme-1", "EUR", "open", "30.50", "2026-11-30T00:10:00Z"),
                unpaid(AUG_ID, "INV-2026-08-acme-1", "USD", "open", "25.00", "2026-11-29T00:10:00Z"));
        Map<String, String> lines = owed(overview());
        assertEquals(List.of("EUR", "USD"), List.copyOf(lines.keySet()), "one line per currency, by code");
        assertEquals("€30.50 due on 1 invoice", lines.get("EUR"));
        assertEquals("$125.00 due on 2 invoices", lines.get("USD"));
    }

    @Test
    @TestSecurity(user = "alice")
    void anOverdueInvoiceStandsOutWithSinceWhenAndALinkToIt() {
        PlatformApiStub.unpaidInvoices(api, "acme",
                unpaid(OCT_ID, "INV-2026-11-acme-1", "USD", "open", "100.00", "2027-01-01T00:10:00Z"),
                unpaid(SEP_ID, "INV-2026-10-acme-1", "USD", "overdue", "25.00", "2026-12-01T00:10:00Z"));
        String html = overview();
        assertEquals(Map.of("USD", "$125.00 due on 2 invoices"), owed(html), "overdue is owed too");
        assertEquals("1 invoice overdue since 2026-12-01: INV-2026-10-acme-1", overdueLine(html));
        String line = html.substring(html.indexOf("<p id=\"amount-overdue\">"));
        line = line.substring(0, line.indexOf("</p>"));
        assertTrue(line.contains("<span class=\"badge payment overdue\">1 invoice overdue since <time"
                + " datetime=\"2026-12-01T00:10:00Z\">2026-12-01</time></span>"), line);
        assertTrue(line.contains("<a class=\"overdue-invoice-link\" href=\"/t/acme/invoices/" + SEP_ID
                + "\">INV-2026-10-acme-1</a>"), line);
        assertFalse(line.contains(OCT_ID), "the open invoice is not overdue: " + line);
        assertTrue(html.indexOf("id=\"amount-overdue\"") > html.indexOf("id=\"amount-owed\"")
                && html.indexOf("id=\"amount-overdue\"") < html.indexOf("id=\"period-requests\""), "in the card");
    }

    @Test
    @TestSecurity(user = "alice")
    void severalOverdueInvoicesAreListedTheLongestOverdueFirst() {
        PlatformApiStub.unpaidInvoices(api, "acme",
                unpaid(OCT_ID, "INV-2026-10-acme-1", "USD", "overdue", "100.00", "2026-12-01T00:10:00Z"),
                unpaid(SEP_ID, "INV-2026-09-acme-1", "EUR", "overdue", "30.50", "2026-11-01T00:10:00Z"));
        String html = overview();
        assertEquals("2 invoices overdue since 2026-11-01: INV-2026-09-acme-1, INV-2026-10-acme-1",
                overdueLine(html));
        Matcher links = Pattern.compile("<a class=\"overdue-invoice-link\" href=\"([^\"]+)\">").matcher(html);
        List<String> hrefs = new java.util.ArrayList<>();
        while (links.find()) {
            hrefs.add(links.group(1));
        }
        assertEquals(List.of("/t/acme/invoices/" + SEP_ID, "/t/acme/invoices/" + OCT_ID), hrefs);
    }

    @Test
    @TestSecurity(user = "alice")
    void aPartlyPaidInvoiceCountsWhatIsLeftOnIt() {
        PlatformApiStub.unpaidInvoices(api, "acme",
                unpaid(OCT_ID, "INV-2026-10-acme-1", "USD", "open", "100.00", "2026-12-01T00:10:00Z"),
                // 5.00 invoiced, 1.20 paid: 3.80 left, as platform-api's amount_due says
                unpaid(SEP_ID, "INV-2026-09-acme-1", "USD", "partially_paid", "3.80", "2026-11-30T00:10:00Z"),
                unpaid(AUG_ID, "INV-2026-08-acme-1", "USD", "overdue", "2.50", "2026-11-01T00:10:00Z"));
        String html = overview();
        assertEquals(Map.of("USD", "$106.30 due on 3 invoices"), owed(html));
        assertEquals("1 invoice overdue since 2026-11-01: INV-2026-08-acme-1", overdueLine(html));
        assertFalse(html.contains("amount-owed-back"), "nothing is owed back: " + html);
    }

    @Test
    @TestSecurity(user = "alice")
    void whatThePlatformOwesBackIsSummedFromTheInvoicesWithARefundDueAskedAtTheSameTime() {
        PlatformApiStub.unpaidInvoices(api, "acme");
        PlatformApiStub.refundDueInvoices(api, "acme",
                refundDue(OCT_ID, "INV-2026-10-acme-1", "USD", "1.00"),
                refundDue(SEP_ID, "INV-2026-09-acme-1", "USD", "0.50"),
                refundDue(AUG_ID, "INV-2026-08-acme-1", "EUR", "2.00"),
                // anything else in the list is not counted, whatever the filter platform-api applied
                unpaid(AUG_ID, "INV-2026-07-acme-1", "USD", "open", "9.00", "2026-11-01T00:10:00Z"));
        String html = overview();
        assertFalse(html.contains("id=\"amount-owed\""), "nothing is owed: " + html);
        assertTrue(html.contains("<section class=\"card stat\" id=\"amount-owed-back\""), html);
        Map<String, String> back = new LinkedHashMap<>();
        Matcher m = Pattern.compile("<div class=\"owed-back\" data-currency=\"([A-Z]+)\">(.*?)</div>",
                Pattern.DOTALL).matcher(html);
        while (m.find()) {
            back.put(m.group(1), m.group(2).replaceAll("<[^>]+>", "").replaceAll("\\s+", " ").trim());
        }
        assertEquals(Map.of("EUR", "€2.00 to be refunded on 1 invoice", "USD", "$1.50 to be refunded on 2 invoices"),
                back);
        assertEquals(List.of("EUR", "USD"), List.copyOf(back.keySet()));
        assertTrue(html.contains("<a id=\"amount-owed-back-invoices\" href=\"/t/acme/invoices\">"), html);
        api.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/invoices"))
                .withQueryParam("payment", equalTo("refund_due")));
        api.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/invoices"))
                .withQueryParam("payment", equalTo("unpaid")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantThatOwesNothingHasNoCard() {
        PlatformApiStub.unpaidInvoices(api, "acme");
        String html = overview();
        assertFalse(html.contains("amount-owed"), html);
        assertFalse(html.contains("amount-overdue"), html);
        assertTrue(html.contains("id=\"period-requests\""), html);
        api.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/invoices"))
                .withQueryParam("payment", equalTo("unpaid")));
    }

    @Test
    @TestSecurity(user = "alice")
    void unpaidInvoicesThatCannotBeReadLeaveTheRestOfTheOverview() {
        PlatformApiStub.problem(api, get(urlPathEqualTo("/api/v1/tenants/acme/invoices")), 503, "unavailable",
                "invoice store busy");
        String html = overview();
        assertEquals("The amount owed could not be read: invoice store busy", Forms.text(html, "amount-owed-error"));
        assertTrue(html.contains("<p class=\"muted\" id=\"amount-owed-error\">"), "a muted line, not an alarm");
        assertFalse(html.contains("id=\"amount-owed\""), "no card: " + html);
        assertEquals("1,234", Forms.text(html, "period-requests"));
        assertEquals("$12.34", Forms.text(html, "period-spend"));
        assertTrue(html.contains("id=\"chart-spend\""), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void anExpiredSessionOnTheUnpaidInvoicesIsTheSignInAgainPage() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:member");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200, PLAN);
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/usage")), 200, USAGE);
        PlatformApiStub.problem(api, get(urlPathEqualTo("/api/v1/tenants/acme/invoices")), 401, "unauthorized", null);
        String html = given().when().get("/t/acme").then().statusCode(401).extract().asString();
        assertFalse(html.contains("amount-owed"), html);
        assertTrue(html.contains("Your session has expired"), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void anAdminIsOfferedToCloseTheTenantBehindTheSlugAndAConfirmation() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        periodStubs();
        String html = given().when().get("/t/acme").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<form id=\"close-tenant-form\" method=\"post\" action=\"/t/acme/close\" data-confirm=\""),
                html);
        assertTrue(html.contains("<input id=\"close-confirm\" name=\"confirm\" required"), html);
        assertTrue(html.contains("<button id=\"close-tenant\" class=\"danger\" type=\"submit\">Close tenant</button>"),
                html);
        String zone = html.substring(html.indexOf("id=\"close-tenant-section\""));
        assertTrue(zone.contains("cannot be undone") && zone.contains("every API key")
                && zone.contains("still invoiced") && zone.contains("stay readable"), zone);
        assertTrue(html.indexOf("id=\"close-tenant-section\"") > html.indexOf("id=\"chart-spend\""),
                "the danger zone sits at the bottom");
        assertFalse(html.contains("id=\"tenant-closed\""), "an open tenant has no closed banner");
    }

    @Test
    @TestSecurity(user = "carol")
    void aMemberIsNotOfferedToCloseTheTenant() {
        PlatformApiStub.me(api, "carol@acme.test", false, "acme:member");
        periodStubs();
        given().when().get("/t/acme").then().statusCode(200)
                .body(containsString("id=\"period-requests\""))
                .body(not(containsString("close-tenant")))
                .body(not(containsString("close-confirm")));
    }

    @Test
    @TestSecurity(user = "alice")
    void closingSendsTheTypedSlugAndComesBackToTheClosedOverviewWithANotice() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        periodStubs();
        PlatformApiStub.close(api, "acme", "2026-11-30T20:00:00Z");
        Forms.from("/t/acme").formParam("confirm", "acme").when().post("/t/acme/close").then().statusCode(303)
                .header("Location", endsWith("/t/acme?done=closed"));
        api.verify(postRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/close"))
                .withRequestBody(equalToJson("{\"confirm\":\"acme\"}")));

        // platform-api now lists the tenant as closed
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin:closed");
        String html = given().when().get("/t/acme?done=closed").then().statusCode(200).extract().asString();
        assertEquals("Tenant acme is closed. Its API keys no longer work; its invoices, usage and audit log stay"
                + " readable here.", Forms.text(html, "close-tenant-done"));
        assertTrue(html.contains("id=\"tenant-closed\""), "the closed banner");
        assertFalse(html.contains("close-tenant-form"), "a closed tenant is not offered to close again");
    }

    @Test
    @TestSecurity(user = "carol")
    void aSuspendedTenantsPagesSayWhyItsKeysAreRefused() {
        periodStubs();
        PlatformApiStub.me(api, "carol@acme.test", false, "acme:member:suspended:non_payment");
        String html = given().when().get("/t/acme").then().statusCode(200).extract().asString();
        assertTrue(Forms.text(html, "tenant-suspended").startsWith("This tenant is suspended for an unpaid invoice."),
                Forms.text(html, "tenant-suspended"));
        assertTrue(html.contains("id=\"tenant-suspended-invoices\" href=\"/t/acme/invoices\""), html);

        PlatformApiStub.me(api, "carol@acme.test", false, "acme:member:suspended");
        html = given().when().get("/t/acme").then().statusCode(200).extract().asString();
        assertEquals("This tenant is suspended.", Forms.text(html, "tenant-suspended"));
        assertTrue(html.contains("Its API keys are refused until a platform admin resumes it."), html);
        assertFalse(html.contains("tenant-suspended-invoices"), "no unpaid invoice to point at");

        PlatformApiStub.me(api, "carol@acme.test", false, "acme:member");
        html = given().when().get("/t/acme").then().statusCode(200).extract().asString();
        assertFalse(html.contains("id=\"tenant-suspended\""), "an active tenant has no banner");
    }

    @Test
    @TestSecurity(user = "carol")
    void theBannerShowsWhatTheOperatorWhoSuspendedTheTenantSaidAsText() {
        periodStubs();
        PlatformApiStub.suspendedByOperator(api, "carol@acme.test", "acme", "member",
                "Unusual traffic <script>alert('x')</script> & more: write to ops@aiaas.test");
        String html = given().when().get("/t/acme").then().statusCode(200).extract().asString();
        assertEquals("This tenant is suspended by the platform's operator:", Forms.text(html, "tenant-suspended"));
        assertTrue(html.contains("<span class=\"suspension-note\" id=\"tenant-suspended-note\">Unusual traffic"
                + " &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more: write to ops@aiaas.test</span>"
                + "<br>Its API keys are refused until a platform admin resumes it.</p>"), html);
        assertFalse(html.contains("<script>alert"), "the note is text, never markup");

        // the same banner on every page of the tenant
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/audit")), 200, "{\"entries\":[]}");
        String audit = given().when().get("/t/acme/audit").then().statusCode(200).extract().asString();
        assertTrue(audit.contains("id=\"tenant-suspended-note\">Unusual traffic &lt;script&gt;"), audit);

        // without a note, the banner as before
        PlatformApiStub.suspendedByOperator(api, "carol@acme.test", "acme", "member", null);
        html = given().when().get("/t/acme").then().statusCode(200).extract().asString();
        assertEquals("This tenant is suspended.", Forms.text(html, "tenant-suspended"));
        assertFalse(html.contains("tenant-suspended-note"), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void aMismatchedConfirmationIsShownBesideTheFormWithWhatWasTyped() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        periodStubs();
        PlatformApiStub.problem(api, post(urlPathEqualTo("/api/v1/tenants/acme/close")), 400,
                "confirmation_mismatch", "The confirmation must be the slug of the tenant: acme");
        String html = Forms.from("/t/acme").formParam("confirm", "acne").when().post("/t/acme/close").then()
                .statusCode(400).extract().asString();
        assertEquals("The confirmation must be the slug of the tenant: acme", Forms.text(html, "close-tenant-form-error"));
        assertTrue(html.contains("value=\"acne\""), "what was typed stays");
        assertTrue(html.contains("id=\"period-requests\""), "the rest of the page is shown as before");
        assertFalse(html.contains("id=\"close-tenant-done\""), "no notice");
    }

    @Test
    @TestSecurity(user = "alice")
    void anEmptyConfirmationIsRefusedWithoutAskingThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        periodStubs();
        String html = Forms.from("/t/acme").formParam("confirm", "  ").when().post("/t/acme/close").then()
                .statusCode(400).extract().asString();
        assertEquals("Type the slug of the tenant, acme, to close it.", Forms.text(html, "close-tenant-form-error"));
        api.verify(0, postRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/close")));
    }
}
