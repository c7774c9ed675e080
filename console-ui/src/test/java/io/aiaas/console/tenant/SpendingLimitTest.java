package io.aiaas.console.tenant;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.Csrf;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tenant's own spending limit: shown with what is spent of it on the plan page (and as a second meter on the
 * overview), set by a tenant admin as a decimal amount sent in micro-units, removed, refused before the call when it is
 * not an amount, and refused by platform-api beside the form.
 */
@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class SpendingLimitTest {

    static final String PLAN = "/api/v1/tenants/acme/plan";
    static final String BUDGET = "/api/v1/tenants/acme/budget";

    /** A spending limit of 25.00 of which {@code used} (a decimal with three places) is spent, in that state. */
    static String limit(String used, long usedMicros, String remaining, String state) {
        return """
                {"enforcement":"hard","limit_micros":25000000,"limit":"25.00","used_nanos":%d,"used_micros":%d,
                 "used":"%s","remaining_micros":%d,"remaining":"%s","percent_used":%s,"state":"%s"}"""
                .formatted(usedMicros * 1000, usedMicros, used, Math.max(0, 25_000_000 - usedMicros), remaining,
                        usedMicros * 100 / 25_000_000, state);
    }

    /** {@link PlanResourceTest#status} on Starter (USD) with this {@code spending_limit} (JSON, or "null"). */
    static String status(String spendingLimit) {
        String status = PlanResourceTest.status(PlanResourceTest.STARTER, "Starter", "null");
        assertTrue(status.endsWith("\"budget\":null}"), status);
        return status.substring(0, status.length() - 1) + ",\"spending_limit\":" + spendingLimit + "}";
    }

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.json(api, get(urlPathEqualTo(PLAN + "/choices")), 200, PlanResourceTest.CHOICES);
        PlatformApiStub.json(api, get(urlPathEqualTo(PLAN)), 200, status("null"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aSetLimitIsShownWithWhatIsSpentOfItItsStateAndTheAmountToChange() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, get(urlPathEqualTo(PLAN)), 200,
                status(limit("21.00", 21_000_000, "4.00", "warning")));
        String html = given().when().get("/t/acme/plan").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<section class=\"card\" id=\"plan-spending-limit\" "
                + "aria-labelledby=\"plan-spending-limit-heading\">"), html);
        assertTrue(html.contains("<h2 id=\"plan-spending-limit-heading\">Spending limit</h2>"), html);
        assertTrue(html.contains("<meter id=\"spending-limit-bar\" min=\"0\" max=\"25000000\" value=\"21000000\" "
                + "low=\"20000000\" high=\"20000000\" optimum=\"0\""), html);
        assertTrue(html.contains("aria-valuetext=\"$21.00 of $25.00\""), html);
        assertTrue(html.contains("<p id=\"spending-limit-text\">$21.00 spent this period of a limit of $25.00 (84%), "
                + "<span class=\"badge warning\" id=\"spending-limit-state\">warning</span>; $4.00 left.</p>"), html);
        assertFalse(html.contains("id=\"spending-limit-none\""));
        assertFalse(html.contains("all spent"));
        assertTrue(html.contains("<form id=\"spending-limit-form\" method=\"post\" action=\"/t/acme/plan/budget\">"),
                html);
        assertTrue(html.contains("<label for=\"spending-limit-amount\">Monthly limit in USD</label>"), html);
        assertTrue(html.contains("<input id=\"spending-limit-amount\" name=\"amount\" inputmode=\"decimal\" "
                + "autocomplete=\"off\" required value=\"25\""), "the limit now, to change: " + html);
        assertTrue(html.contains("<button id=\"spending-limit-submit\" type=\"submit\">Set limit</button>"), html);
        assertTrue(html.contains("<form id=\"spending-limit-remove\" method=\"post\" "
                + "action=\"/t/acme/plan/budget/remove\""), html);
        assertTrue(html.contains(">Remove limit</button>"), html);
        assertTrue(Forms.text(html, "spending-limit-help").contains("429"), "what happens beyond it");

        PlatformApiStub.json(api, get(urlPathEqualTo(PLAN)), 200,
                status(limit("25.10", 25_100_000, "0.00", "exhausted")));
        html = given().when().get("/t/acme/plan").then().statusCode(200).extract().asString();
        assertTrue(html.contains("max=\"25000000\" value=\"25000000\""), "the meter stops at the limit: " + html);
        assertTrue(html.contains("$25.10 spent this period of a limit of $25.00 (100%), <span class=\"badge exhausted\""
                + " id=\"spending-limit-state\">exhausted</span>: <strong>all spent</strong>. Calls with the tenant's"
                + " keys are refused until the next period starts on 1 Dec 2026.</p>"), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void withoutALimitThePageSaysOnlyThePlansBudgetAppliesAndOffersNoRemove() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().when().get("/t/acme/plan").then().statusCode(200).extract().asString();
        assertEquals("No spending limit of your own: only the plan's budget applies, and this plan has none.",
                Forms.text(html, "spending-limit-none").replace("&#39;", "'"));
        assertFalse(html.contains("id=\"spending-limit-bar\""), html);
        assertFalse(html.contains("id=\"spending-limit-remove\""), "nothing to remove");
        assertTrue(html.contains("id=\"spending-limit-amount\" name=\"amount\" inputmode=\"decimal\" "
                + "autocomplete=\"off\" required value=\"\""), html);

        // a platform-api of before sends no spending_limit at all: the same
        PlatformApiStub.json(api, get(urlPathEqualTo(PLAN)), 200,
                PlanResourceTest.status(PlanResourceTest.STARTER, "Starter", "null"));
        given().when().get("/t/acme/plan").then().statusCode(200)
                .body(containsString("id=\"spending-limit-none\""))
                .body(not(containsString("id=\"spending-limit-bar\"")));
    }

    @Test
    @TestSecurity(user = "alice")
    void settingALimitSendsItInMicroUnitsAndComesBackWithANotice() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, put(urlPathEqualTo(BUDGET)), 200, "{\"monthly_budget_micros\":25000000}");
        Forms.from("/t/acme/plan").formParam("amount", " 25.00 ").when().post("/t/acme/plan/budget")
                .then().statusCode(303).header("Location", endsWith("/t/acme/plan?done=budget"));
        api.verify(1, putRequestedFor(urlPathEqualTo(BUDGET))
                .withRequestBody(equalToJson("{\"monthly_budget_micros\":25000000}")));
        api.resetRequests();
        Forms.from("/t/acme/plan").formParam("amount", "0.000001").when().post("/t/acme/plan/budget")
                .then().statusCode(303);
        api.verify(1, putRequestedFor(urlPathEqualTo(BUDGET))
                .withRequestBody(equalToJson("{\"monthly_budget_micros\":1}")));

        PlatformApiStub.json(api, get(urlPathEqualTo(PLAN)), 200, status(limit("0.00", 0, "25.00", "ok")));
        String html = given().when().get("/t/acme/plan?done=budget").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<p class=\"notice\" role=\"status\" id=\"spending-limit-saved\">The spending limit is"
                + " saved: $25.00 a billing period. Calls beyond it are refused from now on.</p>"), html);
        given().when().get("/t/acme/plan").then().statusCode(200)
                .body(not(containsString("id=\"spending-limit-saved\"")));
        given().when().get("/t/acme/plan?done=%3Cscript%3E").then().statusCode(200)
                .body(not(containsString("id=\"spending-limit-saved\"")));
    }

    @Test
    @TestSecurity(user = "alice")
    void removingTheLimitSendsNullAndComesBackWithANotice() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, get(urlPathEqualTo(PLAN)), 200, status(limit("3.00", 3_000_000, "22.00", "ok")));
        PlatformApiStub.json(api, put(urlPathEqualTo(BUDGET)), 200, "{\"monthly_budget_micros\":null}");
        Forms.from("/t/acme/plan").when().post("/t/acme/plan/budget/remove")
                .then().statusCode(303).header("Location", endsWith("/t/acme/plan?done=budget-removed"));
        api.verify(1, putRequestedFor(urlPathEqualTo(BUDGET))
                .withRequestBody(equalToJson("{\"monthly_budget_micros\":null}")));

        PlatformApiStub.json(api, get(urlPathEqualTo(PLAN)), 200, status("null"));
        String html = given().when().get("/t/acme/plan?done=budget-removed").then().statusCode(200).extract()
                .asString();
        assertTrue(html.contains("<p class=\"notice\" role=\"status\" id=\"spending-limit-saved\">The spending limit is"
                + " removed; only the plan's budget caps what the tenant spends now.</p>"), html);
        assertTrue(html.contains("id=\"spending-limit-none\""), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void anAmountThatIsNotAPositiveAmountInMillionthsUpToABillionNeverReachesThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String[][] cases = {
            {"", "Type the spending limit"},
            {"  ", "Type the spending limit"},
            {"twenty", "is not an amount"},
            {"12,50", "is not an amount"},
            {"0", "must be more than 0"},
            {"-5", "must be more than 0"},
            {"1.0000001", "at most 6 decimals"},
            {"1000000000.000001", "too large"},
            {"99999999999999999999", "too large"},
            {"1e999999999", "too large"}};
        for (String[] bad : cases) {
            String html = Forms.from("/t/acme/plan").formParam("amount", bad[0]).when().post("/t/acme/plan/budget")
                    .then().statusCode(400).extract().asString();
            String error = Forms.text(html, "spending-limit-error");
            assertTrue(error != null && error.contains(bad[1]), bad[0] + ": " + error);
            assertTrue(html.contains("<p class=\"error\" role=\"alert\" id=\"spending-limit-error\">"), html);
            assertTrue(html.contains("autocomplete=\"off\" required value=\"" + bad[0] + "\""),
                    "what was typed stays: " + bad[0]);
            assertTrue(html.contains("aria-invalid=\"true\" aria-describedby=\"spending-limit-error "
                    + "spending-limit-help\""), html);
            assertFalse(html.contains("id=\"plan-choice-error\""), "the plan choices are not blamed");
        }
        // the most platform-api takes is still sent
        PlatformApiStub.json(api, put(urlPathEqualTo(BUDGET)), 200, "{\"monthly_budget_micros\":1000000000000000}");
        api.verify(0, putRequestedFor(anyUrl()));
        Forms.from("/t/acme/plan").formParam("amount", "1000000000").when().post("/t/acme/plan/budget")
                .then().statusCode(303);
        api.verify(1, putRequestedFor(urlPathEqualTo(BUDGET))
                .withRequestBody(equalToJson("{\"monthly_budget_micros\":1000000000000000}")));
    }

    @Test
    @TestSecurity(user = "alice")
    void thePlatformsRefusalIsShownBesideTheFormWithWhatWasTyped() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.invalid(api, put(urlPathEqualTo(BUDGET)), "Request validation failed",
                "monthly_budget_micros", "must be at most 1000000000000000 (micro-units)");
        String html = Forms.from("/t/acme/plan").formParam("amount", "42.5").when().post("/t/acme/plan/budget")
                .then().statusCode(400).extract().asString();
        assertTrue(Forms.text(html, "spending-limit-error").contains("must be at most 1000000000000000"), html);
        assertTrue(html.contains("required value=\"42.5\""), "what was typed stays");
        api.verify(1, putRequestedFor(urlPathEqualTo(BUDGET))
                .withRequestBody(equalToJson("{\"monthly_budget_micros\":42500000}")));

        PlatformApiStub.json(api, get(urlPathEqualTo(PLAN)), 200, status(limit("3.00", 3_000_000, "22.00", "ok")));
        PlatformApiStub.problem(api, put(urlPathEqualTo(BUDGET)), 409, "tenant_closed",
                "Tenant acme is closed; nothing of it can change");
        html = Forms.from("/t/acme/plan").when().post("/t/acme/plan/budget/remove")
                .then().statusCode(409).extract().asString();
        assertEquals("Tenant acme is closed; nothing of it can change", Forms.text(html, "spending-limit-error"));
        assertFalse(html.contains("aria-invalid"), "no amount was wrong");
        assertTrue(html.contains("required value=\"25\""), "the limit as it is");
        assertTrue(html.contains("<table id=\"plan-choices\">"), "the page comes back whole");
    }

    @Test
    @TestSecurity(user = "mallory")
    void aMemberSeesTheLimitButNoFormAndAForgedOneIsRefusedByThePlatform() {
        PlatformApiStub.me(api, "mallory@acme.test", false, "acme:member");
        PlatformApiStub.json(api, get(urlPathEqualTo(PLAN)), 200, status(limit("3.00", 3_000_000, "22.00", "ok")));
        Response page = given().when().get("/t/acme/plan");
        String html = page.then().statusCode(200)
                .body(containsString("id=\"spending-limit-bar\""))
                .body(containsString("id=\"spending-limit-text\">$3.00 spent this period of a limit of $25.00"))
                .body(not(containsString("id=\"spending-limit-form\"")))
                .body(not(containsString("id=\"spending-limit-remove\"")))
                .body(not(containsString("name=\"amount\"")))
                .extract().asString();
        assertTrue(Forms.text(html, "spending-limit-member-note").contains("admins"), html);

        PlatformApiStub.problem(api, put(urlPathEqualTo(BUDGET)), 403, "forbidden",
                "Only tenant admins set the spending limit");
        given().redirects().follow(false).cookie(Forms.COOKIE, page.getCookie(Forms.COOKIE))
                .formParam("csrf-token", Csrf.metaToken(html)).formParam("amount", "1000")
                .when().post("/t/acme/plan/budget").then().statusCode(403)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"spending-limit-error\">Only tenant admins"
                        + " set the spending limit</p>"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aClosedTenantsPageShowsTheLimitWithoutAForm() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin:closed");
        PlatformApiStub.json(api, get(urlPathEqualTo(PLAN)), 200, status(limit("3.00", 3_000_000, "22.00", "ok")));
        given().when().get("/t/acme/plan").then().statusCode(200)
                .body(containsString("id=\"spending-limit-bar\""))
                .body(not(containsString("id=\"spending-limit-form\"")))
                .body(not(containsString("id=\"spending-limit-member-note\"")));
    }

    @Test
    @TestSecurity(user = "bob")
    void anOutsiderGetsTheForbiddenPageAndNothingIsSent() {
        PlatformApiStub.me(api, "bob@globex.test", false, "globex:admin");
        Csrf.fabricated().form().formParam("amount", "10").when().post("/t/acme/plan/budget")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        Csrf.fabricated().form().when().post("/t/acme/plan/budget/remove")
                .then().statusCode(403).body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/api/v1/tenants/.*")));
    }

    @Test
    @TestSecurity(user = "alice")
    void theOverviewShowsASecondMeterOnlyWhenALimitIsSet() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:member");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/usage")), 200,
                OverviewResourceTest.USAGE);
        PlatformApiStub.unpaidInvoices(api, "acme");
        String plan = OverviewResourceTest.PLAN;
        assertTrue(plan.endsWith("\"state\":\"ok\"}}"), plan);
        PlatformApiStub.json(api, get(urlPathEqualTo(PLAN)), 200, plan.substring(0, plan.length() - 1)
                + ",\"spending_limit\":" + limit("25.10", 25_100_000, "0.00", "exhausted") + "}");
        String html = given().when().get("/t/acme").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<meter id=\"budget-bar\""), "the plan's budget as before");
        assertTrue(html.contains("<meter id=\"overview-spending-limit-bar\" min=\"0\" max=\"25000000\" "
                + "value=\"25000000\" low=\"20000000\" high=\"20000000\" optimum=\"0\""), html);
        assertTrue(html.contains("aria-label=\"Spending limit used\" aria-valuetext=\"$25.10 of $25.00\""), html);
        assertTrue(html.contains("<div id=\"overview-spending-limit-text\">$25.10 of the tenant's <a "
                + "href=\"/t/acme/plan#plan-spending-limit\">spending limit</a> of $25.00 (100%): <strong>all spent"
                + "</strong>, calls are refused until the next period</div>"), html);

        PlatformApiStub.json(api, get(urlPathEqualTo(PLAN)), 200, plan.substring(0, plan.length() - 1)
                + ",\"spending_limit\":null}");
        given().when().get("/t/acme").then().statusCode(200)
                .body(containsString("<meter id=\"budget-bar\""))
                .body(not(containsString("overview-spending-limit")));
    }
}
