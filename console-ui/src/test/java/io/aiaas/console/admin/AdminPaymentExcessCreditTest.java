package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.aiaas.console.admin.AdminBillingPaymentTest.OPEN;
import static io.aiaas.console.admin.AdminBillingPaymentTest.OPEN_ID;
import static io.aiaas.console.admin.AdminBillingPaymentTest.PAID;
import static io.aiaas.console.admin.AdminBillingPaymentTest.PAID_ID;
import static io.aiaas.console.admin.AdminBillingResourceTest.text;
import static io.aiaas.console.admin.AdminInvoiceLedgerTest.JPY;
import static io.aiaas.console.admin.AdminInvoiceLedgerTest.JPY_ID;
import static io.aiaas.console.admin.AdminInvoiceLedgerTest.PARTIAL;
import static io.aiaas.console.admin.AdminInvoiceLedgerTest.PARTIAL_ID;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.Csrf;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.aiaas.console.web.FormError;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A payment beyond what is left to pay kept as the tenant's credit on the admin's invoice page
 * ({@link AdminInvoiceResource}): the checkbox {@code #payment-excess-as-credit}, unticked by default, sends
 * {@code "excess_as_credit": true} only when ticked (never false), its hint, and refusals (409
 * {@code payment_exceeds_balance} unticked, 409 {@code tenant_closed} ticked) that keep what was typed and the box.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminPaymentExcessCreditTest {

    static final String PAYMENTS = "/admin/v1/invoices/" + PARTIAL_ID + "/payments";
    static final String EXCEEDS = "Only 3.80 USD is left to pay on invoice INV-2026-10-acme-7; a payment of 5.00 USD"
            + " would exceed it (send \"excess_as_credit\": true to keep the rest as the tenant's credit)";

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        Map.of(PARTIAL_ID, PARTIAL, OPEN_ID, OPEN, PAID_ID, PAID, JPY_ID, JPY).forEach((id, json) ->
                PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/invoices/" + id)), 200, json));
    }

    /** The checkbox's tag, or null when the page has none. */
    private static String checkbox(String html) {
        Matcher m = Pattern.compile("<input id=\"payment-excess-as-credit\"[^>]*>").matcher(html);
        return m.find() ? m.group() : null;
    }

    private static boolean ticked(String html) {
        String box = checkbox(html);
        assertNotNull(box, html);
        return Pattern.compile("\\schecked[\\s>]").matcher(box).find();
    }

    /** An element's text with Qute's escapes of quotes undone. */
    private static String plain(String html, String id) {
        String text = text(html, id);
        return text == null ? null : text.replace("&quot;", "\"").replace("&#39;", "'").replace("&#x27;", "'");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theFormOffersTheUntickedCheckboxWithItsHint() {
        String html = given().when().get("/admin/billing/invoices/" + PARTIAL_ID).then().statusCode(200).extract()
                .asString();
        String form = html.substring(html.indexOf("<form id=\"record-payment\""));
        form = form.substring(0, form.indexOf("</form>"));
        String box = checkbox(form);
        assertNotNull(box, "the checkbox is inside form#record-payment: " + form);
        assertTrue(box.contains("name=\"excess_as_credit\"") && box.contains("type=\"checkbox\"")
                && box.contains("value=\"true\"") && box.contains("aria-describedby=\"payment-excess-as-credit-hint\""),
                box);
        assertFalse(ticked(html), "unticked by default: " + box);
        assertTrue(form.contains("<label class=\"check\" for=\"payment-excess-as-credit\">"), form);
        assertNotNull(text(form, "payment-excess-as-credit-hint"), "the hint is inside the form: " + form);
        assertTrue(plain(html, "record-payment").contains("Keep what exceeds the amount due as the tenant's credit"),
                form);
        String hint = plain(html, "payment-excess-as-credit-hint");
        assertTrue(hint.startsWith("Ticked, an amount above the $3.80 left to pay pays the invoice in full and the"
                + " rest becomes a credit grant in USD"), hint);
        assertTrue(hint.contains("unticked, such an amount is refused"), hint);
        assertTrue(hint.contains("Removing the payment later does not take the credit back"), hint);

        // another currency: what is left and the currency are the invoice's
        String yen = plain(given().when().get("/admin/billing/invoices/" + JPY_ID).then().statusCode(200).extract()
                .asString(), "payment-excess-as-credit-hint");
        assertTrue(yen.contains("credit grant in JPY"), yen);

        // a paid invoice has no payment form, so no checkbox
        assertNull(checkbox(given().when().get("/admin/billing/invoices/" + PAID_ID).then().statusCode(200)
                .extract().asString()));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void tickedSendsExcessAsCreditTrueAndUntickedLeavesTheFieldOut() {
        PlatformApiStub.json(api, post(urlPathEqualTo(PAYMENTS)), 200, PAID.replace(PAID_ID, PARTIAL_ID));
        Csrf csrf = Csrf.from("/admin/billing/invoices/" + PARTIAL_ID);
        csrf.form().formParam("reference", "wire A-2").formParam("paid_at", "2026-11-20").formParam("amount", "5.00")
                .formParam("excess_as_credit", "true")
                .when().post("/admin/billing/invoices/" + PARTIAL_ID + "/payment")
                .then().statusCode(303)
                .header("Location", endsWith("/admin/billing/invoices/" + PARTIAL_ID + "?done=paid"));
        api.verify(1, postRequestedFor(urlPathEqualTo(PAYMENTS)).withRequestBody(equalToJson("{\"reference\":"
                + " \"wire A-2\", \"paid_at\": \"2026-11-20T00:00:00Z\", \"amount_minor\": 500,"
                + " \"excess_as_credit\": true}")));

        // ticked without an amount: all that is left, still with the flag (platform-api has nothing to credit)
        csrf.form().formParam("reference", "wire A-3").formParam("excess_as_credit", "true")
                .when().post("/admin/billing/invoices/" + PARTIAL_ID + "/payment")
                .then().statusCode(303);
        api.verify(1, postRequestedFor(urlPathEqualTo(PAYMENTS)).withRequestBody(equalToJson("{\"reference\":"
                + " \"wire A-3\", \"excess_as_credit\": true}")));

        // unticked (a browser sends no field): exactly the body without the flag, never "excess_as_credit": false
        api.resetRequests();
        csrf.form().formParam("reference", "wire A-4").formParam("amount", "1.00")
                .when().post("/admin/billing/invoices/" + PARTIAL_ID + "/payment")
                .then().statusCode(303);
        api.verify(1, postRequestedFor(urlPathEqualTo(PAYMENTS)).withRequestBody(equalToJson("{\"reference\":"
                + " \"wire A-4\", \"amount_minor\": 100}")));
        // anything but "true" is unticked too
        csrf.form().formParam("reference", "wire A-5").formParam("amount", "1.00").formParam("excess_as_credit", "on")
                .when().post("/admin/billing/invoices/" + PARTIAL_ID + "/payment")
                .then().statusCode(303);
        api.verify(1, postRequestedFor(urlPathEqualTo(PAYMENTS)).withRequestBody(equalToJson("{\"reference\":"
                + " \"wire A-5\", \"amount_minor\": 100}")));
        api.verify(0, postRequestedFor(urlPathMatching("/admin/v1/.*"))
                .withRequestBody(matchingJsonPath("$.excess_as_credit")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPaymentBeyondWhatIsLeftUntickedIsRefusedWithTheCheckboxNamedAndWhatWasTypedKept() {
        PlatformApiStub.problem(api, post(urlPathEqualTo(PAYMENTS)), 409, "payment_exceeds_balance", EXCEEDS);
        String html = Csrf.from("/admin/billing/invoices/" + PARTIAL_ID).form().formParam("reference", "wire A-2")
                .formParam("paid_at", "2026-11-20").formParam("amount", "5.00")
                .when().post("/admin/billing/invoices/" + PARTIAL_ID + "/payment")
                .then().statusCode(409).extract().asString();
        String shown = "Only 3.80 USD is left to pay on invoice INV-2026-10-acme-7; a payment of 5.00 USD would exceed"
                + " it (tick \"Keep what exceeds the amount due as the tenant's credit\" to keep the rest as the"
                + " tenant's credit)";
        assertEquals(shown, plain(html, "record-payment-error"));
        assertEquals(shown, plain(html, "payment-amount-error"));
        assertTrue(html.contains("name=\"amount\" inputmode=\"decimal\" autocomplete=\"off\" value=\"5.00\""), html);
        assertTrue(html.contains("value=\"wire A-2\"") && html.contains("value=\"2026-11-20\""), html);
        assertFalse(ticked(html), "left unticked as it was: " + checkbox(html));
        api.verify(1, postRequestedFor(urlPathEqualTo(PAYMENTS)).withRequestBody(equalToJson("{\"reference\":"
                + " \"wire A-2\", \"paid_at\": \"2026-11-20T00:00:00Z\", \"amount_minor\": 500}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aClosedTenantsRefusalKeepsTheTickedBoxAndTheAmount() {
        PlatformApiStub.tenantClosed(api, post(urlPathEqualTo(PAYMENTS)), "acme");
        String html = Csrf.from("/admin/billing/invoices/" + PARTIAL_ID).form().formParam("reference", "wire A-2")
                .formParam("amount", "5.00").formParam("excess_as_credit", "true")
                .when().post("/admin/billing/invoices/" + PARTIAL_ID + "/payment")
                .then().statusCode(409).extract().asString();
        assertTrue(plain(html, "record-payment-error").startsWith("Tenant 'acme' is closed"), html);
        assertTrue(ticked(html), "kept ticked: " + checkbox(html));
        assertTrue(html.contains("name=\"amount\" inputmode=\"decimal\" autocomplete=\"off\" value=\"5.00\""), html);
        assertNull(text(html, "payment-amount-error"));
        api.verify(1, postRequestedFor(urlPathEqualTo(PAYMENTS)).withRequestBody(equalToJson("{\"reference\":"
                + " \"wire A-2\", \"amount_minor\": 500, \"excess_as_credit\": true}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRefusalBeforeTheCallKeepsTheTickedBoxToo() {
        String html = Csrf.from("/admin/billing/invoices/" + OPEN_ID).form().formParam("reference", "wire 9")
                .formParam("amount", "5.001").formParam("excess_as_credit", "true")
                .when().post("/admin/billing/invoices/" + OPEN_ID + "/payment")
                .then().statusCode(400).extract().asString();
        assertEquals("at most 2 decimals (the smallest amount of USD is 0.01)", text(html, "payment-amount-error"));
        assertTrue(ticked(html), checkbox(html));
        api.verify(0, postRequestedFor(urlPathMatching("/admin/v1/.*")));
    }

    @Test
    void onlyTheApisWordsForTheFlagAreReplaced() {
        String other = "Invoice INV-1 is paid: nothing is left to pay";
        assertEquals(other, AdminInvoiceResource.inConsoleWords(new FormError("record-payment",
                other, Map.of(), 409)).message());
    }
}
