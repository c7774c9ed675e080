package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.aiaas.console.admin.AdminBillingResourceTest.ACME;
import static io.aiaas.console.admin.AdminBillingResourceTest.GLOBEX;
import static io.aiaas.console.admin.AdminBillingResourceTest.follow;
import static io.aiaas.console.admin.AdminBillingResourceTest.text;
import static io.aiaas.console.testsupport.PlatformApiStub.receivablesCurrency;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
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

/**
 * The receivables card of the admin billing list: per currency what was invoiced, credited, paid, and what is
 * outstanding and overdue, of the period the list is filtered by or of all, whatever the tenant filter; the overdue
 * figure opens the overdue invoices; a failed read is said in the card and the list is still shown.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminBillingReceivablesTest {

    private static final String RECEIVABLES = "/admin/v1/billing/receivables";
    private static final String INVOICES = "/admin/v1/invoices";
    private static final String USD = receivablesCurrency("USD", 4, "20.00", "-6.25", "5.00", 2, "8.75", 1, "5.00");
    private static final String EUR = receivablesCurrency("EUR", 1, "1234.50", "0.00", "1234.50", 0, "0.00", 0,
            "0.00");
    private static final Pattern OVERDUE_LINK = Pattern.compile(
            "<a class=\"receivables-overdue-link\" href=\"([^\"]+)\"");

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        PlatformApiStub.json(api, get(urlPathEqualTo(INVOICES)), 200, "[" + ACME + "," + GLOBEX + "]");
    }

    private void receivables(String period, String... currencies) {
        PlatformApiStub.json(api, get(urlPathEqualTo(RECEIVABLES)), 200, (period == null ? "{"
                : "{\"period\":\"" + period + "\",") + "\"currencies\":[" + String.join(",", currencies) + "]}");
    }

    private static String page(String query) {
        return given().when().get("/admin/billing" + query).then().statusCode(200).extract().asString();
    }

    /** The row of one currency in the card's table (up to its end tag), or fails. */
    private static String row(String html, String currency) {
        Matcher m = Pattern.compile("<tr data-currency=\"" + currency + "\">(.*?)</tr>", Pattern.DOTALL).matcher(html);
        assertTrue(m.find(), html);
        return m.group(1);
    }

    /** The text of the cell of this class in a row, tags stripped, white space collapsed. */
    private static String cell(String row, String cls) {
        Matcher m = Pattern.compile("<td class=\"num " + cls + "\">(.*?)</td>", Pattern.DOTALL).matcher(row);
        assertTrue(m.find(), row);
        return m.group(1).replaceAll("<[^>]+>", "").replaceAll("\\s+", " ").trim();
    }

    /** The currencies of the card's table, in order. */
    private static List<String> currencies(String html) {
        Matcher m = Pattern.compile("<tr data-currency=\"([^\"]*)\">").matcher(html);
        List<String> all = new ArrayList<>();
        while (m.find()) {
            all.add(m.group(1));
        }
        return all;
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theCardShowsEachCurrencysFiguresFormattedOfAllPeriodsAndAllTenants() {
        receivables(null, USD, EUR);
        String html = page("");
        assertTrue(html.indexOf("id=\"receivables\"") < html.indexOf("<table id=\"admin-invoices\">"), html);
        assertEquals("Receivables, all periods", text(html, "receivables-heading"));
        assertTrue(text(html, "receivables-scope").startsWith("All tenants; finalized invoices only."), html);
        assertTrue(html.contains("<table id=\"receivables-table\">"), html);
        assertEquals(List.of("USD", "EUR"), currencies(html));

        String usd = row(html, "USD");
        assertEquals("4", cell(usd, "receivables-invoices"));
        assertEquals("$20.00", cell(usd, "receivables-invoiced"));
        assertEquals("-$6.25", cell(usd, "receivables-credited"));
        assertEquals("$5.00", cell(usd, "receivables-paid"));
        assertEquals("$8.75 (2 invoices)", cell(usd, "receivables-outstanding"));
        assertEquals("$5.00 (1 invoice)", cell(usd, "receivables-overdue"));
        // a non-zero overdue stands out as the overdue badge does in the list
        assertTrue(usd.contains("<span class=\"badge overdue\">$5.00</span>"), usd);

        String eur = row(html, "EUR");
        assertEquals("1", cell(eur, "receivables-invoices"));
        assertEquals("€1,234.50", cell(eur, "receivables-invoiced"));
        assertEquals("€0.00", cell(eur, "receivables-credited"));
        assertEquals("€1,234.50", cell(eur, "receivables-paid"));
        assertEquals("€0.00 (0 invoices)", cell(eur, "receivables-outstanding"));
        assertEquals("€0.00 (0 invoices)", cell(eur, "receivables-overdue"));
        assertFalse(eur.contains("badge"), eur);

        assertNull(text(html, "receivables-error"), html);
        assertNull(text(html, "receivables-none"), html);
        api.verify(1, getRequestedFor(urlPathEqualTo(RECEIVABLES)).withQueryParam("period", absent()));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void refundedAndRefundDueAreShownWithTheirCountAndRefundDueOpensThoseInvoices() {
        // invoiced + credited - paid + refunded = outstanding - refund due: 20.00 - 8.25 - 12.00 + 1.00 = 3.75 - 3.00
        receivables("2026-10", receivablesCurrency("USD", 4, "20.00", "-8.25", "12.00", "1.00", 1, "3.75", 0, "0.00",
                2, "3.00"), EUR);
        String html = page("?period=2026-10");
        assertTrue(html.contains("<th scope=\"col\" class=\"num\">Refunded</th>"), html);
        assertTrue(html.contains("<th scope=\"col\" class=\"num\">Refund due</th>"), html);
        assertTrue(text(html, "receivables-scope").contains("refund due is what invoices paid beyond what they now"
                + " ask"), html);
        String usd = row(html, "USD");
        assertEquals("$12.00", cell(usd, "receivables-paid"));
        assertEquals("$1.00", cell(usd, "receivables-refunded"));
        assertEquals("$3.75 (1 invoice)", cell(usd, "receivables-outstanding"));
        assertEquals("$3.00 (2 invoices)", cell(usd, "receivables-refund-due"));
        // a refund due stands out, and opens the invoices with a refund due of the card's period
        assertTrue(usd.contains("<a class=\"receivables-refund-due-link\" href=\"/admin/billing?payment=refund_due"
                + "&amp;period=2026-10\""), usd);
        assertTrue(usd.contains("<span class=\"badge refund-due\">$3.00</span>"), usd);

        String eur = row(html, "EUR");
        assertEquals("€0.00", cell(eur, "receivables-refunded"));
        assertEquals("€0.00 (0 invoices)", cell(eur, "receivables-refund-due"));
        assertFalse(eur.contains("badge"), eur);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPeriodFilterAsksForThatPeriodsReceivablesOfEveryTenantAndSaysSo() {
        receivables("2026-10", USD);
        String html = page("?tenant=acme&period=2026-10&payment=unpaid");
        assertEquals("Receivables, 2026-10", text(html, "receivables-heading"));
        assertTrue(text(html, "receivables-scope").startsWith(
                "All tenants (the tenant filter applies to the list below only); finalized invoices only."), html);
        assertEquals("$8.75 (2 invoices)", cell(row(html, "USD"), "receivables-outstanding"));
        api.verify(1, getRequestedFor(urlPathEqualTo(RECEIVABLES)).withQueryParam("period", equalTo("2026-10"))
                .withQueryParam("tenant", absent()).withQueryParam("payment", absent()));
        api.verify(0, getRequestedFor(urlPathEqualTo(RECEIVABLES)).withQueryParam("period", absent()));
        // the list is still filtered by all three
        api.verify(1, getRequestedFor(urlPathEqualTo(INVOICES)).withQueryParam("tenant", equalTo("acme"))
                .withQueryParam("period", equalTo("2026-10")).withQueryParam("payment", equalTo("unpaid")));

        // a tenant filter alone is no period: every period's receivables
        page("?tenant=acme");
        api.verify(1, getRequestedFor(urlPathEqualTo(RECEIVABLES)).withQueryParam("period", absent()));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theOverdueFigureOpensTheOverdueInvoicesOfTheCardsPeriod() {
        receivables(null, USD, EUR);
        Matcher all = OVERDUE_LINK.matcher(page(""));
        assertTrue(all.find());
        assertEquals("/admin/billing?payment=overdue", all.group(1));

        receivables("2026-10", USD);
        Matcher link = OVERDUE_LINK.matcher(page("?period=2026-10"));
        assertTrue(link.find());
        assertEquals("/admin/billing?payment=overdue&amp;period=2026-10", link.group(1));

        String overdue = follow(link.group(1).replace("&amp;", "&")).then().statusCode(200).extract().asString();
        assertEquals("Receivables, 2026-10", text(overdue, "receivables-heading"));
        api.verify(1, getRequestedFor(urlPathEqualTo(INVOICES)).withQueryParam("payment", equalTo("overdue"))
                .withQueryParam("period", equalTo("2026-10")).withQueryParam("tenant", absent()));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void receivablesThatCannotBeReadAreSaidInTheCardAndTheListIsStillShown() {
        PlatformApiStub.problem(api, get(urlPathEqualTo(RECEIVABLES)), 503, "unavailable", "database busy");
        String html = page("");
        assertEquals("The receivables could not be read: database busy", text(html, "receivables-error"));
        assertFalse(html.contains("id=\"receivables-table\""), html);
        assertEquals("Receivables, all periods", text(html, "receivables-heading"));
        assertTrue(html.contains("<tr data-invoice-id=\"" + AdminBillingResourceTest.ID + "\""), html);
        assertTrue(html.contains("<form id=\"close-period\""), html);

        // a refusal too (platform-api's 400 for a period), beside the list's own
        PlatformApiStub.problem(api, get(urlPathEqualTo(RECEIVABLES)), 400, "invalid_parameter",
                "period must be a month such as 2026-11 (YYYY-MM)");
        String refused = page("?period=2026-10");
        assertEquals("The receivables could not be read: period must be a month such as 2026-11 (YYYY-MM)",
                text(refused, "receivables-error"));
        assertTrue(refused.contains("INV-2026-10-acme-1"), refused);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anExpiredSessionOnTheReceivablesIsTheSignInAgainPageNotAMessageInTheCard() {
        PlatformApiStub.problem(api, get(urlPathEqualTo(RECEIVABLES)), 401, "unauthorized", null);
        String html = given().when().get("/admin/billing").then().statusCode(401).extract().asString();
        assertFalse(html.contains("id=\"receivables-error\""), html);
        assertTrue(html.contains("Your session has expired"), html);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void withNoFinalizedInvoiceTheCardSaysNothingWasInvoicedYet() {
        receivables(null);
        String html = page("");
        assertEquals("Nothing invoiced yet.", text(html, "receivables-none"));
        assertFalse(html.contains("id=\"receivables-table\""), html);
        assertNull(text(html, "receivables-error"), html);
        // the list does not depend on the card
        assertTrue(html.contains("INV-2026-10-globex-1"), html);
    }
}
