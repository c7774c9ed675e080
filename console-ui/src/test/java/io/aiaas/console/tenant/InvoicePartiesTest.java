package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.aiaas.console.tenant.InvoicesResourceTest.BASE;
import static io.aiaas.console.tenant.InvoicesResourceTest.ID;
import static io.aiaas.console.tenant.InvoicesResourceTest.INVOICE;
import static io.aiaas.console.tenant.InvoicesResourceTest.UPCOMING;
import static io.aiaas.console.tenant.InvoicesResourceTest.UPCOMING_PATH;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.AddressBlocks;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who an invoice is from and addressed to on the tenant's invoice pages: "From" (the platform as issuer) and "Bill
 * to" (the tenant's billing details as they were when the invoice was created), each only when the invoice carries
 * it; an admin is pointed to the billing details when the invoice is addressed to no one. Also that the page prints.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class InvoicePartiesTest {

    static final String BILL_TO = BillingProfileResourceTest.ACME;
    /** The platform with what an operator may leave out left out: no second line, region or tax id. */
    static final String ISSUER = PlatformApiStub.billingParty("aiaas Ltd", "1 Compute Way", null, "London",
            "EC1A 1BB", null, "GB", null, "invoices@aiaas.test");

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.me(api, "carol@acme.test", false, "acme:member");
    }

    /** The invoice JSON with these members added, as platform-api adds them (absent: left out). */
    static String with(String invoice, String billTo, String issuer) {
        String parties = (billTo == null ? "" : "\"bill_to\":" + billTo + ",")
                + (issuer == null ? "" : "\"issuer\":" + issuer + ",");
        return "{" + parties + invoice.strip().substring(1);
    }

    @Test
    @TestSecurity(user = "carol")
    void anInvoiceShowsFromAndBillToAsAddressBlocksAboveItsTotals() {
        PlatformApiStub.json(api, get(urlPathEqualTo(BASE)), 200, with(INVOICE, BILL_TO, ISSUER));
        String html = given().when().get("/t/acme/invoices/" + ID).then().statusCode(200)
                .body(containsString("<h2 id=\"invoice-from-heading\" class=\"party-heading\">From</h2>"))
                .body(containsString("<h2 id=\"invoice-bill-to-heading\" class=\"party-heading\">Bill to</h2>"))
                .extract().asString();
        assertEquals(BillingProfileResourceTest.ACME_LINES, AddressBlocks.lines(html, "invoice-bill-to-address"));
        assertEquals("aiaas Ltd|1 Compute Way|EC1A 1BB London|United Kingdom|invoices@aiaas.test",
                AddressBlocks.lines(html, "invoice-from-address"));
        assertTrue(html.indexOf("id=\"invoice-from\"") < html.indexOf("id=\"invoice-bill-to\"")
                && html.indexOf("id=\"invoice-bill-to\"") < html.indexOf("id=\"invoice-total\""), "parties first");
        assertFalse(html.contains("invoice-bill-to-missing"), html);
    }

    @Test
    @TestSecurity(user = "carol")
    void anInvoiceCarryingNoPartiesShowsNeitherBlockAndAMemberNoHint() {
        PlatformApiStub.json(api, get(urlPathEqualTo(BASE)), 200, INVOICE);
        String html = given().when().get("/t/acme/invoices/" + ID).then().statusCode(200).extract().asString();
        for (String absent : new String[] {"invoice-parties", "invoice-from", "invoice-bill-to", "Bill to", "<address",
                "invoice-set-billing-profile"}) {
            assertFalse(html.contains(absent), absent + " on an invoice without parties");
        }
        assertEquals("$5.00", Forms.text(html, "invoice-total"), "the invoice as before");
    }

    @Test
    @TestSecurity(user = "alice")
    void anAdminIsPointedToTheBillingDetailsWhenTheInvoiceIsAddressedToNoOne() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, get(urlPathEqualTo(BASE)), 200, with(INVOICE, null, ISSUER));
        String html = given().when().get("/t/acme/invoices/" + ID).then().statusCode(200)
                .body(containsString("<a id=\"invoice-set-billing-profile\" href=\"/t/acme/billing-profile\">"))
                .extract().asString();
        assertTrue(html.contains("<p class=\"notice no-print\" id=\"invoice-bill-to-missing\">This invoice is"
                + " addressed to no one: the tenant had no billing details when it was issued."), html);
        assertNull(AddressBlocks.lines(html, "invoice-bill-to-address"));
        assertEquals("aiaas Ltd|1 Compute Way|EC1A 1BB London|United Kingdom|invoices@aiaas.test",
                AddressBlocks.lines(html, "invoice-from-address"));

        // addressed to someone: nothing to suggest
        PlatformApiStub.json(api, get(urlPathEqualTo(BASE)), 200, with(INVOICE, BILL_TO, null));
        html = given().when().get("/t/acme/invoices/" + ID).then().statusCode(200).extract().asString();
        assertFalse(html.contains("invoice-bill-to-missing"), html);
        assertFalse(html.contains("invoice-from"), "no issuer configured: no From block");
        assertEquals(BillingProfileResourceTest.ACME_LINES, AddressBlocks.lines(html, "invoice-bill-to-address"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aClosedTenantsAdminIsNotPointedToDetailsThatCanNoLongerChange() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin:closed");
        PlatformApiStub.json(api, get(urlPathEqualTo(BASE)), 200, INVOICE);
        String html = given().when().get("/t/acme/invoices/" + ID).then().statusCode(200).extract().asString();
        assertTrue(html.contains("id=\"tenant-closed\""), html);
        assertFalse(html.contains("invoice-bill-to-missing"), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void theUpcomingInvoiceShowsThePartiesAndPointsAnAdminToMissingDetails() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, get(urlPathEqualTo(UPCOMING_PATH)), 200, with(UPCOMING, BILL_TO, ISSUER));
        String html = given().when().get("/t/acme/invoices/upcoming").then().statusCode(200).extract().asString();
        assertEquals(BillingProfileResourceTest.ACME_LINES, AddressBlocks.lines(html, "invoice-bill-to-address"));
        assertEquals("aiaas Ltd|1 Compute Way|EC1A 1BB London|United Kingdom|invoices@aiaas.test",
                AddressBlocks.lines(html, "invoice-from-address"));
        assertFalse(html.contains("invoice-bill-to-missing"), html);

        PlatformApiStub.json(api, get(urlPathEqualTo(UPCOMING_PATH)), 200, UPCOMING);
        html = given().when().get("/t/acme/invoices/upcoming").then().statusCode(200).extract().asString();
        assertFalse(html.contains("invoice-parties"), html);
        assertTrue(Forms.text(html, "invoice-bill-to-missing").startsWith("The tenant has no billing details: the"
                + " invoice issued when this period ends will be addressed to no one."), html);
        api.verify(2, getRequestedFor(urlPathEqualTo(UPCOMING_PATH)));
    }

    @Test
    @TestSecurity(user = "carol")
    void thePagePrintsWithoutNavigationFormsOrButtons() {
        PlatformApiStub.json(api, get(urlPathEqualTo(BASE)), 200, with(INVOICE, BILL_TO, ISSUER));
        String html = given().when().get("/t/acme/invoices/" + ID).then().statusCode(200).extract().asString();
        assertTrue(html.contains("<p class=\"no-print\"><a id=\"invoice-pdf\" class=\"button\""), html);
        assertTrue(html.contains("<a id=\"invoice-csv\" class=\"button\""), html);
        assertTrue(html.contains("<button type=\"button\" id=\"invoice-print\" data-print>Print or save as PDF"
                + "</button>"), html);
        assertTrue(html.contains("<p class=\"no-print\"><a href=\"/t/acme/invoices\">← Invoices</a></p>"), html);
        assertTrue(html.contains("<th scope=\"col\" class=\"calls\">Calls</th>"), "the drill-down column is marked");

        String css = given().when().get("/console.css").then().statusCode(200).extract().asString();
        String print = css.substring(css.indexOf("@media print {"));
        String hidden = print.substring(print.indexOf('{') + 1, print.indexOf("{ display: none !important; }"));
        for (String selector : new String[] {"header.top", "footer.foot", "nav", "form", "button", ".button",
                ".no-print", "td.calls"}) {
            assertTrue(hidden.matches("(?s)(.*[\\s,])?" + java.util.regex.Pattern.quote(selector) + "([\\s,].*)?"),
                    selector + " hidden in print: " + hidden);
        }
        String js = given().when().get("/console.js").then().statusCode(200).extract().asString();
        assertTrue(js.contains("button[data-print]") && js.contains("window.print()"), js);
    }
}
