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

@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class PlanResourceTest {

    static final String STARTER = "5a1e0000-0000-4000-8000-000000000001";
    static final String PRO = "5a1e0000-0000-4000-8000-000000000002";
    static final String TEAM = "5a1e0000-0000-4000-8000-000000000003";
    static final String ENTERPRISE = "5a1e0000-0000-4000-8000-000000000009";

    /**
     * acme bills in Paris: November 2026 ends at 2026-11-30T23:00Z, the first instant of 1 December there (a
     * conversion to UTC would say 30 Nov).
     */
    static String status(String planId, String planName, String nextPlan) {
        return status(planId, planName, nextPlan, 0, "USD");
    }

    /** The status with a current plan of that fee (micro-units) and currency. */
    static String status(String planId, String planName, String nextPlan, long feeMicros, String currency) {
        String plan = planId == null ? "null" : """
                {"id":"%s","name":"%s","revision":1,"currency":"%s","effective_from":"2026-01-01T00:00:00Z",
                 "monthly_fee_micros":%d,"monthly_fee":"%s","included_credit_micros":5000000,"included_credit":"5.00",
                 "rate_limits":{"requests_per_minute_per_key":60,"requests_per_minute_per_tenant":null,
                   "max_concurrent_requests":2},"prices":[]}""".formatted(planId, planName, currency, feeMicros,
                java.math.BigDecimal.valueOf(feeMicros, 6).setScale(2, java.math.RoundingMode.UNNECESSARY));
        return """
                {"as_of":"2026-11-20T10:00:00Z","time_zone":"Europe/Paris","plan":%s,
                 "period":{"name":"2026-11","start":"2026-11-01T00:00:00+01:00","end":"2026-12-01T00:00:00+01:00"},
                 "next_plan":%s,
                 "usage":{"requests":0,"items":0,"compute_us":0,"compute_seconds":0,"cost_nanos":0,"cost_micros":0,
                   "cost":"0","currency":"USD"},"quotas":[],"budget":null}""".formatted(plan, nextPlan);
    }

    static String next(String id, String name) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"effective_from\":\"2026-11-30T23:00:00Z\"}";
    }

    static final String CHOICES = """
            [{"id":"%s","name":"Pro","currency":"USD","revision":3,"archived_at":null,"self_service":true,
              "monthly_fee_micros":49500000,"monthly_fee":"49.50","included_credit_micros":10000000,"included_credit":"10.00",
              "rate_limits":{"requests_per_minute_per_key":600,"requests_per_minute_per_tenant":null,"max_concurrent_requests":null},
              "quotas":[{"metric":"items","model":null,"limit":5000,"enforcement":"soft"},
                        {"metric":"requests","model":null,"limit":100000,"enforcement":"hard"}],
              "budget":{"limit_micros":250000000,"enforcement":"hard"},
              "prices":[{"model":"resnet","per_1k_requests":{"tiering":"graduated","tiers":[{"up_to":null,"unit_micros":900000}]},
                         "per_1k_items":null,"per_compute_second":null},
                        {"model":null,"per_1k_requests":{"tiering":"graduated","tiers":[{"up_to":1000,"unit_micros":200000},
                         {"up_to":null,"unit_micros":100000}]},"per_1k_items":null,"per_compute_second":null}]},
             {"id":"%s","name":"Starter","currency":"USD","revision":1,"archived_at":null,"self_service":true,
              "monthly_fee_micros":0,"monthly_fee":"0.00","included_credit_micros":5000000,"included_credit":"5.00",
              "rate_limits":{"requests_per_minute_per_key":60,"requests_per_minute_per_tenant":null,"max_concurrent_requests":2},
              "quotas":[],"budget":null,
              "prices":[{"model":null,"per_1k_requests":{"tiering":"graduated","tiers":[{"up_to":null,"unit_micros":250000}]},
                         "per_1k_items":null,"per_compute_second":null}]},
             {"id":"%s","name":"Team","currency":"USD","revision":1,"archived_at":null,"self_service":true,
              "monthly_fee_micros":20000000,"monthly_fee":"20.00","included_credit_micros":0,"included_credit":"0.00",
              "rate_limits":null,"quotas":[],"budget":null,"prices":[]}]""".formatted(PRO, STARTER, TEAM);

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan/choices")), 200, CHOICES);
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200,
                status(STARTER, "Starter", "null"));
    }

    @Test
    @TestSecurity(user = "alice")
    void anAdminSeesTheCurrentPlanAndEveryChoiceWithAButtonForTheNextPeriodsFirstDay() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        String html = given().when().get("/t/acme/plan").then().statusCode(200)
                .body(containsString("<a id=\"nav-plan\" href=\"/t/acme/plan\" aria-current=\"page\">Plan</a>"))
                .extract().asString();

        assertTrue(html.contains("Billing period 2026-11: 2026-11-01 to 2026-11-30 (Europe/Paris)"), html);
        assertEquals("Starter", Forms.text(html, "plan-current-name"));
        assertEquals("$0.00", Forms.text(html, "plan-current-fee"));
        assertEquals("$5.00", Forms.text(html, "plan-current-credit"));
        String limits = html.substring(html.indexOf("<dl id=\"plan-rate-limits\""));
        assertTrue(limits.startsWith("<dl id=\"plan-rate-limits\" class=\"limits\">")
                && limits.contains("60 requests/min") && limits.contains("2 requests"), limits);
        assertFalse(html.contains("id=\"plan-next\""), "nothing is scheduled");
        assertFalse(html.contains("id=\"plan-none\""));

        assertTrue(html.contains("<table id=\"plan-choices\">"), html);
        String starter = row(html, "Starter");
        assertTrue(starter.startsWith("<tr data-plan=\"Starter\" class=\"current\">"), starter);
        assertFalse(starter.contains("choose-plan"), "staying on the current plan is offered only against a change");

        String pro = row(html, "Pro");
        assertTrue(pro.startsWith("<tr data-plan=\"Pro\">"), pro);
        assertTrue(pro.contains("<td class=\"num\">$49.50</td>") && pro.contains("<td class=\"num\">$10.00</td>"), pro);
        assertTrue(pro.contains("<td class=\"num\">600</td>"), "per-key rate limit: " + pro);
        assertTrue(pro.contains("100,000 (hard)"), "the requests quota, not the items one: " + pro);
        assertTrue(pro.contains("$250.00 (hard)"), "the budget: " + pro);
        assertTrue(pro.contains("<td>$0.20 up to 1,000 requests, then $0.10</td>"), "the default price: " + pro);
        assertTrue(pro.contains("<form id=\"choose-plan-" + PRO + "\" class=\"inline\" method=\"post\""
                + " action=\"/t/acme/plan\""), pro);
        assertTrue(pro.contains("<input type=\"hidden\" name=\"plan_id\" value=\"" + PRO + "\">"), pro);
        assertTrue(pro.contains("name=\"csrf-token\""), pro);
        assertTrue(pro.contains("class=\"choose-plan\"") && pro.contains(">Switch on 1 Dec 2026</button>"), pro);

        String team = row(html, "Team");
        assertTrue(team.contains("<td>free</td>") && team.contains("no limit") && team.contains("no quota"), team);
        assertTrue(team.contains("value=\"" + TEAM + "\"") && team.contains(">Switch on 1 Dec 2026</button>"), team);

        // both cost more than Starter's nothing: either may also start now
        for (String[] plan : new String[][] {{"Pro", PRO}, {"Team", TEAM}}) {
            String r = row(html, plan[0]);
            assertTrue(r.contains("<form id=\"upgrade-plan-" + plan[1] + "\" class=\"inline\" method=\"post\""
                    + " action=\"/t/acme/plan\" data-confirm=\"Move this tenant to " + plan[0] + " now?"), r);
            assertTrue(r.contains("<input type=\"hidden\" name=\"effective\" value=\"now\">")
                    && r.contains(">Upgrade now</button>"), r);
        }
        assertTrue(row(html, "Pro").contains("this period is billed at $49.50"), row(html, "Pro"));
        assertFalse(starter.contains("upgrade-plan"), starter);
    }

    @Test
    @TestSecurity(user = "alice")
    void onlyPlansOfTheSameCurrencyAndAFeeNotLowerOfferAnUpgradeNow() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200,
                status(TEAM, "Team", "null", 20_000_000, "USD"));
        String html = given().when().get("/t/acme/plan").then().statusCode(200).extract().asString();
        assertTrue(row(html, "Pro").contains("upgrade-plan"), "49.50 after 20.00: " + row(html, "Pro"));
        assertFalse(row(html, "Starter").contains("upgrade-plan"), "a smaller plan waits: " + row(html, "Starter"));
        assertTrue(row(html, "Starter").contains(">Switch on 1 Dec 2026</button>"), row(html, "Starter"));
        assertFalse(row(html, "Team").contains("upgrade-plan"), "the current plan: " + row(html, "Team"));

        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200,
                status(TEAM, "Team", "null", 0, "EUR"));
        html = given().when().get("/t/acme/plan").then().statusCode(200).extract().asString();
        assertFalse(html.contains("upgrade-plan"), "another currency waits for the next period: " + html);

        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200, status(null, null, "null"));
        html = given().when().get("/t/acme/plan").then().statusCode(200).extract().asString();
        assertTrue(row(html, "Starter").contains("upgrade-plan"), "a tenant without a plan may take any at once");
    }

    @Test
    @TestSecurity(user = "alice")
    void upgradingNowPutsEffectiveNowAndComesBackSayingTheTenantIsOnIt() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, put(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200,
                status(PRO, "Pro", "null", 49_500_000, "USD"));
        Forms.from("/t/acme/plan").formParam("plan_id", PRO).formParam("effective", "now").when()
                .post("/t/acme/plan").then().statusCode(303).header("Location", endsWith("/t/acme/plan?changed=now"));
        api.verify(1, putRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/plan"))
                .withRequestBody(equalToJson("{\"plan_id\":\"" + PRO + "\",\"effective\":\"now\"}")));

        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200,
                status(PRO, "Pro", "null", 49_500_000, "USD"));
        String html = given().when().get("/t/acme/plan?changed=now").then().statusCode(200).extract().asString();
        assertTrue(html.contains("id=\"plan-choice-saved\">Saved: the tenant is on <strong>Pro</strong> from now"
                + " on; this period is billed at the highest fee of its plans.</p>"), html);
        assertEquals("Pro", Forms.text(html, "plan-current-name"));

        // a move down at once is the platform's refusal, shown above the choices
        PlatformApiStub.problem(api, put(urlPathEqualTo("/api/v1/tenants/acme/plan")), 409,
                "plan_change_next_period", "Plan 'Starter' has a lower monthly fee than plan 'Pro'");
        Forms.from("/t/acme/plan").formParam("plan_id", STARTER).formParam("effective", "now").when()
                .post("/t/acme/plan").then().statusCode(409)
                .body(containsString("id=\"plan-choice-error\">Plan &#39;Starter&#39; has a lower monthly fee"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aPendingChangeIsShownWithItsDateAndTheCurrentPlanOffersToStay() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200,
                status(STARTER, "Starter", next(PRO, "Pro")));
        String html = given().when().get("/t/acme/plan").then().statusCode(200).extract().asString();

        assertEquals("1 Dec 2026", Forms.text(html, "plan-next-date"));
        assertEquals("Pro", Forms.text(html, "plan-next-name"));
        assertFalse(html.contains("id=\"stay-on-plan\""), "the current plan's row offers to stay");

        String pro = row(html, "Pro");
        assertTrue(pro.startsWith("<tr data-plan=\"Pro\" class=\"pending\">"), pro);
        assertFalse(pro.contains("choose-plan"), "the pending choice has no button");

        String starter = row(html, "Starter");
        assertTrue(starter.startsWith("<tr data-plan=\"Starter\" class=\"current\">"), starter);
        assertTrue(starter.contains("value=\"" + STARTER + "\"") && starter.contains(">Stay on this plan</button>"),
                starter);
        assertTrue(row(html, "Team").contains(">Switch on 1 Dec 2026</button>"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPlatformAdminMayCancelAChangeAwayFromAPlanThatIsNotSelfService() {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200,
                status(ENTERPRISE, "Enterprise", next(TEAM, "Team")));
        String html = given().when().get("/t/acme/plan").then().statusCode(200).extract().asString();
        String next = html.substring(html.indexOf("id=\"plan-next\""), html.indexOf("</section>"));
        assertTrue(next.contains("<form id=\"stay-on-plan\" method=\"post\" action=\"/t/acme/plan\">"), next);
        assertTrue(next.contains("value=\"" + ENTERPRISE + "\"") && next.contains(">Stay on Enterprise</button>"), next);
        assertFalse(html.contains("class=\"current\""), "Enterprise is not among the choices");
        assertFalse(html.contains("Stay on this plan"));
        assertTrue(row(html, "Starter").contains(">Switch on 1 Dec 2026</button>"), "platform admins choose too");
    }

    @Test
    @TestSecurity(user = "mallory")
    void aMemberSeesThePlansWithoutForms() {
        PlatformApiStub.me(api, "mallory@acme.test", false, "acme:member");
        String html = given().when().get("/t/acme/plan").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<tr data-plan=\"Pro\">") && html.contains("<tr data-plan=\"Starter\" class=\"current\">"),
                html);
        assertTrue(html.contains("Only tenant admins choose the plan."), html);
        assertFalse(html.contains("choose-plan"), html);
        assertFalse(html.contains("action=\"/t/acme/plan\""), html);
        assertFalse(html.contains("name=\"plan_id\""), html);
    }

    @Test
    @TestSecurity(user = "alice")
    void choosingAPlanPutsItsIdAndComesBackSayingWhenItTakesEffect() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, put(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200,
                status(STARTER, "Starter", next(PRO, "Pro")));
        Forms.from("/t/acme/plan").formParam("plan_id", PRO).when().post("/t/acme/plan")
                .then().statusCode(303).header("Location", endsWith("/t/acme/plan?changed=1"));
        api.verify(1, putRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/plan"))
                .withRequestBody(equalToJson("{\"plan_id\":\"" + PRO + "\"}")));

        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200,
                status(STARTER, "Starter", next(PRO, "Pro")));
        given().when().get("/t/acme/plan?changed=1").then().statusCode(200)
                .body(containsString("<p class=\"notice\" role=\"status\" id=\"plan-choice-saved\">Saved: the tenant"
                        + " moves to <strong>Pro</strong> on 1 Dec 2026.</p>"));
        given().when().get("/t/acme/plan").then().statusCode(200)
                .body(not(containsString("id=\"plan-choice-saved\"")));
    }

    @Test
    @TestSecurity(user = "alice")
    void stayingOnTheCurrentPlanPutsItsIdWhichCancelsTheChange() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200,
                status(STARTER, "Starter", next(PRO, "Pro")));
        PlatformApiStub.json(api, put(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200,
                status(STARTER, "Starter", "null"));
        Forms.from("/t/acme/plan").formParam("plan_id", STARTER).when().post("/t/acme/plan")
                .then().statusCode(303).header("Location", endsWith("/t/acme/plan?changed=1"));
        api.verify(1, putRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/plan"))
                .withRequestBody(equalToJson("{\"plan_id\":\"" + STARTER + "\"}")));
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200,
                status(STARTER, "Starter", "null"));
        given().when().get("/t/acme/plan?changed=1").then().statusCode(200)
                .body(containsString("id=\"plan-choice-saved\">Saved: no change is pending; the tenant stays on"
                        + " <strong>Starter</strong>."))
                .body(not(containsString("id=\"plan-next\"")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aChangeAnAdminScheduledIsARefusalShownAboveTheChoices() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.problem(api, put(urlPathEqualTo("/api/v1/tenants/acme/plan")), 409, "plan_change_scheduled",
                "A platform admin scheduled a move to \"Enterprise\" on 2026-12-01; ask them to change it");
        String html = Forms.from("/t/acme/plan").formParam("plan_id", PRO).when().post("/t/acme/plan")
                .then().statusCode(409).extract().asString();
        assertTrue(html.contains("<p class=\"error\" role=\"alert\" id=\"plan-choice-error\">A platform admin scheduled"
                + " a move to &quot;Enterprise&quot; on 2026-12-01; ask them to change it</p>"), html);
        assertTrue(html.contains("<table id=\"plan-choices\">"), "the page comes back whole");
    }

    @Test
    @TestSecurity(user = "alice")
    void aPlanTheTenantCannotChooseIsARefusalShownAboveTheChoices() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.problem(api, put(urlPathEqualTo("/api/v1/tenants/acme/plan")), 400, "unknown_plan",
                "No self-service plan " + TEAM);
        Forms.from("/t/acme/plan").formParam("plan_id", TEAM).when().post("/t/acme/plan")
                .then().statusCode(400)
                .body(containsString("id=\"plan-choice-error\">No self-service plan " + TEAM + "</p>"));
    }

    @Test
    @TestSecurity(user = "alice")
    void aPlanIdThatIsNotOneIsRefusedWithoutAskingThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        Forms.from("/t/acme/plan").formParam("plan_id", "pro").when().post("/t/acme/plan")
                .then().statusCode(400)
                .body(containsString("id=\"plan-choice-error\">Choose one of the plans below.</p>"));
        api.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "mallory")
    void aMembersForgedChoiceIsRefusedByTheApiAndShownInline() {
        PlatformApiStub.me(api, "mallory@acme.test", false, "acme:member");
        PlatformApiStub.problem(api, put(urlPathEqualTo("/api/v1/tenants/acme/plan")), 403, "forbidden",
                "Only tenant admins choose the plan");
        // a member's page has no form: the token comes from the layout's meta, as a script would read it
        Response page = given().when().get("/t/acme/plan");
        String token = Csrf.metaToken(page.asString());
        given().redirects().follow(false).cookie(Forms.COOKIE, page.getCookie(Forms.COOKIE))
                .formParam("csrf-token", token).formParam("plan_id", PRO)
                .when().post("/t/acme/plan").then().statusCode(403)
                .body(containsString("id=\"plan-choice-error\">Only tenant admins choose the plan</p>"))
                .body(not(containsString("choose-plan")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aPostWithoutTheCsrfTokenNeverReachesThePlatform() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        given().redirects().follow(false).formParam("plan_id", PRO).when().post("/t/acme/plan")
                .then().statusCode(400);
        api.verify(0, putRequestedFor(anyUrl()));
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantWithoutAPlanAndNothingToChooseIsToldWhoToAsk() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan")), 200, status(null, null, "null"));
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/plan/choices")), 200, "[]");
        String html = given().when().get("/t/acme/plan").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<p id=\"plan-none\">This tenant has no plan"), html);
        assertTrue(Forms.text(html, "plan-no-choices").contains("ask a platform administrator to change your plan"),
                html);
        assertFalse(html.contains("id=\"plan-choices\""), html);
        assertFalse(html.contains("choose-plan"), html);
    }

    @Test
    @TestSecurity(user = "bob")
    void anOutsiderGetsTheForbiddenPageAndTheTenantIsNeverAsked() {
        PlatformApiStub.me(api, "bob@globex.test", false, "globex:admin");
        given().when().get("/t/acme/plan").then().statusCode(403)
                .body(containsString("id=\"forbidden\""))
                .body(not(containsString("Starter")))
                .body(not(containsString("plan-choices")));
        Csrf.fabricated().form().formParam("plan_id", PRO).when().post("/t/acme/plan")
                .then().statusCode(403)
                .body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/api/v1/tenants/.*")));
    }

    /** The table row of the plan with that name, from its {@code <tr>} to its end. */
    private static String row(String html, String name) {
        int start = html.indexOf("<tr data-plan=\"" + name + "\"");
        if (start < 0) {
            throw new AssertionError("no row for " + name + " in " + html);
        }
        return html.substring(start, html.indexOf("</tr>", start));
    }
}
