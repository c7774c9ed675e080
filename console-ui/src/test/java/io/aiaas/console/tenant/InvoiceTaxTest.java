package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tax on invoices (the shared tag {@code tags/invoiceTax.html}): the tenant's invoice page, its upcoming invoice and
 * the admin's invoice page say how the invoice was taxed in {@code #invoice-tax} ({@code #upcoming-tax}), a reverse
 * charge's or an exemption's note escaped, nothing without {@code tax}; tax lines read "Tax" like any other line.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class InvoiceTaxTest {

    static final String ID = "5b9c1f0e-7a2d-4c3b-8e1f-0a9b8c7d6e60";
    static final String PATH = "/api/v1/tenants/acme/invoices/" + ID;
    static final String VAT = "{\"treatment\":\"standard\",\"name\":\"VAT\",\"rate\":\"19\",\"jurisdiction\":\"DE\","
            + "\"amount\":\"1.90\",\"note\":null}";
    static final String TAX_LINE = ",{\"line_no\":2,\"kind\":\"tax\",\"quantity\":0,\"amount_nanos\":1900000000,"
            + "\"amount\":\"1.90\",\"description\":\"VAT 19 % (DE)\"}";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:member");
    }

    /**
     * A finalized EUR invoice of 10.00 plus tax: with {@code tax} (its JSON, or null: left out, as platform-api does),
     * the tax it adds in nano-units and the tax line's JSON (or "").
     */
    static String invoice(String id, String tax, long taxNanos, String taxLine) {
        String total = java.math.BigDecimal.valueOf(10_000_000_000L + taxNanos, 9).setScale(2).toPlainString();
        return "{\"id\":\"" + id + "\",\"number\":\"INV-2026-10-acme-9\",\"tenant\":\"acme\",\"period\":\"2026-10\","
                + "\"kind\":\"INVOICE\",\"state\":\"FINALIZED\",\"currency\":\"EUR\","
                + "\"period_start\":\"2026-10-01T00:00:00Z\",\"period_end\":\"2026-11-01T00:00:00Z\","
                + "\"usage_nanos\":0,\"adjustment_nanos\":0,\"fee_nanos\":10000000000,\"credit_nanos\":0,"
                + "\"tax_nanos\":" + taxNanos + ",\"total_nanos\":" + (10_000_000_000L + taxNanos) + ",\"total\":\""
                + total + "\",\"created_at\":\"2026-11-01T00:10:00Z\",\"finalized_at\":\"2026-11-01T00:10:00Z\","
                + (tax == null ? "" : "\"tax\":" + tax + ",")
                + "\"lines\":[{\"line_no\":1,\"kind\":\"fee\",\"quantity\":1,\"amount_nanos\":10000000000,"
                + "\"amount\":\"10.00\",\"description\":\"Monthly fee, plan Basic\"}" + taxLine + "]}";
    }

    /** The text of the element with this id (tags inside stripped, white space collapsed), or null. */
    static String text(String html, String id) {
        Matcher m = Pattern.compile("<(\\w+)[^>]*\\sid=\"" + Pattern.quote(id) + "\"[^>]*>(.*?)</\\1>", Pattern.DOTALL)
                .matcher(html);
        return m.find() ? m.group(2).replaceAll("<[^>]+>", "").replaceAll("\\s+", " ").trim() : null;
    }

    /** The row of the lines table with that line number. */
    static String line(String html, int lineNo) {
        Matcher m = Pattern.compile("<tr data-line=\"" + lineNo + "\">.*?</tr>", Pattern.DOTALL).matcher(html);
        assertTrue(m.find(), "no line " + lineNo + " in " + html);
        return m.group().replaceAll("\\s+", " ");
    }

    @Test
    @TestSecurity(user = "alice")
    void aTaxedInvoiceSaysTheRateAndTheAmountAndItsTaxLineReadsTax() {
        PlatformApiStub.json(api, get(urlPathEqualTo(PATH)), 200, invoice(ID, VAT, 1_900_000_000L, TAX_LINE));
        String html = given().when().get("/t/acme/invoices/" + ID).then().statusCode(200).extract().asString();
        assertEquals("VAT 19 % (DE): €1.90", text(html, "invoice-tax"));
        assertTrue(html.contains("<dd id=\"invoice-tax\" class=\"invoice-tax\" data-treatment=\"standard\">"), html);
        assertEquals("€11.90", text(html, "invoice-total"));
        String tax = line(html, 2);
        assertTrue(tax.contains("<td>VAT 19 % (DE)</td> <td>Tax</td> <td class=\"num\"></td>"
                + " <td class=\"num\">€1.90</td>"), "an amount alone, its kind in words: " + tax);
    }

    @Test
    @TestSecurity(user = "alice")
    void aCreditNoteOfATaxedInvoiceShowsTheTaxItGivesBack() {
        String note = invoice(ID, VAT.replace("\"1.90\"", "\"-0.19\""), -190_000_000L,
                TAX_LINE.replace("1900000000", "-190000000").replace("\"1.90\"", "\"-0.19\""))
                .replace("\"kind\":\"INVOICE\"", "\"kind\":\"CREDIT_NOTE\"")
                .replace("\"kind\":\"fee\"", "\"kind\":\"correction\"").replace("10000000000", "-1000000000")
                .replace("\"10.00\"", "\"-1.00\"");
        PlatformApiStub.json(api, get(urlPathEqualTo(PATH)), 200, note);
        String html = given().when().get("/t/acme/invoices/" + ID).then().statusCode(200).extract().asString();
        assertEquals("VAT 19 % (DE): -€0.19", text(html, "invoice-tax"));
        assertTrue(line(html, 2).contains("<td>Tax</td>") && line(html, 2).contains("-€0.19"), line(html, 2));
        assertTrue(line(html, 1).contains("<td>correction</td>"), line(html, 1));
    }

    @Test
    @TestSecurity(user = "alice")
    void aReverseChargeShowsItsNoteEscapedAndNoTaxLine() {
        String tax = "{\"treatment\":\"reverse_charge\",\"name\":null,\"rate\":null,\"jurisdiction\":null,"
                + "\"amount\":null,\"note\":\"Reverse charge: the customer accounts for the VAT."
                + " <script>alert(1)</script>\"}";
        PlatformApiStub.json(api, get(urlPathEqualTo(PATH)), 200, invoice(ID, tax, 0, ""));
        String html = given().when().get("/t/acme/invoices/" + ID).then().statusCode(200).extract().asString();
        assertTrue(html.contains("<span class=\"invoice-tax-note\">Reverse charge: the customer accounts for the VAT."
                + " &lt;script&gt;alert(1)&lt;/script&gt;</span>"), html);
        assertFalse(html.contains("<script>alert(1)"), "never raw HTML");
        assertTrue(html.contains("data-treatment=\"reverse_charge\""), html);
        assertFalse(html.contains("<td>Tax</td>"), "no tax line");
    }

    @Test
    @TestSecurity(user = "alice")
    void anExemptTenantsInvoiceSaysSoWithTheNote() {
        String tax = "{\"treatment\":\"exempt\",\"note\":\"Charity, certificate C-42\"}";
        PlatformApiStub.json(api, get(urlPathEqualTo(PATH)), 200, invoice(ID, tax, 0, ""));
        String html = given().when().get("/t/acme/invoices/" + ID).then().statusCode(200).extract().asString();
        assertEquals("Exempt from tax: Charity, certificate C-42", text(html, "invoice-tax"));
    }

    @Test
    @TestSecurity(user = "alice")
    void anInvoiceWithoutTaxSaysNothingAboutIt() {
        PlatformApiStub.json(api, get(urlPathEqualTo(PATH)), 200, invoice(ID, null, 0, ""));
        String html = given().when().get("/t/acme/invoices/" + ID).then().statusCode(200).extract().asString();
        assertNull(text(html, "invoice-tax"), html);
        assertFalse(html.contains("<dt>Tax</dt>"), html);
        assertEquals("€10.00", text(html, "invoice-total"));
    }

    @Test
    @TestSecurity(user = "alice")
    void theUpcomingInvoiceShowsItsTaxToo() {
        String upcoming = invoice(ID, VAT, 1_900_000_000L, TAX_LINE).replace("\"id\":\"" + ID + "\",", "")
                .replace("\"number\":\"INV-2026-10-acme-9\",", "").replace("\"FINALIZED\"", "\"PREVIEW\"");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/invoices/upcoming")), 200, upcoming);
        String html = given().when().get("/t/acme/invoices/upcoming").then().statusCode(200).extract().asString();
        assertEquals("VAT 19 % (DE): €1.90", text(html, "upcoming-tax"));
        assertTrue(line(html, 2).contains("<td>Tax</td>"), line(html, 2));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theAdminsInvoicePageShowsTheTax() {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/invoices/" + ID)), 200,
                invoice(ID, VAT, 1_900_000_000L, TAX_LINE));
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/invoices")), 200, "[]");
        String html = given().when().get("/admin/billing/invoices/" + ID).then().statusCode(200).extract().asString();
        assertEquals("VAT 19 % (DE): €1.90", text(html, "invoice-tax"));
        assertTrue(line(html, 2).contains("<td>Tax</td>"), line(html, 2));
    }
}
