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
import static io.aiaas.console.admin.AdminBillingInvoiceTest.LINES;
import static io.aiaas.console.admin.AdminBillingInvoiceTest.NOTE;
import static io.aiaas.console.admin.AdminBillingInvoiceTest.NOTE_ID;
import static io.aiaas.console.admin.AdminBillingInvoiceTest.withoutLines;
import static io.aiaas.console.admin.AdminBillingResourceTest.DRAFT_ID;
import static io.aiaas.console.admin.AdminBillingResourceTest.invoice;
import static io.aiaas.console.admin.AdminBillingResourceTest.text;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.matchesPattern;
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
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Payments in the admin console: the payment state of each invoice in the list and on its page, recording a payment
 * (the reference and the day as the start of it in UTC; {@code POST .../payments}), removing one recorded by mistake
 * ({@code DELETE .../payments/{entryId}}), and platform-api's refusals shown beside the forms. Partial payments,
 * refunds and the ledger: {@link AdminInvoiceLedgerTest}.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminBillingPaymentTest {

    static final String OPEN_ID = "1e0c5a7b-0000-4000-8000-00000000000a";
    static final String OVERDUE_ID = "1e0c5a7b-0000-4000-8000-00000000000b";
    static final String PAID_ID = "1e0c5a7b-0000-4000-8000-00000000000c";
    static final String NOTHING_ID = "1e0c5a7b-0000-4000-8000-00000000000d";
    static final String FINALIZED_AT = "\"finalized_at\":\"2026-11-01T00:10:00Z\",";

    static final String OPEN = finalized(OPEN_ID, "INV-2026-10-acme-1", "acme",
            PlatformApiStub.payment("open", "5.00", "2026-12-01T00:10:00Z", null, null, null));
    static final String OVERDUE = finalized(OVERDUE_ID, "INV-2026-10-globex-1", "globex",
            PlatformApiStub.payment("overdue", "5.00", "2026-12-01T00:10:00Z", null, null, null));
    static final String ENTRY_ID = "1e0c5a7b-0000-4000-8000-0000000000e1";
    static final String PAID = finalized(PAID_ID, "INV-2026-10-initech-1", "initech",
            PlatformApiStub.ledger("paid", "0.00", "2026-12-01T00:10:00Z", "2026-11-20T00:00:00Z", "5.00",
                    "wire 2026-1187", null, null, PlatformApiStub.entry(ENTRY_ID, "payment", "5.00",
                            "2026-11-20T00:00:00Z", "wire 2026-1187", "2026-11-21T09:15:00Z")));
    static final String NOTHING = finalized(NOTHING_ID, "INV-2026-10-umbrella-1", "umbrella",
            PlatformApiStub.payment("nothing_due", "0.00", "2026-12-01T00:10:00Z", null, null, null));
    static final String DRAFT = invoice(DRAFT_ID, "INV-2026-10-acme-2", "acme", "INVOICE", "DRAFT", 5_000_000_000L,
            "5.00", null, LINES);

    @PlatformApiStub.Server
    WireMockServer api;

    /** A finalized invoice of 5.00 USD with lines, with that payment member. */
    static String finalized(String id, String number, String tenant, String payment) {
        return invoice(id, number, tenant, "INVOICE", "FINALIZED", 5_000_000_000L, "5.00", FINALIZED_AT + payment,
                LINES);
    }

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        Map<String, String> byId = Map.of(OPEN_ID, OPEN, OVERDUE_ID, OVERDUE, PAID_ID, PAID, NOTHING_ID, NOTHING,
                DRAFT_ID, DRAFT, NOTE_ID, NOTE);
        byId.forEach((id, json) -> PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/invoices/" + id)), 200,
                json));
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/invoices")), 200, "[" + String.join(",",
                List.of(withoutLines(OPEN), withoutLines(OVERDUE), withoutLines(PAID), withoutLines(NOTHING),
                        withoutLines(DRAFT), withoutLines(NOTE))) + "]");
    }

    /** The list's row of that invoice. */
    private static String row(String html, String id) {
        String row = html.substring(html.indexOf("<tr data-invoice-id=\"" + id + "\""));
        return row.substring(0, row.indexOf("</tr>"));
    }

    /** The payment cell of a row, tags stripped and white space collapsed. */
    private static String paymentCell(String row) {
        String cell = row.substring(row.indexOf("<td class=\"invoice-payment\">"));
        return cell.substring(0, cell.indexOf("</td>")).replaceAll("<[^>]+>", "").replaceAll("\\s+", " ").trim();
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theListShowsEachInvoicesPaymentStateAndOverdueStandsOut() {
        String html = given().when().get("/admin/billing")
                .then().statusCode(200)
                .body(containsString("<th scope=\"col\">Payment</th>"))
                .extract().asString();
        assertEquals("Due 2026-12-01", paymentCell(row(html, OPEN_ID)));
        assertEquals("Overdue since 2026-12-01", paymentCell(row(html, OVERDUE_ID)));
        assertEquals("Paid 2026-11-20", paymentCell(row(html, PAID_ID)));
        assertEquals("Nothing due", paymentCell(row(html, NOTHING_ID)));
        assertTrue(row(html, OVERDUE_ID).contains("<span class=\"badge payment overdue\">Overdue since <time"
                + " datetime=\"2026-12-01T00:10:00Z\">2026-12-01</time></span>"), row(html, OVERDUE_ID));
        assertTrue(row(html, PAID_ID).contains("<span class=\"badge payment paid\">"), row(html, PAID_ID));
        assertFalse(row(html, OPEN_ID).contains("overdue"), row(html, OPEN_ID));
        // drafts and credit notes have no payment
        assertEquals("", paymentCell(row(html, DRAFT_ID)));
        assertEquals("", paymentCell(row(html, NOTE_ID)));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anUnpaidInvoiceShowsWhatIsDueAndOffersToRecordThePayment() {
        String html = given().when().get("/admin/billing/invoices/" + OPEN_ID)
                .then().statusCode(200)
                .body(containsString("<section class=\"card\" aria-labelledby=\"payment-heading\""
                        + " id=\"payment-section\">"))
                .body(containsString("<form id=\"record-payment\" method=\"post\" action=\"/admin/billing/invoices/"
                        + OPEN_ID + "/payment\">"))
                .body(containsString("<input id=\"payment-reference\" name=\"reference\" value=\"\" maxlength=\"200\""
                        + " required"))
                .body(matchesPattern("(?s).*<input id=\"payment-paid-at\" name=\"paid_at\" type=\"date\""
                        + " max=\"\\d{4}-\\d{2}-\\d{2}\" value=\"\".*"))
                .body(containsString("<button class=\"primary\" id=\"record-payment-submit\" type=\"submit\">Record"
                        + " payment</button>"))
                .body(not(containsString("id=\"remove-payment\"")))
                .extract().asString();
        String form = html.substring(html.indexOf("<form id=\"record-payment\""));
        assertTrue(form.substring(0, form.indexOf("</form>")).contains("name=\"csrf-token\""), form);
        assertEquals("Due 2026-12-01", text(html, "invoice-payment"));
        assertEquals("$5.00", text(html, "invoice-amount-due"));
        assertEquals("2026-12-01", text(html, "invoice-due-at"));
        assertNull(text(html, "invoice-paid-at"));

        String overdue = given().when().get("/admin/billing/invoices/" + OVERDUE_ID)
                .then().statusCode(200)
                .body(containsString("<form id=\"record-payment\""))
                .body(containsString("class=\"badge payment overdue\""))
                .extract().asString();
        assertEquals("Overdue since 2026-12-01", text(overdue, "invoice-payment"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPaidInvoiceShowsThePaymentAndOffersToRemoveItAskingFirst() {
        String html = given().when().get("/admin/billing/invoices/" + PAID_ID)
                .then().statusCode(200)
                .body(containsString("<form class=\"inline remove-entry\" id=\"remove-entry-" + ENTRY_ID + "\""
                        + " method=\"post\" action=\"/admin/billing/invoices/" + PAID_ID + "/payments/" + ENTRY_ID
                        + "/remove\""))
                .body(containsString("data-confirm=\"Remove the payment of $5.00 (wire 2026-1187) from"
                        + " INV-2026-10-initech-1?"))
                .body(containsString("<button class=\"danger remove-entry-submit\" id=\"remove-entry-" + ENTRY_ID
                        + "-submit\" type=\"submit\">Remove</button>"))
                .body(not(containsString("id=\"record-payment\"")))
                .body(not(containsString("id=\"record-refund\"")))
                .extract().asString();
        String form = html.substring(html.indexOf("<form class=\"inline remove-entry\""));
        assertTrue(form.substring(0, form.indexOf("</form>")).contains("name=\"csrf-token\""), form);
        assertEquals("Paid 2026-11-20", text(html, "invoice-payment"));
        assertEquals("2026-11-20", text(html, "invoice-paid-at"));
        assertEquals("$5.00", text(html, "invoice-paid-amount"));
        assertEquals("wire 2026-1187", text(html, "invoice-payment-reference"));
        assertEquals("Paid on 2026-11-20, $5.00 (reference wire 2026-1187).", text(html, "payment-recorded"));
        assertNull(text(html, "invoice-amount-due"), "nothing is left to pay");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void nothingDueDraftsAndCreditNotesOfferNoPaymentForm() {
        String nothing = given().when().get("/admin/billing/invoices/" + NOTHING_ID)
                .then().statusCode(200).extract().asString();
        assertEquals("Nothing due", text(nothing, "invoice-payment"));
        assertEquals("$0.00", text(nothing, "invoice-amount-due"));
        assertTrue(text(nothing, "payment-none-due").startsWith("Nothing is due"), nothing);
        for (String id : new String[] {DRAFT_ID, NOTE_ID}) {
            String html = given().when().get("/admin/billing/invoices/" + id).then().statusCode(200).extract()
                    .asString();
            assertFalse(html.contains("payment-section") || html.contains("invoice-payment"), id + ": " + html);
        }
        for (String html : new String[] {nothing, given().when().get("/admin/billing/invoices/" + DRAFT_ID)
                .asString()}) {
            assertFalse(html.contains("id=\"record-payment\"") || html.contains("id=\"remove-payment\""), html);
        }
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void recordingAPaymentSendsTheReferenceAndTheStartOfTheDayInUtcAndComesBackWithANotice() {
        PlatformApiStub.json(api, post(urlPathEqualTo("/admin/v1/invoices/" + OPEN_ID + "/payments")), 200,
                PAID.replace(PAID_ID, OPEN_ID));
        Csrf csrf = Csrf.from("/admin/billing/invoices/" + OPEN_ID);
        csrf.form().formParam("reference", " wire 2026-1187 ").formParam("paid_at", "2026-11-20")
                .when().post("/admin/billing/invoices/" + OPEN_ID + "/payment")
                .then().statusCode(303)
                .header("Location", endsWith("/admin/billing/invoices/" + OPEN_ID + "?done=paid"));
        // no amount typed: none sent, all that is left is paid; the deprecated POST .../payment is not used
        api.verify(1, postRequestedFor(urlPathEqualTo("/admin/v1/invoices/" + OPEN_ID + "/payments"))
                .withRequestBody(equalToJson("{\"reference\": \"wire 2026-1187\","
                        + " \"paid_at\": \"2026-11-20T00:00:00Z\"}")));
        api.verify(0, postRequestedFor(urlPathEqualTo("/admin/v1/invoices/" + OPEN_ID + "/payment")));

        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/invoices/" + OPEN_ID)), 200,
                PAID.replace(PAID_ID, OPEN_ID));
        String html = given().when().get("/admin/billing/invoices/" + OPEN_ID + "?done=paid")
                .then().statusCode(200)
                .body(containsString("id=\"remove-entry-" + ENTRY_ID + "\""))
                .extract().asString();
        assertEquals("Payment recorded. The invoice is paid; remove the payment if it was recorded by mistake.",
                text(html, "invoice-done"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void withoutADayNoPaidAtIsSentAndPlatformApiTakesNow() {
        PlatformApiStub.json(api, post(urlPathEqualTo("/admin/v1/invoices/" + OVERDUE_ID + "/payments")), 200,
                PAID.replace(PAID_ID, OVERDUE_ID));
        Csrf.from("/admin/billing/invoices/" + OVERDUE_ID).form().formParam("reference", "cheque 42")
                .formParam("paid_at", "")
                .when().post("/admin/billing/invoices/" + OVERDUE_ID + "/payment")
                .then().statusCode(303)
                .header("Location", endsWith("?done=paid"));
        // exactly this body: a paid_at key, even null, would be a day platform-api has to read
        api.verify(1, postRequestedFor(urlPathEqualTo("/admin/v1/invoices/" + OVERDUE_ID + "/payments"))
                .withRequestBody(equalToJson("{\"reference\": \"cheque 42\"}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRefusedPaymentIsShownOnThePageNotAsAnErrorPage() {
        PlatformApiStub.problem(api, post(urlPathEqualTo("/admin/v1/invoices/" + PAID_ID + "/payments")), 409,
                "invoice_paid", "Invoice INV-2026-10-initech-1 is paid already");
        Csrf csrf = Csrf.from("/admin/billing/invoices/" + OPEN_ID);
        csrf.form().formParam("reference", "wire 2026-1190")
                .when().post("/admin/billing/invoices/" + PAID_ID + "/payment")
                .then().statusCode(409)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"record-payment-error\">Invoice"
                        + " INV-2026-10-initech-1 is paid already</p>"))
                // the page as it is now: paid, with the payment that was recorded first
                .body(containsString("id=\"remove-entry-" + ENTRY_ID + "\""))
                .body(containsString("wire 2026-1187"));

        PlatformApiStub.problem(api, post(urlPathEqualTo("/admin/v1/invoices/" + OPEN_ID + "/payments")), 409,
                "nothing_due", "Nothing is due on INV-2026-10-acme-1");
        csrf.form().formParam("reference", "wire <2026>").formParam("paid_at", "2026-11-20")
                .when().post("/admin/billing/invoices/" + OPEN_ID + "/payment")
                .then().statusCode(409)
                .body(containsString("id=\"record-payment-error\">Nothing is due on INV-2026-10-acme-1</p>"))
                .body(containsString("name=\"reference\" value=\"wire &lt;2026&gt;\""))
                .body(matchesPattern("(?s).*name=\"paid_at\" type=\"date\" max=\"[0-9-]{10}\""
                        + " value=\"2026-11-20\".*"));

        // a draft has no payment section: the refusal shows above the page's forms
        PlatformApiStub.problem(api, post(urlPathEqualTo("/admin/v1/invoices/" + DRAFT_ID + "/payments")), 409,
                "invoice_not_finalized", "Invoice INV-2026-10-acme-2 is not finalized");
        csrf.form().formParam("reference", "wire 1")
                .when().post("/admin/billing/invoices/" + DRAFT_ID + "/payment")
                .then().statusCode(409)
                .body(containsString("id=\"record-payment-error\">Invoice INV-2026-10-acme-2 is not finalized</p>"))
                .body(containsString("id=\"finalize-draft\""))
                .body(not(containsString("id=\"payment-section\"")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aDayPlatformApiRefusesIsShownBesideTheDateInput() {
        PlatformApiStub.problem(api, post(urlPathEqualTo("/admin/v1/invoices/" + OPEN_ID + "/payments")), 400,
                "invalid_paid_at", "paid_at may not be before the invoice was finalized (2026-11-01T00:10:00Z)");
        String html = Csrf.from("/admin/billing/invoices/" + OPEN_ID).form().formParam("reference", "wire 1")
                .formParam("paid_at", "2026-10-15")
                .when().post("/admin/billing/invoices/" + OPEN_ID + "/payment")
                .then().statusCode(400)
                .body(containsString("aria-invalid=\"true\" aria-describedby=\"payment-paid-at-error\""))
                .extract().asString();
        assertEquals("paid_at may not be before the invoice was finalized (2026-11-01T00:10:00Z)",
                text(html, "record-payment-error"));
        assertEquals("paid_at may not be before the invoice was finalized (2026-11-01T00:10:00Z)",
                text(html, "payment-paid-at-error"));

        PlatformApiStub.invalid(api, post(urlPathEqualTo("/admin/v1/invoices/" + OPEN_ID + "/payments")),
                "reference: size must be between 1 and 200", "recordPayment.body.reference",
                "size must be between 1 and 200");
        Csrf.from("/admin/billing/invoices/" + OPEN_ID).form().formParam("reference", "r")
                .when().post("/admin/billing/invoices/" + OPEN_ID + "/payment")
                .then().statusCode(400)
                .body(containsString("<div class=\"field-error\" id=\"payment-reference-error\">size must be between"
                        + " 1 and 200</div>"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aMissingReferenceABadDayOrADayInTheFutureNeverReachPlatformApi() {
        Csrf csrf = Csrf.from("/admin/billing/invoices/" + OPEN_ID);
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
        Map<String, String[]> refused = Map.of(
                "reference", new String[] {"   ", "2026-11-20", "enter the reference of the payment"},
                "long reference", new String[] {"x".repeat(201), "", "at most 200 characters"},
                "paid_at", new String[] {"wire 1", "20/11/2026", "use the date picker"},
                "future", new String[] {"wire 1", tomorrow, "may not be in the future"});
        refused.forEach((what, typed) -> {
            String html = csrf.form().formParam("reference", typed[0]).formParam("paid_at", typed[1])
                    .when().post("/admin/billing/invoices/" + OPEN_ID + "/payment")
                    .then().statusCode(400)
                    .body(containsString("id=\"record-payment-error\">Check the fields marked below.</p>"))
                    .extract().asString();
            String field = what.contains("reference") ? "payment-reference-error" : "payment-paid-at-error";
            String shown = text(html, field);
            assertTrue(shown != null && shown.startsWith(typed[2]), what + ": " + shown);
            assertTrue(html.contains("value=\"" + typed[1] + "\""), what + ": the day typed is kept");
        });
        api.verify(0, postRequestedFor(urlPathMatching("/admin/v1/.*")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void removingAPaymentCallsDeleteOnItsEntryAndComesBackWithANotice() {
        PlatformApiStub.json(api, delete(urlPathEqualTo("/admin/v1/invoices/" + PAID_ID + "/payments/" + ENTRY_ID)),
                200, OVERDUE.replace(OVERDUE_ID, PAID_ID));
        Csrf csrf = Csrf.from("/admin/billing/invoices/" + PAID_ID);
        csrf.form().formParam("kind", "payment")
                .when().post("/admin/billing/invoices/" + PAID_ID + "/payments/" + ENTRY_ID + "/remove")
                .then().statusCode(303)
                .header("Location", endsWith("/admin/billing/invoices/" + PAID_ID + "?done=payment-removed"));
        api.verify(1, deleteRequestedFor(urlPathEqualTo("/admin/v1/invoices/" + PAID_ID + "/payments/" + ENTRY_ID)));
        // never the deprecated DELETE .../payment (the latest payment, whichever it is)
        api.verify(0, deleteRequestedFor(urlPathEqualTo("/admin/v1/invoices/" + PAID_ID + "/payment")));
        api.verify(0, postRequestedFor(urlPathMatching("/admin/v1/.*")));
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/invoices/" + PAID_ID)), 200,
                OVERDUE.replace(OVERDUE_ID, PAID_ID));
        String html = given().when().get("/admin/billing/invoices/" + PAID_ID + "?done=payment-removed")
                .then().statusCode(200).extract().asString();
        assertEquals("Payment removed. $5.00 is left to pay, overdue since 2026-12-01.", text(html, "invoice-done"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPaymentRemovedMeanwhileIsShownOnThePageAndAnUnknownInvoiceIsTheNotFoundPage() {
        String gone = "/admin/v1/invoices/" + OPEN_ID + "/payments/" + ENTRY_ID;
        PlatformApiStub.problem(api, delete(urlPathEqualTo(gone)), 404, "payment_not_found",
                "Invoice INV-2026-10-acme-1 has no payment or refund with that id");
        Csrf csrf = Csrf.from("/admin/billing/invoices/" + PAID_ID);
        csrf.form().formParam("kind", "payment")
                .when().post("/admin/billing/invoices/" + OPEN_ID + "/payments/" + ENTRY_ID + "/remove")
                .then().statusCode(404)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"remove-payment-error\">Invoice"
                        + " INV-2026-10-acme-1 has no payment or refund with that id</p>"))
                .body(containsString("id=\"record-payment\""));

        PlatformApiStub.problem(api, delete(urlPathEqualTo("/admin/v1/invoices/nope/payments/" + ENTRY_ID)), 404,
                "invoice_not_found", "No invoice nope");
        csrf.form().when().post("/admin/billing/invoices/nope/payments/" + ENTRY_ID + "/remove")
                .then().statusCode(404)
                .body(containsString("No invoice nope"))
                .body(not(containsString("id=\"remove-payment-error\"")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantAdminCannotRecordOrRemoveAPaymentAndNoCallIsMade() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        Csrf csrf = Csrf.fabricated();
        csrf.form().formParam("reference", "wire 1").when().post("/admin/billing/invoices/" + OPEN_ID + "/payment")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        csrf.form().formParam("reference", "wire 1").when().post("/admin/billing/invoices/" + PAID_ID + "/refund")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        csrf.form().when().post("/admin/billing/invoices/" + PAID_ID + "/payments/" + ENTRY_ID + "/remove")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/admin/v1/.*")));
    }

    @Test
    void aDayIsTheStartOfItInUtcAndTodayIsNotInTheFuture() {
        Map<String, String> errors = new HashMap<>();
        assertEquals(Instant.parse("2026-11-03T00:00:00Z"), InvoiceInputs.paidDay("2026-11-03", errors));
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertEquals(today.atStartOfDay(ZoneOffset.UTC).toInstant(), InvoiceInputs.paidDay(today.toString(),
                errors));
        assertNull(InvoiceInputs.paidDay("", errors));
        assertTrue(errors.isEmpty(), errors.toString());
        assertNull(InvoiceInputs.paidDay("2026-02-30", errors));
        assertEquals("use the date picker, e.g. 2026-12-03", errors.get("paid_at"));
        // the date input offers no later day than today in UTC: the start of tomorrow is in the future
        String latest = AdminInvoiceResource.PaymentForm.EMPTY.latestDay();
        assertTrue(latest.equals(today.toString()) || latest.equals(LocalDate.now(ZoneOffset.UTC).toString()),
                latest);
    }
}
