package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.aiaas.console.admin.AdminBillingResourceTest.DRAFT_ID;
import static io.aiaas.console.admin.AdminBillingResourceTest.ID;
import static io.aiaas.console.admin.AdminBillingResourceTest.invoice;
import static io.aiaas.console.admin.AdminBillingResourceTest.text;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.AddressBlocks;
import io.aiaas.console.testsupport.Csrf;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One invoice in the admin console: its lines and, per state, finalize and void, or a credit note. */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminBillingInvoiceTest {

    static final String NOTE_ID = "9d8c7b6a-5f4e-4d3c-8b2a-190817161514";
    static final String VOID_ID = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
    static final String LINES = """
            [{"line_no":1,"kind":"fee","quantity":1,"amount_nanos":5000000000,"amount":"5.00",
              "description":"Monthly fee, plan Basic"},
             {"line_no":2,"kind":"usage","model":"iris","component":"requests","quantity":3000,
              "amount_nanos":4500000,"amount":"0.0045","description":"iris, requests"},
             {"line_no":3,"kind":"credit","quantity":0,"amount_nanos":-4500000,"amount":"-0.0045",
              "description":"Included credit"}]""";
    static final String FINALIZED = invoice(ID, "INV-2026-10-acme-1", "acme", "INVOICE", "FINALIZED",
            5_000_000_000L, "5.00", "\"finalized_at\":\"2026-11-01T00:10:00Z\"", LINES);
    static final String DRAFT = invoice(DRAFT_ID, "INV-2026-10-acme-2", "acme", "INVOICE", "DRAFT",
            5_000_000_000L, "5.00", null, LINES);
    static final String VOIDED = invoice(VOID_ID, "INV-2026-10-acme-3", "acme", "INVOICE", "VOID",
            5_000_000_000L, "5.00", "\"voided_at\":\"2026-11-02T09:00:00Z\"", LINES);
    static final String NOTE = invoice(NOTE_ID, "CN-2026-10-acme-1-1", "acme", "CREDIT_NOTE", "FINALIZED",
            -2_500_000_000L, "-2.50", "\"finalized_at\":\"2026-11-03T10:00:00Z\",\"corrects_id\":\"" + ID
                    + "\",\"reason\":\"Outage on 3 Oct\"",
            """
            [{"line_no":1,"kind":"correction","quantity":0,"amount_nanos":-2500000000,"amount":"-2.50",
              "description":"Credit for INV-2026-10-acme-1: Outage on 3 Oct"}]""");

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/invoices/" + ID)), 200, FINALIZED);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/invoices/" + DRAFT_ID)), 200, DRAFT);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/invoices/" + VOID_ID)), 200, VOIDED);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/invoices/" + NOTE_ID)), 200, NOTE);
        // the tenant's invoices of the period, where the credit notes of an invoice are found
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/invoices")), 200,
                "[" + withoutLines(NOTE) + "," + withoutLines(FINALIZED) + "]");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aDraftShowsItsLinesAndOffersFinalizeAndVoidEachAskingFirst() {
        String html = given().when().get("/admin/billing/invoices/" + DRAFT_ID)
                .then().statusCode(200)
                .body(containsString("<h1>Invoice INV-2026-10-acme-2</h1>"))
                .body(containsString("<table id=\"invoice-lines\">"))
                .body(containsString("<a class=\"line-usage\" href=\"/t/acme/invoices/" + DRAFT_ID
                        + "/lines/2/usage\">calls</a>"))
                .body(containsString("<form class=\"inline\" id=\"finalize-draft\" method=\"post\""
                        + " action=\"/admin/billing/invoices/" + DRAFT_ID + "/finalize\""))
                .body(containsString("data-confirm=\"Finalize INV-2026-10-acme-2?"))
                .body(containsString("<button id=\"finalize-invoice\" class=\"primary\" type=\"submit\">Finalize"
                        + "</button>"))
                .body(containsString("<form class=\"inline\" id=\"void-draft\" method=\"post\""
                        + " action=\"/admin/billing/invoices/" + DRAFT_ID + "/void\""))
                .body(containsString("data-confirm=\"Void INV-2026-10-acme-2?"))
                .body(containsString("<button id=\"void-invoice\" class=\"danger\" type=\"submit\">Void</button>"))
                .body(not(containsString("id=\"credit-note\"")))
                .body(containsString("<a id=\"invoice-tenant\" href=\"/admin/tenants/acme\">acme</a>"))
                .body(containsString("id=\"nav-admin-billing\" href=\"/admin/billing\" aria-current=\"page\""))
                .extract().asString();
        assertEquals("draft", text(html, "invoice-state"));
        assertEquals("$5.00", text(html, "invoice-total"));
        String lines = html.substring(html.indexOf("<table id=\"invoice-lines\">"));
        assertTrue(lines.contains("<td>Monthly fee, plan Basic</td>") && lines.contains("<td class=\"num\">3,000</td>")
                && lines.contains("$0.0045"), lines);
        // only a finalized invoice has credit notes: none are looked for here
        api.verify(0, getRequestedFor(urlPathEqualTo("/admin/v1/invoices")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aFinalizedInvoiceOffersACreditNoteWithWhatIsLeftToCredit() {
        String html = given().when().get("/admin/billing/invoices/" + ID)
                .then().statusCode(200)
                .body(containsString("<form id=\"credit-note\" method=\"post\" action=\"/admin/billing/invoices/" + ID
                        + "/credit-notes\""))
                .body(containsString("<input id=\"credit-note-amount\" name=\"amount\" inputmode=\"decimal\""))
                .body(containsString("<textarea id=\"credit-note-reason\" name=\"reason\""))
                .body(containsString("<label for=\"credit-note-amount\">Amount (USD)</label>"))
                .body(containsString("<a class=\"invoice-link\" href=\"/admin/billing/invoices/" + NOTE_ID
                        + "\">CN-2026-10-acme-1-1</a>"))
                .body(not(containsString("id=\"finalize-invoice\"")))
                .body(not(containsString("id=\"void-invoice\"")))
                .extract().asString();
        assertEquals("finalized", text(html, "invoice-state"));
        assertEquals("Left to credit: $2.50 of $5.00.", text(html, "credit-left"));
        api.verify(getRequestedFor(urlPathEqualTo("/admin/v1/invoices"))
                .withQueryParam("tenant", equalTo("acme")).withQueryParam("period", equalTo("2026-10")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aCreditNoteAndAVoidInvoiceOfferNoAction() {
        String note = given().when().get("/admin/billing/invoices/" + NOTE_ID)
                .then().statusCode(200)
                .body(containsString("<h1>Credit note CN-2026-10-acme-1-1</h1>"))
                .body(containsString("<a id=\"invoice-corrects\" href=\"/admin/billing/invoices/" + ID + "\">"))
                .body(containsString("<span id=\"invoice-reason\">Outage on 3 Oct</span>"))
                .extract().asString();
        assertEquals("-$2.50", text(note, "invoice-total"));
        String voided = given().when().get("/admin/billing/invoices/" + VOID_ID)
                .then().statusCode(200).extract().asString();
        assertEquals("void", text(voided, "invoice-state"));
        for (String html : new String[] {note, voided}) {
            for (String action : new String[] {"finalize-invoice", "void-invoice", "credit-note",
                    "credit-note-amount"}) {
                assertTrue(!html.contains("id=\"" + action + "\""), action + " offered");
            }
        }
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anInvoiceShowsWhoItIsFromAndAddressedToWhenItCarriesThem() {
        String billTo = PlatformApiStub.billingParty("Acme GmbH", "Hauptstraße 1", null, "Berlin", "10115", null,
                "DE", "DE123456789", null);
        String issuer = PlatformApiStub.billingParty("aiaas Ltd", "1 Compute Way", "Floor 3", "London", "EC1A 1BB",
                "Greater London", "GB", "GB987654321", "invoices@aiaas.test");
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/invoices/" + ID)), 200,
                FINALIZED.replaceFirst("\\{", "{\"bill_to\":" + billTo + ",\"issuer\":" + issuer + ","));
        String html = given().when().get("/admin/billing/invoices/" + ID).then().statusCode(200)
                .body(containsString("<h2 id=\"invoice-bill-to-heading\" class=\"party-heading\">Bill to</h2>"))
                .body(containsString("<h2 id=\"invoice-from-heading\" class=\"party-heading\">From</h2>"))
                .extract().asString();
        assertEquals("Acme GmbH|Hauptstraße 1|10115 Berlin|Germany|Tax id: DE123456789",
                AddressBlocks.lines(html, "invoice-bill-to-address"));
        assertEquals("aiaas Ltd|1 Compute Way|Floor 3|EC1A 1BB London|Greater London|United Kingdom"
                + "|Tax id: GB987654321|invoices@aiaas.test", AddressBlocks.lines(html, "invoice-from-address"));
        assertTrue(!html.contains("invoice-bill-to-missing"), "the hint is the tenant's pages' only");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anInvoiceCarryingNoPartiesShowsNoBlocks() {
        String html = given().when().get("/admin/billing/invoices/" + ID).then().statusCode(200).extract().asString();
        for (String absent : new String[] {"invoice-parties", "invoice-from", "invoice-bill-to", "<address"}) {
            assertTrue(!html.contains(absent), absent + " on an invoice without parties");
        }
        assertEquals("$5.00", text(html, "invoice-total"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anUnknownInvoiceIsTheNotFoundPage() {
        PlatformApiStub.problem(api, get(urlPathEqualTo("/admin/v1/invoices/nope")), 404, "invoice_not_found",
                "No invoice nope");
        given().when().get("/admin/billing/invoices/nope")
                .then().statusCode(404)
                .body(containsString("No invoice nope"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void finalizingPostsToTheApiAndComesBackWithANotice() {
        PlatformApiStub.json(api, post(urlPathEqualTo("/admin/v1/invoices/" + DRAFT_ID + "/finalize")), 200,
                DRAFT.replace("\"DRAFT\"", "\"FINALIZED\""));
        Csrf csrf = Csrf.from("/admin/billing/invoices/" + DRAFT_ID);
        csrf.form().when().post("/admin/billing/invoices/" + DRAFT_ID + "/finalize")
                .then().statusCode(303)
                .header("Location", endsWith("/admin/billing/invoices/" + DRAFT_ID + "?done=finalized"));
        api.verify(1, postRequestedFor(urlPathEqualTo("/admin/v1/invoices/" + DRAFT_ID + "/finalize")));
        api.verify(0, postRequestedFor(urlPathMatching(".*/void")));
        String html = given().when().get("/admin/billing/invoices/" + DRAFT_ID + "?done=finalized")
                .then().statusCode(200).extract().asString();
        assertTrue(text(html, "invoice-done").startsWith("Finalized."), html);
        assertNull(text(given().when().get("/admin/billing/invoices/" + DRAFT_ID + "?done=<b>x</b>").asString(),
                "invoice-done"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void voidingPostsToTheApiAndComesBackWithANotice() {
        PlatformApiStub.json(api, post(urlPathEqualTo("/admin/v1/invoices/" + DRAFT_ID + "/void")), 200,
                DRAFT.replace("\"DRAFT\"", "\"VOID\""));
        Csrf csrf = Csrf.from("/admin/billing/invoices/" + DRAFT_ID);
        csrf.form().when().post("/admin/billing/invoices/" + DRAFT_ID + "/void")
                .then().statusCode(303)
                .header("Location", endsWith("/admin/billing/invoices/" + DRAFT_ID + "?done=voided"));
        api.verify(1, postRequestedFor(urlPathEqualTo("/admin/v1/invoices/" + DRAFT_ID + "/void")));
        api.verify(0, postRequestedFor(urlPathMatching(".*/finalize")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRefusedVoidOrFinalizeIsShownOnThePage() {
        PlatformApiStub.problem(api, post(urlPathEqualTo("/admin/v1/invoices/" + ID + "/void")), 409,
                "invoice_finalized", "Invoice INV-2026-10-acme-1 is finalized and never changes; correct it with a"
                        + " credit note");
        PlatformApiStub.problem(api, post(urlPathEqualTo("/admin/v1/invoices/" + VOID_ID + "/finalize")), 409,
                "invoice_void", "Invoice INV-2026-10-acme-3 is void");
        Csrf csrf = Csrf.from("/admin/billing/invoices/" + DRAFT_ID);
        csrf.form().when().post("/admin/billing/invoices/" + ID + "/void")
                .then().statusCode(409)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"void-draft-error\">Invoice"
                        + " INV-2026-10-acme-1 is finalized and never changes"))
                .body(containsString("id=\"credit-note\""));
        csrf.form().when().post("/admin/billing/invoices/" + VOID_ID + "/finalize")
                .then().statusCode(409)
                .body(containsString("id=\"finalize-draft-error\">Invoice INV-2026-10-acme-3 is void</p>"))
                .body(containsString("class=\"badge void\">void</span>"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aCreditNoteSendsTheAmountInMicroUnitsExactlyAndOpensTheCreditNote() {
        PlatformApiStub.json(api, post(urlPathEqualTo("/admin/v1/invoices/" + ID + "/credit-notes")), 201, NOTE);
        Csrf csrf = Csrf.from("/admin/billing/invoices/" + ID);
        csrf.form().formParam("amount", " 2.50 ").formParam("reason", " Outage on 3 Oct ")
                .when().post("/admin/billing/invoices/" + ID + "/credit-notes")
                .then().statusCode(303)
                .header("Location", endsWith("/admin/billing/invoices/" + NOTE_ID + "?done=credited"));
        api.verify(1, postRequestedFor(urlPathEqualTo("/admin/v1/invoices/" + ID + "/credit-notes"))
                .withRequestBody(equalToJson("{\"amount_micros\": 2500000, \"reason\": \"Outage on 3 Oct\"}")));
        String html = given().when().get("/admin/billing/invoices/" + NOTE_ID + "?done=credited")
                .then().statusCode(200).extract().asString();
        assertTrue(text(html, "invoice-done").startsWith("Credit note issued."), html);
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void badAmountsAndAMissingReasonNeverReachPlatformApi() {
        Csrf csrf = Csrf.from("/admin/billing/invoices/" + ID);
        Map<String, String> refused = Map.of(
                "", "enter the amount to credit",
                "2,50", "not an amount",
                "abc", "not an amount",
                "0", "must be more than 0",
                "0.000", "must be more than 0",
                "-1", "must be more than 0",
                "1.0000001", "at most 6 decimals",
                "99999999999999999", "too large");
        refused.forEach((amount, message) -> {
            String html = csrf.form().formParam("amount", amount).formParam("reason", "goodwill")
                    .when().post("/admin/billing/invoices/" + ID + "/credit-notes")
                    .then().statusCode(400)
                    .body(containsString("id=\"credit-note-error\">Check the fields marked below.</p>"))
                    .body(containsString("autocomplete=\"off\" value=\"" + amount + "\""))
                    .body(containsString("goodwill</textarea>"))
                    .extract().asString();
            String shown = text(html, "credit-note-amount-error");
            assertTrue(shown != null && shown.startsWith(message), amount + ": " + shown);
        });
        csrf.form().formParam("amount", "2.50").formParam("reason", "   ")
                .when().post("/admin/billing/invoices/" + ID + "/credit-notes")
                .then().statusCode(400)
                .body(containsString("id=\"credit-note-reason-error\">say why the invoice is credited</div>"))
                .body(containsString("value=\"2.50\""))
                .body(not(containsString("id=\"credit-note-amount-error\"")));
        csrf.form().formParam("amount", "2.50").formParam("reason", "x".repeat(1001))
                .when().post("/admin/billing/invoices/" + ID + "/credit-notes")
                .then().statusCode(400)
                .body(containsString("id=\"credit-note-reason-error\">at most 1,000 characters</div>"));
        api.verify(0, postRequestedFor(urlPathMatching("/admin/v1/.*")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aCreditBeyondTheInvoiceIsShownBesideTheFormWithWhatWasTyped() {
        PlatformApiStub.problem(api, post(urlPathEqualTo("/admin/v1/invoices/" + ID + "/credit-notes")), 409,
                "credit_exceeds_invoice", "At most 2.50 USD of INV-2026-10-acme-1 is left to credit");
        Csrf csrf = Csrf.from("/admin/billing/invoices/" + ID);
        csrf.form().formParam("amount", "4").formParam("reason", "Outage <all> month")
                .when().post("/admin/billing/invoices/" + ID + "/credit-notes")
                .then().statusCode(409)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"credit-note-error\">At most 2.50 USD of"
                        + " INV-2026-10-acme-1 is left to credit</p>"))
                .body(containsString("id=\"credit-note-amount\" name=\"amount\" inputmode=\"decimal\""
                        + " autocomplete=\"off\" value=\"4\""))
                .body(containsString(">Outage &lt;all&gt; month</textarea>"));
        api.verify(1, postRequestedFor(urlPathEqualTo("/admin/v1/invoices/" + ID + "/credit-notes"))
                .withRequestBody(equalToJson("{\"amount_micros\": 4000000, \"reason\": \"Outage <all> month\"}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theApisFieldErrorsAreShownBesideTheirInputs() {
        PlatformApiStub.invalid(api, post(urlPathEqualTo("/admin/v1/invoices/" + ID + "/credit-notes")),
                "amount_micros: must be greater than 0", "amount_micros", "must be greater than 0");
        Csrf.from("/admin/billing/invoices/" + ID).form().formParam("amount", "0.000001").formParam("reason", "r")
                .when().post("/admin/billing/invoices/" + ID + "/credit-notes")
                .then().statusCode(400)
                .body(containsString("id=\"credit-note-error\">amount_micros: must be greater than 0"))
                .body(containsString("<div class=\"field-error\" id=\"credit-note-amount-error\">must be greater than"
                        + " 0</div>"));
    }

    /** The invoice as the list gives it: without lines. */
    static String withoutLines(String invoice) {
        return invoice.replaceAll("(?s),\"lines\":\\[.*\\]", "");
    }

    @Test
    void typedAmountsBecomeMicroUnitsExactly() {
        Map<String, Long> exact = Map.of("2.50", 2_500_000L, "2.5", 2_500_000L, "0.000001", 1L, "1000", 1_000_000_000L,
                "0.1234560", 123_456L, "1E+2", 100_000_000L);
        exact.forEach((typed, micros) -> {
            Map<String, String> errors = new HashMap<>();
            assertEquals(micros, InvoiceInputs.creditMicros(typed, errors), typed);
            assertTrue(errors.isEmpty(), typed + ": " + errors);
        });
    }
}
