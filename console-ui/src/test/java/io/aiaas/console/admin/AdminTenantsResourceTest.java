package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.aiaas.console.testsupport.Csrf;
import io.aiaas.console.testsupport.PlatformApiStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminTenantsResourceTest {

    static final String PLAN_ID = "6f1c1a52-8a1e-4a57-9d0e-1f4a3b2c1d00";
    static final String ACME = """
            {"id":"11111111-1111-1111-1111-111111111111","slug":"acme","name":"Acme Corp","status":"active",
             "time_zone":"Europe/Paris","plan":{"id":"%s","name":"Pro","effective_from":"2026-01-01T00:00:00Z"},
             "next_plan":null,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}"""
            .formatted(PLAN_ID);
    static final String GLOBEX = """
            {"id":"22222222-2222-2222-2222-222222222222","slug":"globex","name":"Globex","status":"suspended",
             "time_zone":"UTC","plan":null,"next_plan":null,"created_at":"2026-02-01T00:00:00Z",
             "updated_at":"2026-02-01T00:00:00Z","signed_up_by":"kc-5eb1"}""";
    static final String PLANS = """
            [{"id":"%s","name":"Pro","currency":"USD","revision":1,"self_service":false,"monthly_fee_micros":49000000,"monthly_fee":"49.00",
              "included_credit_micros":0,"included_credit":"0.00","prices":[{}]},
             {"id":"0b7e5c1e-51b5-4f55-9a53-3c1b2a3f4e5d","name":"Legacy","currency":"USD","revision":4,
              "archived_at":"2026-01-01T00:00:00Z","self_service":false,"monthly_fee_micros":9000000,"monthly_fee":"9.00",
              "included_credit_micros":0,"included_credit":"0.00","prices":[{}]}]""".formatted(PLAN_ID);

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
    }

    private void admin() {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
    }

    private void acmeDetail() {
        acmeDetail(api);
    }

    /** Every call of acme's admin page answered (no credit grants), for the tests of its sections. */
    static void acmeDetail(WireMockServer api) {
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/credits")), 200, "[]");
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 200, ACME);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme/tax")), 200,
                "{\"treatment\":\"standard\",\"note\":null}");
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/plans")), 200, PLANS);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme/plans")), 200, """
                [{"effective_from":"2026-01-01T00:00:00Z","plan_id":"%s","plan_name":"Pro","state":"current",
                  "created_at":"2025-12-30T10:00:00Z","created_by":"admin@aiaas.test"}]""".formatted(PLAN_ID));
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme/members")), 200, """
                [{"id":"33333333-3333-3333-3333-333333333333","email":"alice@acme.test","subject":"s1","role":"admin",
                  "created_at":"2026-01-02T00:00:00Z"}]""");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/usage")), 200, """
                {"tenant":"acme","buckets":[],"totals":{"requests":12345,"billable_requests":12000,"errors":345,
                 "refused":45,"items":24000,"compute_ms":1.5,"bytes_in":0,"bytes_out":0,"cost_nanos":0}}""");
        PlatformApiStub.json(api, get(urlPathEqualTo("/api/v1/tenants/acme/costs")), 200, """
                {"tenant":"acme","buckets":[],"totals":[{"currency":"USD","cost_nanos":12340000000,"cost":"12.34"}]}""");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void listShowsEveryTenantWithStatusAndPlan() {
        admin();
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants")), 200, "[" + ACME + "," + GLOBEX + "]");
        given().when().get("/admin/tenants")
                .then().statusCode(200)
                .body(containsString("id=\"tenants\""))
                .body(containsString("<a class=\"tenant-link\" href=\"/admin/tenants/acme\">Acme Corp</a>"))
                .body(containsString("<span class=\"badge suspended\">suspended</span>"))
                .body(containsString("<td>Pro</td>"))
                // globex was created by someone signing up, acme by an admin
                .body(containsString("title=\"created by signing up (account kc-5eb1)\">signed up</span>"))
                .body(org.hamcrest.Matchers.matchesPattern("(?s)(?:(?!signed up</span>).)*signed up</span>"
                        + "(?:(?!signed up</span>).)*"))
                .body(containsString("id=\"create-tenant\""))
                .body(containsString("id=\"nav-admin-tenants\" href=\"/admin/tenants\" aria-current=\"page\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void creatingATenantPostsSlugAndNameAndOpensIt() {
        admin();
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants")), 200, "[]");
        PlatformApiStub.json(api, post(urlPathEqualTo("/admin/v1/tenants")), 201, ACME);
        Csrf csrf = Csrf.from("/admin/tenants");
        csrf.form().formParam("slug", " acme ").formParam("name", "Acme Corp")
                .when().post("/admin/tenants")
                .then().statusCode(303).header("Location", endsWith("/admin/tenants/acme"));
        api.verify(postRequestedFor(urlPathEqualTo("/admin/v1/tenants"))
                .withRequestBody(equalToJson("{\"slug\":\"acme\",\"name\":\"Acme Corp\"}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRefusedTenantIsShownInlineWithWhatWasTyped() {
        admin();
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants")), 200, "[" + ACME + "]");
        PlatformApiStub.problem(api, post(urlPathEqualTo("/admin/v1/tenants")), 409, "tenant_exists",
                "A tenant with slug 'acme' exists");
        Csrf csrf = Csrf.from("/admin/tenants");
        csrf.form().formParam("slug", "acme").formParam("name", "Acme <Two>")
                .when().post("/admin/tenants")
                .then().statusCode(409)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"create-tenant-error\">A tenant with slug"))
                .body(containsString("value=\"Acme &lt;Two&gt;\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void detailShowsStatusPlanHistoryMembersAndThisMonthsUsage() {
        admin();
        acmeDetail();
        given().when().get("/admin/tenants/acme")
                .then().statusCode(200)
                .body(containsString("<span id=\"tenant-status\" class=\"badge active\">active</span>"))
                .body(containsString("id=\"suspend-tenant\""))
                .body(not(containsString("id=\"resume-tenant\"")))
                .body(containsString("data-confirm=\"Suspend Acme Corp?"))
                .body(containsString("id=\"assign-plan\""))
                .body(containsString("<option value=\"" + PLAN_ID + "\" selected>Pro (USD, $49.00 a month)</option>"))
                .body(not(containsString("Legacy (USD"))) // an archived plan is not offered
                .body(containsString("<td>alice@acme.test</td>"))
                .body(containsString("id=\"tenant-month-requests\">12,345<"))
                .body(containsString("id=\"tenant-month-cost\">$12.34<"))
                .body(containsString("<a id=\"tenant-pages-link\" href=\"/t/acme\">"))
                // the tenant nav belongs to the tenant's own pages, not to the admin page about it
                .body(not(containsString("id=\"nav-overview\"")))
                .body(containsString("Requests this month, from " + java.time.LocalDate.now(ZoneId.of("Europe/Paris")).withDayOfMonth(1) + " (Europe/Paris)"))
                .body(containsString("value=\"Europe/Paris\""));
        // this month is counted from the first in the tenant's billing zone, not UTC
        String start = ZonedDateTime.now(ZoneId.of("Europe/Paris")).withDayOfMonth(1).toLocalDate()
                .atStartOfDay(ZoneId.of("Europe/Paris")).toInstant().toString();
        api.verify(getRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/usage"))
                .withQueryParam("start", equalTo(start)).withQueryParam("bucket_width", equalTo("1d")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aSuspendedTenantOffersResume() {
        admin();
        acmeDetail();
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 200,
                ACME.replace("\"status\":\"active\"", "\"status\":\"suspended\""));
        given().when().get("/admin/tenants/acme")
                .then().statusCode(200)
                .body(containsString("class=\"badge suspended\">suspended</span>"))
                .body(containsString("id=\"resume-tenant\""))
                .body(not(containsString("id=\"suspend-tenant\"")))
                .body(not(containsString("id=\"tenant-suspended-reason\"")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aTenantSuspendedForNotPayingSaysSoAndLinksItsOverdueInvoices() {
        admin();
        acmeDetail();
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 200,
                ACME.replace("\"status\":\"active\"",
                        "\"status\":\"suspended\",\"suspended_reason\":\"non_payment\""));
        given().when().get("/admin/tenants/acme")
                .then().statusCode(200)
                .body(containsString("id=\"tenant-suspended-reason\""))
                .body(containsString("href=\"/admin/billing?tenant=acme&amp;payment=overdue\""))
                .body(containsString("id=\"resume-tenant\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void suspendingPatchesTheStatus() {
        admin();
        acmeDetail();
        PlatformApiStub.json(api, patch(urlPathEqualTo("/admin/v1/tenants/acme")), 200, ACME);
        Csrf csrf = Csrf.from("/admin/tenants/acme");
        csrf.form().formParam("status", "suspended")
                .when().post("/admin/tenants/acme/status")
                .then().statusCode(303).header("Location", endsWith("/admin/tenants/acme"));
        api.verify(patchRequestedFor(urlPathEqualTo("/admin/v1/tenants/acme"))
                .withRequestBody(equalToJson("{\"status\":\"suspended\"}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void assigningAPlanSendsTheLocalTimeOfTheReaderAsAnInstant() {
        admin();
        acmeDetail();
        PlatformApiStub.json(api, patch(urlPathEqualTo("/admin/v1/tenants/acme")), 200, ACME);
        Csrf csrf = Csrf.from("/admin/tenants/acme");
        csrf.form().cookie("tz", "America/New_York").formParam("plan_id", PLAN_ID)
                .formParam("effective_at", "2030-12-01T00:00")
                .when().post("/admin/tenants/acme/plan")
                .then().statusCode(303);
        String expected = LocalDateTime.parse("2030-12-01T00:00").atZone(ZoneId.of("America/New_York")).toInstant()
                .toString();
        api.verify(patchRequestedFor(urlPathEqualTo("/admin/v1/tenants/acme"))
                .withRequestBody(equalToJson("{\"plan_id\":\"" + PLAN_ID + "\",\"plan_effective_at\":\"" + expected
                        + "\"}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPlanWithoutATimeTakesEffectNow() {
        admin();
        acmeDetail();
        PlatformApiStub.json(api, patch(urlPathEqualTo("/admin/v1/tenants/acme")), 200, ACME);
        Csrf csrf = Csrf.from("/admin/tenants/acme");
        csrf.form().formParam("plan_id", PLAN_ID).formParam("effective_at", "")
                .when().post("/admin/tenants/acme/plan")
                .then().statusCode(303);
        api.verify(patchRequestedFor(urlPathEqualTo("/admin/v1/tenants/acme"))
                .withRequestBody(equalToJson("{\"plan_id\":\"" + PLAN_ID + "\"}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aRefusedPlanChangeIsShownNextToThePlanForm() {
        admin();
        acmeDetail();
        PlatformApiStub.problem(api, patch(urlPathEqualTo("/admin/v1/tenants/acme")), 400, "plan_effective_in_past",
                "plan_effective_at is in the past");
        Csrf csrf = Csrf.from("/admin/tenants/acme");
        csrf.form().formParam("plan_id", PLAN_ID).formParam("effective_at", "2020-01-01T00:00")
                .when().post("/admin/tenants/acme/plan")
                .then().statusCode(400)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"assign-plan-error\">plan_effective_at is in the past</p>"))
                .body(containsString("value=\"2020-01-01T00:00\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void usageThatCannotBeReadDoesNotHideTheTenant() {
        admin();
        acmeDetail();
        PlatformApiStub.problem(api, get(urlPathEqualTo("/api/v1/tenants/acme/usage")), 503, "unavailable",
                "usage store busy");
        given().when().get("/admin/tenants/acme")
                .then().statusCode(200)
                .body(containsString("id=\"tenant-usage-error\""))
                .body(containsString("id=\"assign-plan\""));
    }

    /** acme as platform-api shows it with a spending limit of its own ({@code monthly_budget_micros}), or null. */
    static String acmeWithLimit(String micros) {
        return ACME.replace("\"updated_at\":\"2026-01-01T00:00:00Z\"}",
                "\"updated_at\":\"2026-01-01T00:00:00Z\",\"monthly_budget_micros\":" + micros + "}");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theTenantsOwnSpendingLimitIsShownInItsPlansCurrencyAndNoneWithoutOne() {
        admin();
        acmeDetail();
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 200, acmeWithLimit("25000000"));
        String html = given().when().get("/admin/tenants/acme").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<dl class=\"facts\" id=\"admin-tenant-facts\">"), html);
        assertTrue(html.contains("<dd id=\"admin-tenant-spending-limit\">$25.00 a month (set by the tenant's admins)"
                + "</dd>"), "in Pro's USD: " + html);
        assertFalse(html.contains("/budget\""), "read-only: only the tenant's admins set it");

        // a limit of 0 is one: nothing may be spent
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 200, acmeWithLimit("0"));
        given().when().get("/admin/tenants/acme").then().statusCode(200)
                .body(containsString("<dd id=\"admin-tenant-spending-limit\">$0.00 a month (set by the tenant's admins)"));

        // without a plan the currency is not known: the amount alone, in units
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 200,
                acmeWithLimit("1234500000").replaceFirst("\"plan\":\\{[^}]*\\}", "\"plan\":null"));
        given().when().get("/admin/tenants/acme").then().statusCode(200)
                .body(containsString("<dd id=\"admin-tenant-spending-limit\">1,234.50 a month (set by the tenant's "
                        + "admins)</dd>"));

        // none set (null), and a platform-api of before that does not send the field
        for (String tenant : new String[] {acmeWithLimit("null"), ACME}) {
            PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 200, tenant);
            given().when().get("/admin/tenants/acme").then().statusCode(200)
                    .body(containsString("<dd id=\"admin-tenant-spending-limit\">none</dd>"));
        }
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantAdminGetsTheForbiddenPageAndNoTenantData() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants")), 200, "[" + ACME + "," + GLOBEX + "]");
        acmeDetail();
        for (String page : new String[] {"/admin/tenants", "/admin/tenants/acme"}) {
            given().when().get(page)
                    .then().statusCode(403)
                    .body(containsString("id=\"forbidden\""))
                    .body(not(containsString("Globex")))
                    .body(not(containsString("12,345")))
                    .body(not(containsString("id=\"tenants\"")));
        }
        api.verify(0, getRequestedFor(urlPathMatching("/admin/v1/.*")));
        api.verify(0, getRequestedFor(urlPathMatching("/api/v1/tenants/.*")).withQueryParam("start", matching(".*")));
    }

    /** acme after closing: status closed, when, and no plan any more. */
    static final String CLOSED = ACME.replace("\"status\":\"active\"", "\"status\":\"closed\"")
            .replaceFirst("\"plan\":\\{[^}]*\\}", "\"plan\":null")
            .replace("\"updated_at\":\"2026-01-01T00:00:00Z\"}", "\"updated_at\":\"2026-11-30T20:00:00Z\","
                    + "\"closed_at\":\"2026-11-30T20:00:00Z\"}");

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aClosedTenantShowsWhenItClosedAndNoFormThatWouldChangeIt() {
        admin();
        acmeDetail();
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 200, CLOSED);
        given().when().get("/admin/tenants/acme")
                .then().statusCode(200)
                .body(containsString("<span id=\"tenant-status\" class=\"badge closed\">closed</span>"))
                .body(containsString("<p id=\"tenant-closed-at\">Closed <time datetime=\"2026-11-30T20:00:00Z\">"
                        + "2026-11-30 20:00</time>"))
                .body(not(containsString("tenant-status-form")))
                .body(not(containsString("suspend-tenant")))
                .body(not(containsString("resume-tenant")))
                .body(not(containsString("id=\"assign-plan\"")))
                .body(not(containsString("id=\"tenant-zone\"")))
                .body(containsString("<p id=\"tenant-time-zone-value\"><code>Europe/Paris</code></p>"))
                .body(containsString("id=\"plan-history\""))
                .body(containsString("<td>alice@acme.test</td>"))
                .body(containsString("id=\"tenant-month-requests\">12,345<"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aChangeOfAClosedTenantPostedAnywayShowsThePlatformsRefusal() {
        admin();
        acmeDetail();
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 200, CLOSED);
        PlatformApiStub.tenantClosed(api, patch(urlPathEqualTo("/admin/v1/tenants/acme")), "acme");
        Csrf.fabricated().form().formParam("status", "active")
                .when().post("/admin/tenants/acme/status")
                .then().statusCode(409)
                .body(containsString("<p class=\"error\" role=\"alert\" id=\"tenant-status-form-error\">Tenant"
                        + " &#39;acme&#39; is closed; its invoices, usage and audit log stay readable"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theListMarksAClosedTenant() {
        admin();
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants")), 200, "[" + CLOSED + "," + GLOBEX + "]");
        given().when().get("/admin/tenants")
                .then().statusCode(200)
                .body(containsString("<span class=\"badge closed\">closed</span>"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anOpenTenantOffersClosingBehindTheSlugAndAConfirmation() {
        admin();
        acmeDetail();
        String html = given().when().get("/admin/tenants/acme").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<form id=\"admin-close-tenant-form\" method=\"post\""
                + " action=\"/admin/tenants/acme/close\" data-confirm=\"Close Acme Corp (acme) for good?"), html);
        assertTrue(html.contains("<input id=\"admin-close-confirm\" name=\"confirm\" required"), html);
        assertTrue(html.contains("<button id=\"admin-close-tenant\" class=\"danger\" type=\"submit\">"), html);
        String zone = html.substring(html.indexOf("id=\"admin-close-tenant-section\""));
        assertTrue(html.contains("class=\"card danger-zone\" id=\"admin-close-tenant-section\""), html);
        assertTrue(zone.contains("cannot be undone") && zone.contains("every API key")
                && zone.contains("still invoiced") && zone.contains("stay readable") && zone.contains("suspend it"),
                zone);
        assertTrue(zone.contains("name=\"csrf-token\""), "a CSRF token like every admin form");
        assertFalse(html.contains("admin-close-tenant-done"), "no notice without a closing just done");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aSuspendedTenantCanBeClosedToo() {
        admin();
        acmeDetail();
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 200,
                ACME.replace("\"status\":\"active\"", "\"status\":\"suspended\""));
        given().when().get("/admin/tenants/acme")
                .then().statusCode(200)
                .body(containsString("id=\"admin-close-tenant-form\""))
                .body(containsString("id=\"admin-close-confirm\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aClosedTenantIsNotOfferedClosing() {
        admin();
        acmeDetail();
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 200, CLOSED);
        given().when().get("/admin/tenants/acme")
                .then().statusCode(200)
                .body(containsString("id=\"tenant-closed-at\""))
                .body(not(containsString("admin-close-tenant")))
                .body(not(containsString("admin-close-confirm")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void closingSendsTheTypedSlugAndComesBackWithANotice() {
        admin();
        acmeDetail();
        PlatformApiStub.close(api, "acme", "2026-11-30T20:00:00Z");
        Csrf.from("/admin/tenants/acme").form().formParam("confirm", " acme ")
                .when().post("/admin/tenants/acme/close")
                .then().statusCode(303).header("Location", endsWith("/admin/tenants/acme?done=closed"));
        api.verify(postRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/close"))
                .withRequestBody(equalToJson("{\"confirm\":\"acme\"}")));

        // platform-api now shows the tenant closed
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/tenants/acme")), 200, CLOSED);
        String html = given().when().get("/admin/tenants/acme?done=closed").then().statusCode(200).extract()
                .asString();
        assertTrue(html.contains("<p class=\"notice\" role=\"status\" id=\"admin-close-tenant-done\">Tenant acme is"
                + " closed: its API keys no longer work; its invoices, usage and audit log stay readable.</p>"), html);
        assertTrue(html.contains("id=\"tenant-closed-at\""), html);
        assertFalse(html.contains("admin-close-tenant-form"), "a closed tenant is not offered closing again");
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aMismatchedConfirmationIsShownBesideTheFormWithWhatWasTyped() {
        admin();
        acmeDetail();
        PlatformApiStub.problem(api, post(urlPathEqualTo("/api/v1/tenants/acme/close")), 400,
                "confirmation_mismatch", "The confirmation must be the slug of the tenant: acme");
        String html = Csrf.from("/admin/tenants/acme").form().formParam("confirm", "acne")
                .when().post("/admin/tenants/acme/close")
                .then().statusCode(400).extract().asString();
        assertTrue(html.contains("<p class=\"error\" role=\"alert\" id=\"admin-close-tenant-form-error\">"
                + "The confirmation must be the slug of the tenant: acme</p>"), html);
        assertTrue(html.contains("<input id=\"admin-close-confirm\" name=\"confirm\" required maxlength=\"63\""
                + " autocomplete=\"off\" spellcheck=\"false\" value=\"acne\" aria-invalid=\"true\""), html);
        assertTrue(html.contains("id=\"tenant-month-requests\">12,345<"), "the rest of the page as before");
        assertFalse(html.contains("admin-close-tenant-done"), "no notice");
        api.verify(postRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/close"))
                .withRequestBody(equalToJson("{\"confirm\":\"acne\"}")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anEmptyConfirmationIsRefusedWithoutAskingThePlatform() {
        admin();
        acmeDetail();
        String html = Csrf.from("/admin/tenants/acme").form().formParam("confirm", "  ")
                .when().post("/admin/tenants/acme/close")
                .then().statusCode(400).extract().asString();
        assertTrue(html.contains("id=\"admin-close-tenant-form-error\">Type the slug of the tenant, acme, to close"
                + " it.</p>"), html);
        api.verify(0, postRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/close")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantAdminCannotCloseThroughTheAdminRoute() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.close(api, "acme", "2026-11-30T20:00:00Z");
        Csrf.fabricated().form().formParam("confirm", "acme")
                .when().post("/admin/tenants/acme/close")
                .then().statusCode(403);
        api.verify(0, postRequestedFor(urlPathEqualTo("/api/v1/tenants/acme/close")));
    }
}
