package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.aiaas.console.admin.AdminBillingInvoiceTest.withoutLines;
import static io.aiaas.console.admin.AdminBillingPaymentTest.OPEN;
import static io.aiaas.console.admin.AdminBillingPaymentTest.OVERDUE;
import static io.aiaas.console.admin.AdminBillingPaymentTest.OVERDUE_ID;
import static io.aiaas.console.admin.AdminBillingPaymentTest.PAID;
import static io.aiaas.console.admin.AdminBillingResourceTest.follow;
import static io.aiaas.console.admin.AdminBillingResourceTest.text;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The payment filter of the admin billing list: the select passed on to platform-api as {@code payment=}, kept in the
 * page's URL with the tenant and period, an odd value dropped rather than sent, and the one-click overdue link.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminBillingPaymentFilterTest {

    private static final String INVOICES = "/admin/v1/invoices";
    private static final Pattern OPTION = Pattern.compile("<option value=\"([^\"]*)\" ?(selected)?>");

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        PlatformApiStub.json(api, get(urlPathEqualTo(INVOICES)), 200, "[" + withoutLines(OPEN) + ","
                + withoutLines(OVERDUE) + "," + withoutLines(PAID) + "]");
    }

    /** The payment select's options: each value, with "*" after the one selected. */
    private static List<String> paymentOptions(String html) {
        int start = html.indexOf("<select id=\"filter-payment\" name=\"payment\">");
        assertTrue(start >= 0, html);
        Matcher m = OPTION.matcher(html.substring(start, html.indexOf("</select>", start)));
        List<String> options = new ArrayList<>();
        while (m.find()) {
            options.add(m.group(1) + (m.group(2) == null ? "" : "*"));
        }
        return options;
    }

    private static String page(String query) {
        return given().when().get("/admin/billing" + query).then().statusCode(200).extract().asString();
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theSelectOffersAnyThenEachStateAsPlatformApiNamesItWithAnyPreselected() {
        String html = page("");
        assertEquals(List.of("*", "unpaid", "overdue", "open", "partially_paid", "refund_due", "paid", "nothing_due"),
                paymentOptions(html));
        assertTrue(html.contains("<label for=\"filter-payment\">Payment</label>"), html);
        assertTrue(html.contains("<option value=\"\" selected>any</option>"), html);
        assertTrue(html.contains("<option value=\"unpaid\" >unpaid (open, partially paid or overdue)</option>"), html);
        assertTrue(html.contains("<option value=\"partially_paid\" >partially paid (not yet due)</option>"), html);
        assertTrue(html.contains("<option value=\"refund_due\" >refund due (paid more than it asks)</option>"), html);
        assertTrue(html.contains("<option value=\"nothing_due\" >nothing due</option>"), html);
        api.verify(1, getRequestedFor(urlPathEqualTo(INVOICES)).withQueryParam("payment", absent()));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theChosenPaymentIsSentAsThePaymentQueryAndPreselectedWhenThePageIsShown() {
        String html = given().queryParam("payment", "overdue").when().get("/admin/billing")
                .then().statusCode(200)
                .body(containsString("<title>Overdue invoices · Billing · aiaas</title>"))
                .body(containsString("<caption class=\"visually-hidden\">Overdue invoices</caption>"))
                .body(containsString("<a id=\"billing-filter-clear\" href=\"/admin/billing\">All invoices</a>"))
                .body(containsString("<tr data-invoice-id=\"" + OVERDUE_ID + "\""))
                .extract().asString();
        assertEquals(List.of("", "unpaid", "overdue*", "open", "partially_paid", "refund_due", "paid", "nothing_due"),
                paymentOptions(html));
        api.verify(1, getRequestedFor(urlPathEqualTo(INVOICES)).withQueryParam("payment", equalTo("overdue"))
                .withQueryParam("tenant", absent()).withQueryParam("period", absent()));

        for (String state : List.of("unpaid", "open", "partially_paid", "refund_due", "paid", "nothing_due")) {
            List<String> options = paymentOptions(page("?payment=" + state));
            assertEquals(List.of(state + "*"), options.stream().filter(o -> o.endsWith("*")).toList(), state);
            api.verify(1, getRequestedFor(urlPathEqualTo(INVOICES)).withQueryParam("payment", equalTo(state)));
        }
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anySendsNoPaymentQueryAndIsNoFilter() {
        // the form's "any" submits an empty payment
        String html = page("?tenant=&period=&payment=");
        assertEquals("*", paymentOptions(html).get(0));
        assertTrue(!html.contains("id=\"billing-filter-clear\""), html);
        assertTrue(html.contains("<title>Billing · aiaas</title>"), html);
        api.verify(1, getRequestedFor(urlPathEqualTo(INVOICES)).withQueryParam("payment", absent()));
        api.verify(0, getRequestedFor(urlPathEqualTo(INVOICES)).withQueryParam("payment", matching(".*")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void thePaymentIsSentAndKeptTogetherWithTheTenantAndPeriod() {
        String html = given().queryParam("tenant", " acme ").queryParam("period", "2026-10")
                .queryParam("payment", " unpaid ").when().get("/admin/billing")
                .then().statusCode(200)
                .body(containsString("id=\"filter-tenant\" name=\"tenant\" value=\"acme\""))
                .body(containsString("id=\"filter-period\" name=\"period\" type=\"month\" value=\"2026-10\""))
                .body(containsString("<caption class=\"visually-hidden\">Unpaid invoices of acme for 2026-10</caption>"))
                .extract().asString();
        assertEquals("unpaid*", paymentOptions(html).get(1));
        api.verify(1, getRequestedFor(urlPathEqualTo(INVOICES)).withQueryParam("tenant", equalTo("acme"))
                .withQueryParam("period", equalTo("2026-10")).withQueryParam("payment", equalTo("unpaid")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPaymentValuePlatformApiDoesNotTakeIsDroppedNotSent() {
        List<String> odd = List.of("late", "OVERDUE", "overdue,paid", "nothing due", "<script>alert(1)</script>");
        for (String value : odd) {
            String html = given().queryParam("payment", value).when().get("/admin/billing")
                    .then().statusCode(200)
                    .body(not(containsString("<script>alert")))
                    .body(not(containsString("id=\"billing-filter-clear\"")))
                    .extract().asString();
            assertEquals("*", paymentOptions(html).get(0), value);
        }
        // the rest of the filter still goes through
        given().queryParam("tenant", "acme").queryParam("payment", "late").when().get("/admin/billing")
                .then().statusCode(200);
        api.verify(1, getRequestedFor(urlPathEqualTo(INVOICES)).withQueryParam("tenant", equalTo("acme"))
                .withQueryParam("payment", absent()));
        api.verify(odd.size() + 1, getRequestedFor(urlPathEqualTo(INVOICES)).withQueryParam("payment", absent()));
        api.verify(0, getRequestedFor(urlPathEqualTo(INVOICES)).withQueryParam("payment", matching(".*")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theOverdueLinkOpensTheOverdueInvoicesOfAllTenantsInOneClick() {
        String html = page("?tenant=acme&period=2026-10");
        Matcher link = Pattern.compile("<a id=\"overdue-link\" href=\"([^\"]+)\"[^>]*>Overdue invoices</a>")
                .matcher(html);
        assertTrue(link.find(), html);
        assertEquals("/admin/billing?payment=overdue", link.group(1));

        String overdue = follow(link.group(1)).then().statusCode(200).extract().asString();
        assertEquals("overdue*", paymentOptions(overdue).get(2));
        api.verify(1, getRequestedFor(urlPathEqualTo(INVOICES)).withQueryParam("payment", equalTo("overdue"))
                .withQueryParam("tenant", absent()).withQueryParam("period", absent()));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anEmptyListUnderAPaymentFilterSaysNoInvoicesInThatState() {
        PlatformApiStub.json(api, get(urlPathEqualTo(INVOICES)).withQueryParam("payment", matching(".+")), 200,
                "[]");
        assertEquals("No overdue invoices.", text(page("?payment=overdue"), "admin-invoices-none"));
        assertEquals("No unpaid invoices of acme for 2026-10.",
                text(page("?tenant=acme&period=2026-10&payment=unpaid"), "admin-invoices-none"));
        assertEquals("No invoices with nothing due.", text(page("?payment=nothing_due"), "admin-invoices-none"));
        assertEquals("No partially paid invoices.", text(page("?payment=partially_paid"), "admin-invoices-none"));
        assertEquals("No invoices with a refund due of acme.",
                text(page("?tenant=acme&payment=refund_due"), "admin-invoices-none"));
        // without a payment filter the wording is as before
        PlatformApiStub.json(api, get(urlPathEqualTo(INVOICES)).withQueryParam("tenant", equalTo("acme")), 200, "[]");
        assertEquals("No invoices match the filter.", text(page("?tenant=acme"), "admin-invoices-none"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPaymentFilterPlatformApiRefusesIsShownBesideTheFilterWithTheChoiceKept() {
        PlatformApiStub.problem(api, get(urlPathEqualTo(INVOICES)).withQueryParam("payment", equalTo("paid")), 400,
                "invalid_parameter", "payment must be one of unpaid, open, overdue, paid, nothing_due");
        String html = given().queryParam("payment", "paid").when().get("/admin/billing")
                .then().statusCode(400)
                .body(containsString("id=\"billing-filter-error\">payment must be one of unpaid, open, overdue, paid,"
                        + " nothing_due</p>"))
                .body(containsString("id=\"admin-invoices-none\">No invoices shown: the filter was refused."))
                .extract().asString();
        assertEquals("paid*", paymentOptions(html).get(6));
    }
}
