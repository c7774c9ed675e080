package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.aiaas.console.admin.AdminBillingInvoiceTest.withoutLines;
import static io.aiaas.console.admin.AdminBillingPaymentTest.NOTHING;
import static io.aiaas.console.admin.AdminBillingPaymentTest.NOTHING_ID;
import static io.aiaas.console.admin.AdminBillingPaymentTest.OPEN;
import static io.aiaas.console.admin.AdminBillingPaymentTest.OPEN_ID;
import static io.aiaas.console.admin.AdminBillingPaymentTest.OVERDUE;
import static io.aiaas.console.admin.AdminBillingPaymentTest.OVERDUE_ID;
import static io.aiaas.console.admin.AdminBillingPaymentTest.PAID;
import static io.aiaas.console.admin.AdminBillingPaymentTest.PAID_ID;
import static io.aiaas.console.admin.AdminBillingPaymentTest.finalized;
import static io.aiaas.console.admin.AdminBillingResourceTest.text;
import static io.aiaas.console.testsupport.PlatformApiStub.entry;
import static io.aiaas.console.testsupport.PlatformApiStub.ledger;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
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
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The payment ledger on the admin's invoice page ({@link AdminInvoiceResource}): the table of payments and refunds with
 * a Remove button per entry, a payment of part of what is left (the amount converted exactly to the currency's minor
 * units), a refund when the tenant paid more than the invoice now asks, the partially paid and refund due badges, and
 * the notices saying where the invoice stands after each.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminInvoiceLedgerTest {

    static final String PARTIAL_ID = "3e0c5a7b-0000-4000-8000-00000000000a";
    static final String REFUND_ID = "3e0c5a7b-0000-4000-8000-00000000000b";
    static final String JPY_ID = "3e0c5a7b-0000-4000-8000-00000000000c";
    static final String FIRST_ENTRY = "3e0c5a7b-0000-4000-8000-0000000000e1";
    static final String SECOND_ENTRY = "3e0c5a7b-0000-4000-8000-0000000000e2";
    static final String REFUND_ENTRY = "3e0c5a7b-0000-4000-8000-0000000000e3";

    /** 5.00 USD, 1.20 of it paid on 2026-11-10: 3.80 left, not yet due. */
    static final String PARTIAL = finalized(PARTIAL_ID, "INV-2026-10-acme-7", "acme",
            ledger("partially_paid", "3.80", "2026-12-01T00:10:00Z", "2026-11-10T00:00:00Z", "1.20", "wire A-1", null,
                    null, entry(FIRST_ENTRY, "payment", "1.20", "2026-11-10T00:00:00Z", "wire A-1",
                            "2026-11-10T14:05:00Z")));
    /**
     * 5.00 USD paid in two parts (2.00 and 3.00), then a credit note of 2.00 took it to 3.00: 2.00 overpaid, of which
     * 1.00 was refunded; 1.00 still owed back.
     */
    static final String REFUND = finalized(REFUND_ID, "INV-2026-10-globex-7", "globex",
            ledger("refund_due", "0.00", "2026-12-01T00:10:00Z", "2026-11-12T00:00:00Z", "5.00", "wire G-2", "1.00",
                    "1.00",
                    entry(FIRST_ENTRY, "payment", "2.00", "2026-11-05T00:00:00Z", "wire G-1", "2026-11-05T10:00:00Z"),
                    entry(SECOND_ENTRY, "payment", "3.00", "2026-11-12T00:00:00Z", "wire G-2",
                            "2026-11-12T10:30:00Z"),
                    entry(REFUND_ENTRY, "refund", "1.00", "2026-11-20T00:00:00Z", "refund G-3",
                            "2026-11-20T16:45:00Z")));
    /** 500 JPY, open: the yen has no minor units. */
    static final String JPY = finalized(JPY_ID, "INV-2026-10-umbrella-7", "umbrella",
            "\"payment\":{\"status\":\"open\",\"amount_due_minor\":500,\"amount_due\":\"500\","
                    + "\"due_at\":\"2026-12-01T00:10:00Z\"}")
            .replace("\"currency\":\"USD\"", "\"currency\":\"JPY\"");

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        Map<String, String> byId = Map.of(PARTIAL_ID, PARTIAL, REFUND_ID, REFUND, JPY_ID, JPY, OPEN_ID, OPEN,
                OVERDUE_ID, OVERDUE, PAID_ID, PAID, NOTHING_ID, NOTHING);
        byId.forEach((id, json) -> PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/invoices/" + id)), 200,
                json));
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/invoices")), 200, "[" + String.join(",",
                List.of(withoutLines(PARTIAL), withoutLines(REFUND), withoutLines(OPEN), withoutLines(PAID))) + "]");
    }

    private static String page(String id) {
        return given().when().get("/admin/billing/invoices/" + id).then().statusCode(200).extract().asString();
    }

    /** The ledger's rows: each cell's text, tags stripped, with the row's entry id and kind first. */
    private static List<List<String>> ledgerRows(String html) {
        int start = html.indexOf("<table id=\"payment-entries\">");
        assertTrue(start >= 0, html);
        String table = html.substring(start, html.indexOf("</table>", start));
        Matcher rows = Pattern.compile("<tr data-entry-id=\"([^\"]+)\" data-entry-kind=\"([^\"]+)\">(.*?)</tr>",
                Pattern.DOTALL).matcher(table);
        List<List<String>> all = new ArrayList<>();
        while (rows.find()) {
            List<String> row = new ArrayList<>(List.of(rows.group(1), rows.group(2)));
            Matcher cells = Pattern.compile("<td[^>]*>(.*?)</td>", Pattern.DOTALL).matcher(rows.group(3));
            while (cells.find()) {
                row.add(cells.group(1).replaceAll("<[^>]+>", "").replaceAll("\\s+", " ").trim());
            }
            all.add(row);
        }
        return all;
    }

    /** The payment cell of the list's row of that invoice, tags stripped. */
    private static String paymentCell(String html, String id) {
        String row = html.substring(html.indexOf("<tr data-invoice-id=\"" + id + "\""));
        row = row.substring(0, row.indexOf("</tr>"));
        String cell = row.substring(row.indexOf("<td class=\"invoice-payment\">"));
        return cell.substring(0, cell.indexOf("</td>")).replaceAll("<[^>]+>", "").replaceAll("\\s+", " ").trim();
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theLedgerListsEachPaymentAndRefundInTheOrderRecordedWithARemoveButtonThatAsksFirst() {
        String html = page(REFUND_ID);
        assertEquals("Payments and refunds", text(html, "payment-entries-heading"));
        assertEquals(List.of(
                List.of(FIRST_ENTRY, "payment", "Payment", "$2.00", "2026-11-05", "wire G-1", "2026-11-05 10:00",
                        "Remove"),
                List.of(SECOND_ENTRY, "payment", "Payment", "$3.00", "2026-11-12", "wire G-2", "2026-11-12 10:30",
                        "Remove"),
                List.of(REFUND_ENTRY, "refund", "Refund", "$1.00", "2026-11-20", "refund G-3", "2026-11-20 16:45",
                        "Remove")), ledgerRows(html));
        assertTrue(html.contains("<time datetime=\"2026-11-20T00:00:00Z\">2026-11-20</time>"), html);
        // one form per entry: its own URL, the kind for the notice, CSRF, and a confirmation naming what goes
        String form = html.substring(html.indexOf("<form class=\"inline remove-entry\" id=\"remove-entry-"
                + REFUND_ENTRY + "\""));
        form = form.substring(0, form.indexOf("</form>"));
        assertTrue(form.contains("action=\"/admin/billing/invoices/" + REFUND_ID + "/payments/" + REFUND_ENTRY
                + "/remove\""), form);
        assertTrue(form.contains("data-confirm=\"Remove the refund of $1.00 (refund G-3) from INV-2026-10-globex-7?"
                + " The invoice then stands as it would without it.\""), form);
        assertTrue(form.contains("<input type=\"hidden\" name=\"kind\" value=\"refund\">"), form);
        assertTrue(form.contains("name=\"csrf-token\""), form);
        assertTrue(form.contains("id=\"remove-entry-" + REFUND_ENTRY + "-submit\""), form);
        assertTrue(html.contains("data-confirm=\"Remove the payment of $2.00 (wire G-1) from INV-2026-10-globex-7?"),
                html);

        // no entries, no table
        String open = page(OPEN_ID);
        assertFalse(open.contains("payment-entries"), open);
        assertFalse(open.contains("remove-entry"), open);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPartlyPaidInvoiceShowsItsBadgeWhatWasPaidWhatIsLeftAndTheOptionalAmount() {
        String html = given().when().get("/admin/billing/invoices/" + PARTIAL_ID)
                .then().statusCode(200)
                .body(containsString("<dd id=\"invoice-payment\"><span class=\"badge payment partially-paid\">"
                        + "Partially paid, due <time datetime=\"2026-12-01T00:10:00Z\">2026-12-01</time></span>"))
                .body(containsString("<form id=\"record-payment\" method=\"post\" action=\"/admin/billing/invoices/"
                        + PARTIAL_ID + "/payment\">"))
                .body(containsString("<label for=\"payment-amount\">Amount (USD; empty = all that is left, $3.80)"
                        + "</label>"))
                .body(containsString("<input id=\"payment-amount\" name=\"amount\" inputmode=\"decimal\""
                        + " autocomplete=\"off\" value=\"\" placeholder=\"3.80\""))
                .body(not(containsString("id=\"record-refund\"")))
                .body(not(containsString("id=\"payment-recorded\"")))
                .extract().asString();
        assertEquals("Partially paid, due 2026-12-01", text(html, "invoice-payment"));
        assertEquals("$3.80", text(html, "invoice-amount-due"));
        assertTrue(html.contains("<dt>Left to pay</dt><dd id=\"invoice-amount-due\">"), html);
        assertEquals("$1.20", text(html, "invoice-paid-amount"));
        assertTrue(html.contains("<dt>Paid so far</dt><dd id=\"invoice-paid-amount\">"), html);
        assertEquals("2026-11-10", text(html, "invoice-paid-at"));
        assertEquals("wire A-1", text(html, "invoice-payment-reference"));
        assertTrue(text(html, "payment-left").startsWith("$1.20 was paid so far; $3.80 is left to pay"), html);
        assertEquals(1, ledgerRows(html).size());
        assertNull(text(html, "invoice-refund-due"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aTypedAmountIsSentInTheCurrencysMinorUnitsExactly() {
        PlatformApiStub.json(api, post(urlPathMatching("/admin/v1/invoices/[^/]+/payments")), 200, PARTIAL);
        Csrf csrf = Csrf.from("/admin/billing/invoices/" + PARTIAL_ID);
        Map<String, Object[]> sent = new HashMap<>();
        // typed amount, invoice, the amount_minor platform-api must get
        sent.put("1.2", new Object[] {OPEN_ID, 120});
        sent.put(" 3.80 ", new Object[] {PARTIAL_ID, 380});
        sent.put("0.01", new Object[] {OVERDUE_ID, 1});
        sent.put("12", new Object[] {JPY_ID, 12});
        sent.forEach((typed, expected) -> {
            String id = (String) expected[0];
            csrf.form().formParam("reference", "wire " + typed.trim()).formParam("paid_at", "")
                    .formParam("amount", typed)
                    .when().post("/admin/billing/invoices/" + id + "/payment")
                    .then().statusCode(303)
                    .header("Location", endsWith("/admin/billing/invoices/" + id + "?done=paid"));
            api.verify(1, postRequestedFor(urlPathEqualTo("/admin/v1/invoices/" + id + "/payments"))
                    .withRequestBody(equalToJson("{\"reference\": \"wire " + typed.trim() + "\", \"amount_minor\": "
                            + expected[1] + "}")));
        });
        api.verify(0, postRequestedFor(urlPathMatching("/admin/v1/invoices/[^/]+/payment")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anAmountTheCurrencyCannotHoldIsRefusedBesideTheInputAndNeverSent() {
        Csrf csrf = Csrf.from("/admin/billing/invoices/" + PARTIAL_ID);
        // typed, invoice, the message beside the amount
        String[][] refused = {
            {"0.005", PARTIAL_ID, "at most 2 decimals (the smallest amount of USD is 0.01)"},
            {"1.234", OPEN_ID, "at most 2 decimals (the smallest amount of USD is 0.01)"},
            {"12.5", JPY_ID, "no decimals (the smallest amount of JPY is 1)"},
            {"abc", PARTIAL_ID, "not an amount: type one such as 2.50"},
            {"1,20", PARTIAL_ID, "not an amount: type one such as 2.50"},
            {"0", PARTIAL_ID, "must be more than 0"},
            {"-1", PARTIAL_ID, "must be more than 0"},
            {"1e999999999", PARTIAL_ID, "too large"},
        };
        for (String[] r : refused) {
            String html = csrf.form().formParam("reference", "wire 9").formParam("paid_at", "2026-11-20")
                    .formParam("amount", r[0])
                    .when().post("/admin/billing/invoices/" + r[1] + "/payment")
                    .then().statusCode(400)
                    .body(containsString("id=\"record-payment-error\">Check the fields marked below.</p>"))
                    .body(containsString("aria-invalid=\"true\" aria-describedby=\"payment-amount-error\""))
                    .extract().asString();
            assertEquals(r[2], text(html, "payment-amount-error"), r[0]);
            assertTrue(html.contains("name=\"amount\" inputmode=\"decimal\" autocomplete=\"off\" value=\"" + r[0]
                    + "\""), r[0] + ": what was typed is kept");
            assertTrue(html.contains("value=\"wire 9\"") && html.contains("value=\"2026-11-20\""), r[0]);
            // the credit note's amount input is another form's: nothing beside it
            assertNull(text(html, "credit-note-amount-error"), r[0]);
        }
        api.verify(0, postRequestedFor(urlPathMatching("/admin/v1/.*")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPaymentBeyondWhatIsLeftIsShownBesideTheAmountAndAboveTheForm() {
        String message = "Only 3.80 USD is left to pay on invoice INV-2026-10-acme-7; a payment of 3.81 USD would"
                + " exceed it";
        PlatformApiStub.problem(api, post(urlPathEqualTo("/admin/v1/invoices/" + PARTIAL_ID + "/payments")), 409,
                "payment_exceeds_balance", message);
        String html = Csrf.from("/admin/billing/invoices/" + PARTIAL_ID).form().formParam("reference", "wire 2")
                .formParam("amount", "3.81")
                .when().post("/admin/billing/invoices/" + PARTIAL_ID + "/payment")
                .then().statusCode(409)
                .extract().asString();
        assertEquals(message, text(html, "record-payment-error"));
        assertEquals(message, text(html, "payment-amount-error"));
        assertNull(text(html, "payment-reference-error"));
        assertTrue(html.contains("value=\"3.81\""), html);
        api.verify(1, postRequestedFor(urlPathEqualTo("/admin/v1/invoices/" + PARTIAL_ID + "/payments"))
                .withRequestBody(equalToJson("{\"reference\": \"wire 2\", \"amount_minor\": 381}")));

        // platform-api's field error on amount_minor goes beside the amount too
        PlatformApiStub.invalid(api, post(urlPathEqualTo("/admin/v1/invoices/" + PARTIAL_ID + "/payments")),
                "amount_minor: must be greater than 0", "amount_minor", "must be greater than 0");
        String invalid = Csrf.from("/admin/billing/invoices/" + PARTIAL_ID).form().formParam("reference", "wire 2")
                .formParam("amount", "1")
                .when().post("/admin/billing/invoices/" + PARTIAL_ID + "/payment")
                .then().statusCode(400).extract().asString();
        assertEquals("must be greater than 0", text(invalid, "payment-amount-error"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theNoticeAfterAPaymentSaysWhatIsLeftOrThatTheInvoiceIsPaid() {
        assertEquals("Payment recorded. $3.80 is left to pay.",
                text(page(PARTIAL_ID + "?done=paid"), "invoice-done"));
        assertEquals("Payment recorded. $5.00 is left to pay, overdue since 2026-12-01.",
                text(page(OVERDUE_ID + "?done=paid"), "invoice-done"));
        assertEquals("Payment recorded. The invoice is paid; remove the payment if it was recorded by mistake.",
                text(page(PAID_ID + "?done=paid"), "invoice-done"));
        assertEquals("Payment removed. $3.80 is left to pay.",
                text(page(PARTIAL_ID + "?done=payment-removed"), "invoice-done"));
        assertEquals("Refund removed. $1.00 is owed back to the tenant: record the refund once it is sent.",
                text(page(REFUND_ID + "?done=refund-removed"), "invoice-done"));
        // a key the console does not make says nothing
        assertNull(text(page(PARTIAL_ID + "?done=partly"), "invoice-done"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theRefundFormIsShownOnlyWhenARefundIsDueWithWhatIsOwedBack() {
        for (String id : List.of(OPEN_ID, PARTIAL_ID, OVERDUE_ID, PAID_ID, NOTHING_ID, JPY_ID)) {
            String html = page(id);
            assertFalse(html.contains("record-refund") || html.contains("refund-amount")
                    || html.contains("refund-owed"), id + ": " + html);
        }
        String html = given().when().get("/admin/billing/invoices/" + REFUND_ID)
                .then().statusCode(200)
                .body(containsString("<dd id=\"invoice-payment\"><span class=\"badge payment refund-due\">Refund due"
                        + "</span>"))
                .body(containsString("<form id=\"record-refund\" method=\"post\" action=\"/admin/billing/invoices/"
                        + REFUND_ID + "/refund\""))
                .body(containsString("<input id=\"refund-reference\" name=\"reference\" value=\"\" maxlength=\"200\""
                        + " required"))
                .body(containsString("<input id=\"refund-refunded-at\" name=\"refunded_at\" type=\"date\""))
                .body(containsString("<label for=\"refund-amount\">Amount (USD; empty = all that is owed back, $1.00)"
                        + "</label>"))
                .body(containsString("<button class=\"primary\" id=\"record-refund-submit\" type=\"submit\">Record"
                        + " refund</button>"))
                .body(not(containsString("id=\"record-payment\"")))
                .extract().asString();
        String form = html.substring(html.indexOf("<form id=\"record-refund\""));
        assertTrue(form.substring(0, form.indexOf("</form>")).contains("name=\"csrf-token\""), form);
        assertEquals("$1.00", text(html, "refund-owed-amount"));
        assertTrue(text(html, "refund-owed").contains("$1.00 is owed back to the tenant"), html);
        assertEquals("Refund due", text(html, "invoice-payment"));
        assertEquals("$1.00", text(html, "invoice-refund-due"));
        assertEquals("$1.00", text(html, "invoice-refunded"));
        assertEquals("$5.00", text(html, "invoice-paid-amount"));
        assertNull(text(html, "invoice-amount-due"), "nothing is left to pay");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void recordingARefundSendsTheAmountOrNoneAndTheNoticeSaysWhatIsStillOwedBack() {
        PlatformApiStub.json(api, post(urlPathEqualTo("/admin/v1/invoices/" + REFUND_ID + "/refunds")), 200, REFUND);
        Csrf csrf = Csrf.from("/admin/billing/invoices/" + REFUND_ID);
        csrf.form().formParam("reference", " refund G-4 ").formParam("refunded_at", "2026-11-25")
                .formParam("amount", "0.5")
                .when().post("/admin/billing/invoices/" + REFUND_ID + "/refund")
                .then().statusCode(303)
                .header("Location", endsWith("/admin/billing/invoices/" + REFUND_ID + "?done=refunded"));
        api.verify(1, postRequestedFor(urlPathEqualTo("/admin/v1/invoices/" + REFUND_ID + "/refunds"))
                .withRequestBody(equalToJson("{\"reference\": \"refund G-4\", \"refunded_at\":"
                        + " \"2026-11-25T00:00:00Z\", \"amount_minor\": 50}")));
        // nothing typed: all that is owed back, now
        csrf.form().formParam("reference", "refund G-5").formParam("refunded_at", "").formParam("amount", "")
                .when().post("/admin/billing/invoices/" + REFUND_ID + "/refund")
                .then().statusCode(303);
        api.verify(1, postRequestedFor(urlPathEqualTo("/admin/v1/invoices/" + REFUND_ID + "/refunds"))
                .withRequestBody(equalToJson("{\"reference\": \"refund G-5\"}")));

        assertEquals("Refund recorded. $1.00 is still owed back to the tenant.",
                text(page(REFUND_ID + "?done=refunded"), "invoice-done"));
        assertEquals("Refund recorded. Nothing more is owed back: the invoice is paid.",
                text(page(PAID_ID + "?done=refunded"), "invoice-done"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRefundTheConsoleOrPlatformApiRefusesIsShownBesideTheRefundForm() {
        Csrf csrf = Csrf.from("/admin/billing/invoices/" + REFUND_ID);
        String html = csrf.form().formParam("reference", "").formParam("amount", "0.001")
                .when().post("/admin/billing/invoices/" + REFUND_ID + "/refund")
                .then().statusCode(400)
                .body(containsString("id=\"record-refund-error\">Check the fields marked below.</p>"))
                .extract().asString();
        assertEquals("at most 2 decimals (the smallest amount of USD is 0.01)", text(html, "refund-amount-error"));
        assertEquals("enter the reference of the refund, e.g. of the bank transfer",
                text(html, "refund-reference-error"));
        api.verify(0, postRequestedFor(urlPathMatching("/admin/v1/.*")));

        String message = "Only 1.00 USD is owed back on invoice INV-2026-10-globex-7; a refund of 1.50 USD would"
                + " exceed it";
        PlatformApiStub.problem(api, post(urlPathEqualTo("/admin/v1/invoices/" + REFUND_ID + "/refunds")), 409,
                "refund_exceeds_balance", message);
        String exceeds = csrf.form().formParam("reference", "refund 1").formParam("amount", "1.50")
                .when().post("/admin/billing/invoices/" + REFUND_ID + "/refund")
                .then().statusCode(409).extract().asString();
        assertEquals(message, text(exceeds, "record-refund-error"));
        assertEquals(message, text(exceeds, "refund-amount-error"));
        assertTrue(exceeds.contains("value=\"1.50\"") && exceeds.contains("value=\"refund 1\""), exceeds);

        PlatformApiStub.problem(api, post(urlPathEqualTo("/admin/v1/invoices/" + REFUND_ID + "/refunds")), 400,
                "invalid_refunded_at", "refunded_at may not be before the day the invoice was finalized");
        String day = csrf.form().formParam("reference", "refund 1").formParam("refunded_at", "2026-10-01")
                .when().post("/admin/billing/invoices/" + REFUND_ID + "/refund")
                .then().statusCode(400).extract().asString();
        assertEquals("refunded_at may not be before the day the invoice was finalized",
                text(day, "refund-refunded-at-error"));
        assertNull(text(day, "refund-amount-error"));

        // refunded meanwhile: the page as it now is, the message above the ledger
        PlatformApiStub.problem(api, post(urlPathEqualTo("/admin/v1/invoices/" + PAID_ID + "/refunds")), 409,
                "nothing_to_refund", "Nothing is owed back on invoice INV-2026-10-initech-1");
        String nothing = csrf.form().formParam("reference", "refund 1")
                .when().post("/admin/billing/invoices/" + PAID_ID + "/refund")
                .then().statusCode(409).extract().asString();
        assertEquals("Nothing is owed back on invoice INV-2026-10-initech-1", text(nothing, "record-refund-error"));
        assertFalse(nothing.contains("id=\"record-refund\""), nothing);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void removingOneEntryDeletesThatEntryAndNoOther() {
        PlatformApiStub.json(api, delete(urlPathMatching("/admin/v1/invoices/" + REFUND_ID + "/payments/.*")), 200,
                REFUND);
        Csrf csrf = Csrf.from("/admin/billing/invoices/" + REFUND_ID);
        csrf.form().formParam("kind", "refund")
                .when().post("/admin/billing/invoices/" + REFUND_ID + "/payments/" + REFUND_ENTRY + "/remove")
                .then().statusCode(303)
                .header("Location", endsWith("/admin/billing/invoices/" + REFUND_ID + "?done=refund-removed"));
        api.verify(1, deleteRequestedFor(urlPathEqualTo("/admin/v1/invoices/" + REFUND_ID + "/payments/"
                + REFUND_ENTRY)));
        api.verify(1, deleteRequestedFor(urlPathMatching("/admin/v1/.*")));

        csrf.form().formParam("kind", "payment")
                .when().post("/admin/billing/invoices/" + REFUND_ID + "/payments/" + SECOND_ENTRY + "/remove")
                .then().statusCode(303)
                .header("Location", endsWith("?done=payment-removed"));
        api.verify(1, deleteRequestedFor(urlPathEqualTo("/admin/v1/invoices/" + REFUND_ID + "/payments/"
                + SECOND_ENTRY)));
        api.verify(0, deleteRequestedFor(urlPathEqualTo("/admin/v1/invoices/" + REFUND_ID + "/payments/"
                + FIRST_ENTRY)));
        api.verify(0, deleteRequestedFor(urlPathEqualTo("/admin/v1/invoices/" + REFUND_ID + "/payment")));
        api.verify(0, postRequestedFor(urlPathMatching("/admin/v1/.*")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theListShowsThePartiallyPaidAndRefundDueBadges() {
        String html = given().when().get("/admin/billing").then().statusCode(200).extract().asString();
        assertEquals("Partially paid, due 2026-12-01", paymentCell(html, PARTIAL_ID));
        assertEquals("Refund due", paymentCell(html, REFUND_ID));
        assertEquals("Due 2026-12-01", paymentCell(html, OPEN_ID));
        assertEquals("Paid 2026-11-20", paymentCell(html, PAID_ID));
        assertTrue(html.contains("<span class=\"badge payment partially-paid\">Partially paid, due <time"), html);
        assertTrue(html.contains("<span class=\"badge payment refund-due\">Refund due</span>"), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void everyRouteOfTheInvoicePageIsServedByAdminInvoiceResourceBehindThePlatformAdminCheck() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        Csrf csrf = Csrf.fabricated();
        String base = "/admin/billing/invoices/" + PARTIAL_ID;
        given().when().get(base).then().statusCode(403).body(containsString("id=\"forbidden\""));
        for (String action : List.of("/finalize", "/void", "/credit-notes", "/payment", "/refund",
                "/payments/" + FIRST_ENTRY + "/remove")) {
            csrf.form().when().post(base + action).then().statusCode(403).body(containsString("id=\"forbidden\""));
        }
        // the first version's removal of "the payment" is gone: each entry is removed by its id
        csrf.form().when().post(base + "/payment/remove").then().statusCode(404);
        api.verify(0, anyRequestedFor(urlPathMatching("/admin/v1/.*")));
    }

    @Test
    void theInvoicePageIsItsOwnResourceAndTheListKeepsNoInvoiceRoute() {
        assertEquals("/admin/billing/invoices", AdminInvoiceResource.class.getAnnotation(Path.class).value());
        assertEquals("/admin/billing", AdminBillingResource.class.getAnnotation(Path.class).value());
        List<String> invoiceRoutes = new ArrayList<>();
        for (Method method : AdminInvoiceResource.class.getDeclaredMethods()) {
            if (method.isAnnotationPresent(Path.class)) {
                invoiceRoutes.add(method.getAnnotation(Path.class).value());
            }
        }
        invoiceRoutes.sort(null);
        assertEquals(List.of("{id}", "{id}/credit-notes", "{id}/finalize", "{id}/payment",
                "{id}/payments/{entryId}/remove", "{id}/refund", "{id}/void"), invoiceRoutes);
        for (Method method : AdminBillingResource.class.getDeclaredMethods()) {
            Path path = method.getAnnotation(Path.class);
            assertTrue(path == null || !path.value().startsWith("invoices"), method.getName());
        }
    }
}
