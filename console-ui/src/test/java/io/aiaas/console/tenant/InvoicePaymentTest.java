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
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The payment state of a tenant's invoices on its invoices page and each invoice's page: due, overdue, paid (the day
 * and the reference), nothing due; nothing about payment on drafts and credit notes, and never the admin's forms.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class InvoicePaymentTest {

    static final String OPEN_ID = "2f0c5a7b-0000-4000-8000-00000000000a";
    static final String OVERDUE_ID = "2f0c5a7b-0000-4000-8000-00000000000b";
    static final String PAID_ID = "2f0c5a7b-0000-4000-8000-00000000000c";
    static final String NOTHING_ID = "2f0c5a7b-0000-4000-8000-00000000000d";
    static final String NOTE_ID = "2f0c5a7b-0000-4000-8000-00000000000e";
    static final String VOID_ID = "2f0c5a7b-0000-4000-8000-00000000000f";
    static final String PARTIAL_ID = "2f0c5a7b-0000-4000-8000-000000000010";
    static final String REFUND_ID = "2f0c5a7b-0000-4000-8000-000000000011";
    static final String ENTRY_1 = "2f0c5a7b-0000-4000-8000-0000000000e1";
    static final String ENTRY_2 = "2f0c5a7b-0000-4000-8000-0000000000e2";

    static final String OPEN = invoice(OPEN_ID, "INV-2026-10-acme-1", "INVOICE", "FINALIZED",
            PlatformApiStub.payment("open", "5.00", "2026-12-01T00:10:00Z", null, null, null));
    static final String OVERDUE = invoice(OVERDUE_ID, "INV-2026-09-acme-1", "INVOICE", "FINALIZED",
            PlatformApiStub.payment("overdue", "5.00", "2026-11-01T00:10:00Z", null, null, null));
    static final String PAID = invoice(PAID_ID, "INV-2026-08-acme-1", "INVOICE", "FINALIZED",
            PlatformApiStub.payment("paid", "0.00", "2026-10-01T00:10:00Z", "2026-09-20T00:00:00Z", "5.00",
                    "wire 2026-1187"));
    static final String NOTHING = invoice(NOTHING_ID, "INV-2026-07-acme-1", "INVOICE", "FINALIZED",
            PlatformApiStub.payment("nothing_due", "0.00", "2026-09-01T00:10:00Z", null, null, null));
    static final String NOTE = invoice(NOTE_ID, "CN-2026-07-acme-1-1", "CREDIT_NOTE", "FINALIZED", null);
    static final String VOIDED = invoice(VOID_ID, "INV-2026-06-acme-1", "INVOICE", "VOID", null);
    static final String PARTIAL = invoice(PARTIAL_ID, "INV-2026-05-acme-1", "INVOICE", "FINALIZED",
            PlatformApiStub.ledger("partially_paid", "3.80", "2026-12-01T00:10:00Z", "2026-11-10T00:00:00Z", "1.20",
                    "wire A-1", null, null, PlatformApiStub.entry(ENTRY_1, "payment", "1.20", "2026-11-10T00:00:00Z",
                            "wire A-1", "2026-11-10T14:05:00Z")));
    static final String REFUND = invoice(REFUND_ID, "INV-2026-04-acme-1", "INVOICE", "FINALIZED",
            PlatformApiStub.ledger("refund_due", "0.00", "2026-12-01T00:10:00Z", "2026-11-05T00:00:00Z", "5.00",
                    "wire A-2", "1.00", "1.00",
                    PlatformApiStub.entry(ENTRY_1, "payment", "5.00", "2026-11-05T00:00:00Z", "wire A-2",
                            "2026-11-05T10:00:00Z"),
                    PlatformApiStub.entry(ENTRY_2, "refund", "1.00", "2026-11-20T00:00:00Z", "refund A-3",
                            "2026-11-20T16:45:00Z")));

    @PlatformApiStub.Server
    WireMockServer api;

    /** An invoice of 5.00 USD with one fee line, with that payment member (none when null). */
    static String invoice(String id, String number, String kind, String state, String payment) {
        return """
                {"id":"%s","number":"%s","tenant":"acme","period":"2026-10","kind":"%s","state":"%s",
                 "currency":"USD","period_start":"2026-10-01T00:00:00Z","period_end":"2026-11-01T00:00:00Z",
                 "usage_nanos":0,"adjustment_nanos":0,"fee_nanos":5000000000,"credit_nanos":0,
                 "total_nanos":5000000000,"total_minor":500,"total":"5.00","created_at":"2026-11-01T00:10:00Z",
                 "finalized_at":"2026-11-01T00:10:00Z"%s,
                 "lines":[{"line_no":1,"kind":"fee","quantity":1,"amount_nanos":5000000000,"amount":"5.00",
                  "description":"Monthly fee, plan Basic"}]}"""
                .formatted(id, number, kind, state, payment == null ? "" : "," + payment);
    }

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        List<String> all = List.of(OPEN, OVERDUE, PAID, NOTHING, NOTE, VOIDED, PARTIAL, REFUND);
        List<String> ids = List.of(OPEN_ID, OVERDUE_ID, PAID_ID, NOTHING_ID, NOTE_ID, VOID_ID, PARTIAL_ID, REFUND_ID);
        for (int i = 0; i < all.size(); i++) {
            PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/invoices/" + ids.get(i))), 200,
                    all.get(i));
        }
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/invoices")), 200, "["
                + String.join(",", all.stream().map(j -> j.replaceAll("(?s),\\s*\"lines\":\\[.*\\]", "")).toList())
                + "]");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/credits")), 200,
                "{\"balances\":[],\"grants\":[]}");
        PlatformApiStub.json(api, get(urlPathEqualTo(InvoicesResourceTest.UPCOMING_PATH)), 200,
                InvoicesResourceTest.UPCOMING);
    }

    /** The payment cell of the list's row of that invoice, tags stripped and white space collapsed. */
    private static String paymentCell(String html, String id) {
        String row = html.substring(html.indexOf("<tr data-invoice-id=\"" + id + "\">"));
        row = row.substring(0, row.indexOf("</tr>"));
        String cell = row.substring(row.indexOf("<td class=\"invoice-payment\">"));
        return cell.substring(0, cell.indexOf("</td>")).replaceAll("<[^>]+>", "").replaceAll("\\s+", " ").trim();
    }

    /** Whether the page offers anything of the admin's payment forms. */
    private static boolean adminForms(String html) {
        return html.contains("record-payment") || html.contains("remove-payment") || html.contains("/payment\"")
                || html.contains("record-refund") || html.contains("remove-entry") || html.contains("<form")
                || html.contains("action=\"/admin/billing") || html.contains("name=\"reference\"");
    }

    @Test
    @TestSecurity(user = "alice")
    void theListShowsEachFinalizedInvoicesPaymentStateAndNothingForTheOthers() {
        String html = given().when().get("/t/acme/invoices").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<th scope=\"col\">Payment</th>"), html);
        assertEquals("Due 2026-12-01", paymentCell(html, OPEN_ID));
        assertEquals("Overdue since 2026-11-01", paymentCell(html, OVERDUE_ID));
        assertEquals("Paid 2026-09-20", paymentCell(html, PAID_ID));
        assertEquals("Nothing due", paymentCell(html, NOTHING_ID));
        assertEquals("Partially paid, due 2026-12-01", paymentCell(html, PARTIAL_ID));
        assertEquals("Refund due", paymentCell(html, REFUND_ID));
        assertTrue(html.contains("<span class=\"badge payment partially-paid\">"), html);
        assertTrue(html.contains("<span class=\"badge payment refund-due\">Refund due</span>"), html);
        assertEquals("", paymentCell(html, NOTE_ID));
        assertEquals("", paymentCell(html, VOID_ID));
        assertTrue(html.contains("<span class=\"badge payment overdue\">Overdue since <time"
                + " datetime=\"2026-11-01T00:10:00Z\">2026-11-01</time></span>"), "overdue stands out: " + html);
        assertEquals(1, html.split("badge payment overdue", -1).length - 1, "only the overdue invoice");
        assertFalse(adminForms(html), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void anUnpaidInvoiceShowsTheAmountDueAndWhenItIsDue() {
        String open = given().when().get("/t/acme/invoices/" + OPEN_ID).then().statusCode(200).extract().asString();
        assertEquals("Due 2026-12-01", Forms.text(open, "invoice-payment"));
        assertEquals("$5.00", Forms.text(open, "invoice-amount-due"));
        assertEquals("2026-12-01", Forms.text(open, "invoice-due-at"));
        assertNull(Forms.text(open, "invoice-paid-at"));
        assertNull(Forms.text(open, "invoice-payment-reference"));
        assertFalse(adminForms(open), open);

        String overdue = given().when().get("/t/acme/invoices/" + OVERDUE_ID).then().statusCode(200).extract()
                .asString();
        assertEquals("Overdue since 2026-11-01", Forms.text(overdue, "invoice-payment"));
        assertTrue(overdue.contains("<dd id=\"invoice-payment\"><span class=\"badge payment overdue\">"), overdue);
        assertEquals("$5.00", Forms.text(overdue, "invoice-amount-due"));
        assertFalse(adminForms(overdue), overdue);
    }

    @Test
    @TestSecurity(user = "alice")
    void anOverdueInvoiceOnAPlatformThatSuspendsNonPayersSaysFromWhenTheKeysAreSuspended() {
        String id = "2f0c5a7b-0000-4000-8000-0000000000f1";
        String payment = PlatformApiStub.payment("overdue", "5.00", "2026-11-01T00:10:00Z", null, null, null);
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/invoices/" + id)), 200,
                invoice(id, "INV-2026-09-acme-2", "INVOICE", "FINALIZED",
                        payment.substring(0, payment.length() - 1) + ",\"suspends_at\":\"2026-11-15T00:10:00Z\"}"));
        String html = given().when().get("/t/acme/invoices/" + id).then().statusCode(200).extract().asString();
        assertTrue(html.contains("<dd id=\"invoice-suspends-at\">from <time datetime=\"2026-11-15T00:10:00Z\">"
                + "2026-11-15</time> unless paid</dd>"), html);
        String plain = given().when().get("/t/acme/invoices/" + OVERDUE_ID).then().statusCode(200).extract()
                .asString();
        assertNull(Forms.text(plain, "invoice-suspends-at"), "a platform that never suspends says nothing of it");
    }

    @Test
    @TestSecurity(user = "alice")
    void aPaidInvoiceShowsTheDayItWasPaidAndTheReference() {
        String html = given().when().get("/t/acme/invoices/" + PAID_ID).then().statusCode(200).extract().asString();
        assertEquals("Paid 2026-09-20", Forms.text(html, "invoice-payment"));
        assertEquals("2026-09-20", Forms.text(html, "invoice-paid-at"));
        assertEquals("$5.00", Forms.text(html, "invoice-paid-amount"));
        assertEquals("wire 2026-1187", Forms.text(html, "invoice-payment-reference"));
        assertNull(Forms.text(html, "invoice-amount-due"), "nothing left to pay");
        assertFalse(adminForms(html), html);
    }

    /** The ledger's rows, each cell's text with the row's kind first. */
    private static List<List<String>> ledgerRows(String html) {
        int start = html.indexOf("<table id=\"payment-entries\">");
        assertTrue(start >= 0, html);
        String table = html.substring(start, html.indexOf("</table>", start));
        java.util.regex.Matcher rows = java.util.regex.Pattern.compile(
                "<tr data-entry-id=\"[^\"]+\" data-entry-kind=\"([^\"]+)\">(.*?)</tr>",
                java.util.regex.Pattern.DOTALL).matcher(table);
        List<List<String>> all = new java.util.ArrayList<>();
        while (rows.find()) {
            List<String> row = new java.util.ArrayList<>(List.of(rows.group(1)));
            java.util.regex.Matcher cells = java.util.regex.Pattern.compile("<td[^>]*>(.*?)</td>",
                    java.util.regex.Pattern.DOTALL).matcher(rows.group(2));
            while (cells.find()) {
                row.add(cells.group(1).replaceAll("<[^>]+>", "").replaceAll("\\s+", " ").trim());
            }
            all.add(row);
        }
        return all;
    }

    @Test
    @TestSecurity(user = "alice")
    void aPartlyPaidInvoiceShowsWhatWasPaidWhatIsLeftAndItsLedgerReadOnly() {
        String html = given().when().get("/t/acme/invoices/" + PARTIAL_ID).then().statusCode(200).extract()
                .asString();
        assertEquals("Partially paid, due 2026-12-01", Forms.text(html, "invoice-payment"));
        assertTrue(html.contains("<dt>Left to pay</dt><dd id=\"invoice-amount-due\">$3.80</dd>"), html);
        assertTrue(html.contains("<dt>Paid so far</dt><dd id=\"invoice-paid-amount\">$1.20</dd>"), html);
        assertEquals("wire A-1", Forms.text(html, "invoice-payment-reference"));
        assertEquals("Payments and refunds", Forms.text(html, "payment-entries-heading"));
        assertEquals(List.of(List.of("payment", "Payment", "$1.20", "2026-11-10", "wire A-1", "2026-11-10 14:05")),
                ledgerRows(html));
        assertFalse(adminForms(html), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void aRefundDueSaysWhatIsOwedBackAndTheLedgerListsTheRefund() {
        String html = given().when().get("/t/acme/invoices/" + REFUND_ID).then().statusCode(200).extract()
                .asString();
        assertEquals("Refund due", Forms.text(html, "invoice-payment"));
        assertEquals("$1.00", Forms.text(html, "invoice-refund-due"));
        assertEquals("$1.00", Forms.text(html, "invoice-refunded"));
        assertEquals("$5.00", Forms.text(html, "invoice-paid-amount"));
        assertNull(Forms.text(html, "invoice-amount-due"), "nothing is left to pay");
        assertEquals(List.of(
                List.of("payment", "Payment", "$5.00", "2026-11-05", "wire A-2", "2026-11-05 10:00"),
                List.of("refund", "Refund", "$1.00", "2026-11-20", "refund A-3", "2026-11-20 16:45")),
                ledgerRows(html));
        assertFalse(adminForms(html), html);
        // no ledger without entries
        String open = given().when().get("/t/acme/invoices/" + OPEN_ID).then().statusCode(200).extract().asString();
        assertFalse(open.contains("payment-entries"), open);
    }

    @Test
    @TestSecurity(user = "alice")
    void nothingDueIsSaidAndCreditNotesAndVoidInvoicesSayNothingAboutPayment() {
        String nothing = given().when().get("/t/acme/invoices/" + NOTHING_ID).then().statusCode(200).extract()
                .asString();
        assertEquals("Nothing due", Forms.text(nothing, "invoice-payment"));
        assertEquals("$0.00", Forms.text(nothing, "invoice-amount-due"));
        for (String id : new String[] {NOTE_ID, VOID_ID}) {
            String html = given().when().get("/t/acme/invoices/" + id).then().statusCode(200).extract().asString();
            assertFalse(html.contains("invoice-payment") || html.contains("invoice-amount-due")
                    || html.contains("Due ") || html.contains("Paid "), id + ": " + html);
        }
    }

    @Test
    @TestSecurity(user = "root")
    void evenAPlatformAdminSeesNoPaymentFormOnTheTenantsPages() {
        PlatformApiStub.me(api, "root@aiaas.test", true);
        String list = given().when().get("/t/acme/invoices").then().statusCode(200).extract().asString();
        assertEquals("Due 2026-12-01", paymentCell(list, OPEN_ID));
        assertFalse(adminForms(list), list);
        for (String id : new String[] {OPEN_ID, OVERDUE_ID, PAID_ID}) {
            String html = given().when().get("/t/acme/invoices/" + id).then().statusCode(200).extract().asString();
            assertTrue(html.contains("id=\"invoice-payment\""), id);
            assertFalse(adminForms(html), id + ": " + html);
        }
    }
}
