package io.aiaas.console.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
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
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(PlatformApiStub.class)
class AdminPlansResourceTest {

    static final String ID = "6f1c1a52-8a1e-4a57-9d0e-1f4a3b2c1d00";
    static final String PRO = """
            {"id":"%s","name":"Pro","currency":"USD","revision":3,"created_at":"2026-01-01T00:00:00Z",
             "updated_at":"2026-01-05T00:00:00Z","self_service":false,"monthly_fee_micros":49500000,"monthly_fee":"49.50",
             "included_credit_micros":1000000,"included_credit":"1.00",
             "rate_limits":{"requests_per_minute_per_key":60,"requests_per_minute_per_tenant":null,"max_concurrent_requests":4},
             "quotas":[{"metric":"items","model":"resnet","limit":5000,"enforcement":"soft"}],
             "budget":{"limit_micros":250000000,"enforcement":"hard"},
             "prices":[{"model":null,"per_1k_requests":{"tiering":"graduated","tiers":[{"up_to":1000,"unit_micros":2000},{"unit_micros":1000}]}},
                       {"model":"resnet","per_compute_second":{"tiering":"volume","tiers":[{"unit_micros":1500}]}}]}"""
            .formatted(ID);

    @PlatformApiStub.Server
    WireMockServer api;

    @BeforeEach
    void reset() {
        api.resetAll();
    }

    static final String LEGACY_ID = "0b7e5c1e-51b5-4f55-9a53-3c1b2a3f4e5d";
    static final String LEGACY = """
            {"id":"%s","name":"Legacy","currency":"USD","revision":4,"archived_at":"2026-01-01T00:00:00Z",
             "self_service":false,"monthly_fee_micros":9000000,"monthly_fee":"9.00","included_credit_micros":0,"included_credit":"0.00",
             "prices":[{}]}""".formatted(LEGACY_ID);

    private void admin() {
        PlatformApiStub.me(api, "admin@aiaas.test", true);
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/plans")), 200, "[" + PRO + "]");
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/plans/" + ID)), 200, PRO);
        PlatformApiStub.signupSettings(api, null, null, false, 3);
    }

    /** Every input of the blank form as a browser sends it: 3 quota rows, default + 3 model prices, 3 tiers each. */
    static Map<String, String> blankForm() {
        Map<String, String> form = new LinkedHashMap<>();
        for (String f : new String[] {"name", "monthly_fee", "included_credit", "rpm_key", "rpm_tenant", "concurrency",
                "budget_limit"}) {
            form.put(f, "");
        }
        form.put("currency", "USD");
        form.put("budget_enforcement", "soft");
        for (int q = 0; q < 3; q++) {
            form.put("quota" + q + ".metric", "requests");
            form.put("quota" + q + ".model", "");
            form.put("quota" + q + ".limit", "");
            form.put("quota" + q + ".enforcement", "hard");
        }
        for (int p = 0; p < 4; p++) {
            if (p > 0) {
                form.put("price" + p + ".model", "");
            }
            for (String c : new String[] {"req", "items", "compute"}) {
                form.put("price" + p + "." + c + ".tiering", "graduated");
                for (int t = 0; t < 3; t++) {
                    form.put("price" + p + "." + c + ".tier" + t + ".up_to", "");
                    form.put("price" + p + "." + c + ".tier" + t + ".price", "");
                }
            }
        }
        return form;
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void listShowsPlansWithMoneyFormattedAndACreateForm() {
        admin();
        given().when().get("/admin/plans")
                .then().statusCode(200)
                .body(containsString("id=\"plans\""))
                .body(containsString("<a class=\"plan-link\" href=\"/admin/plans/" + ID + "\">Pro</a>"))
                .body(containsString("<td class=\"num\">$49.50</td>"))
                .body(containsString("$250.00 (hard)"))
                .body(containsString("60/min per key"))
                .body(containsString("id=\"create-plan\""))
                .body(containsString("for=\"plan-price0-req-tier2-price\""))
                .body(containsString("name=\"price3.compute.tier2.up_to\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void creatingAPlanSendsExactMicroUnitsAndIgnoresBlankRows() {
        admin();
        PlatformApiStub.json(api, post(urlPathEqualTo("/admin/v1/plans")), 201, PRO);
        Map<String, String> form = blankForm();
        form.put("name", "Pro");
        form.put("currency", "usd");
        form.put("monthly_fee", "49.5");
        form.put("included_credit", "0.000001");
        form.put("rpm_key", "60");
        form.put("concurrency", "4");
        form.put("quota1.metric", "items");
        form.put("quota1.limit", "100000");
        form.put("budget_limit", "100");
        form.put("budget_enforcement", "hard");
        form.put("price0.req.tier0.up_to", "1000");
        form.put("price0.req.tier0.price", "0.2");
        form.put("price0.req.tier1.price", "0.1");
        form.put("price0.compute.tier0.price", "0.0015");
        form.put("price2.model", "resnet");
        form.put("price2.items.tiering", "volume");
        form.put("price2.items.tier0.up_to", "100000");
        form.put("price2.items.tier0.price", "0.05");
        form.put("price2.items.tier1.price", "0.02");
        Csrf csrf = Csrf.from("/admin/plans");
        csrf.form().formParams(form).when().post("/admin/plans")
                .then().statusCode(303).header("Location", endsWith("/admin/plans/" + ID));
        api.verify(postRequestedFor(urlPathEqualTo("/admin/v1/plans")).withRequestBody(equalToJson("""
                {"name":"Pro","currency":"USD","monthly_fee_micros":49500000,"included_credit_micros":1,
                 "rate_limits":{"requests_per_minute_per_key":60,"max_concurrent_requests":4},
                 "quotas":[{"metric":"items","limit":100000,"enforcement":"hard"}],
                 "budget":{"limit_micros":100000000,"enforcement":"hard"},
                 "prices":[
                   {"per_1k_requests":{"tiering":"graduated","tiers":[{"up_to":1000,"unit_micros":200000},{"unit_micros":100000}]},
                    "per_compute_second":{"tiering":"graduated","tiers":[{"unit_micros":1500}]}},
                   {"model":"resnet","per_1k_items":{"tiering":"volume","tiers":[{"up_to":100000,"unit_micros":50000},{"unit_micros":20000}]}}]}""")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void moreThanSixDecimalsIsRefusedInlineWithoutCallingTheApi() {
        admin();
        Map<String, String> form = blankForm();
        form.put("name", "Cheap");
        form.put("price0.req.tier0.price", "0.0000001");
        form.put("price1.items.tier0.price", "0.5");
        Csrf csrf = Csrf.from("/admin/plans");
        csrf.form().formParams(form).when().post("/admin/plans")
                .then().statusCode(400)
                .body(containsString("id=\"create-plan-error\">Check the fields marked below.</p>"))
                .body(containsString("<div class=\"field-error\" id=\"plan-price0-req-tier0-price-error\">at most 6 decimals"))
                .body(containsString("<div class=\"field-error\" id=\"plan-price1-model-error\">name the model"))
                .body(containsString("value=\"0.0000001\""))
                .body(containsString("value=\"Cheap\""));
        api.verify(0, postRequestedFor(urlPathEqualTo("/admin/v1/plans")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theApisValidationErrorsAreShownBesideTheForm() {
        admin();
        api.stubFor(post(urlPathEqualTo("/admin/v1/plans")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("""
                        {"type":"about:blank","title":"Bad Request","status":400,"code":"invalid_plan",
                         "detail":"The plan is not valid",
                         "violations":[{"field":"currency","message":"unknown currency XYZ"},
                                       {"field":"prices[0].per_1k_requests.tiers[1]","message":"up_to must grow from tier to tier"}]}""")));
        Map<String, String> form = blankForm();
        form.put("name", "Odd");
        form.put("currency", "XYZ");
        form.put("price0.req.tier0.up_to", "100");
        form.put("price0.req.tier0.price", "1");
        form.put("price0.req.tier1.up_to", "50");
        form.put("price0.req.tier1.price", "1");
        Csrf csrf = Csrf.from("/admin/plans");
        csrf.form().formParams(form).when().post("/admin/plans")
                .then().statusCode(400)
                .body(containsString("id=\"create-plan-error\">The plan is not valid"))
                .body(containsString("up_to must grow from tier to tier"))
                .body(containsString("<div class=\"field-error\" id=\"plan-currency-error\">unknown currency XYZ</div>"))
                .body(containsString("value=\"XYZ\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void theEditFormShowsThePlanAsExactDecimals() {
        admin();
        given().when().get("/admin/plans/" + ID)
                .then().statusCode(200)
                .body(containsString("id=\"edit-plan\""))
                .body(containsString("action=\"/admin/plans/" + ID + "\""))
                .body(containsString("name=\"monthly_fee\" value=\"49.5\""))
                .body(containsString("name=\"price0.req.tier0.price\" value=\"0.002\""))
                .body(containsString("name=\"price0.req.tier1.price\" value=\"0.001\""))
                .body(containsString("name=\"price1.model\" value=\"resnet\""))
                .body(containsString("<option value=\"volume\" selected>"))
                .body(containsString("name=\"quota0.limit\" value=\"5000\""))
                .body(containsString("name=\"budget_limit\" value=\"250\""))
                .body(containsString("Revision 3"));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void savingAnEditedPlanPutsTheWholeDefinition() {
        admin();
        PlatformApiStub.json(api, put(urlPathEqualTo("/admin/v1/plans/" + ID)), 200, PRO);
        Map<String, String> form = blankForm();
        form.put("name", "Pro");
        form.put("monthly_fee", "10");
        form.put("price0.req.tier0.price", "0.002");
        Csrf csrf = Csrf.from("/admin/plans/" + ID);
        csrf.form().formParams(form).when().post("/admin/plans/" + ID)
                .then().statusCode(303).header("Location", endsWith("/admin/plans/" + ID + "?saved=1"));
        api.verify(putRequestedFor(urlPathEqualTo("/admin/v1/plans/" + ID)).withRequestBody(equalToJson("""
                {"name":"Pro","currency":"USD","monthly_fee_micros":10000000,"included_credit_micros":0,"quotas":[],
                 "prices":[{"per_1k_requests":{"tiering":"graduated","tiers":[{"unit_micros":2000}]}}]}""")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aLockedCurrencyIsExplainedOnTheEditPage() {
        admin();
        PlatformApiStub.problem(api, put(urlPathEqualTo("/admin/v1/plans/" + ID)), 409, "currency_locked",
                "Tenants are or were on this plan; its currency cannot change");
        Map<String, String> form = blankForm();
        form.put("name", "Pro");
        form.put("currency", "EUR");
        Csrf csrf = Csrf.from("/admin/plans/" + ID);
        csrf.form().formParams(form).when().post("/admin/plans/" + ID)
                .then().statusCode(409)
                .body(containsString("id=\"edit-plan-error\">Tenants are or were on this plan; its currency cannot change"))
                .body(containsString("value=\"EUR\""));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void anOfferedPlanCanBeArchivedAndAnArchivedOneIsMarkedAndRestored() {
        admin();
        given().when().get("/admin/plans/" + ID)
                .then().statusCode(200)
                .body(containsString("id=\"plan-offered\""))
                .body(containsString("action=\"/admin/plans/" + ID + "/archive\""))
                .body(not(containsString("id=\"restore-plan\"")));
        String archived = PRO.replace("\"updated_at\"", "\"archived_at\":\"2026-02-01T10:00:00Z\",\"updated_at\"");
        PlatformApiStub.json(api, post(urlPathEqualTo("/admin/v1/plans/" + ID + "/archive")), 200, archived);
        Csrf csrf = Csrf.from("/admin/plans/" + ID);
        csrf.form().when().post("/admin/plans/" + ID + "/archive")
                .then().statusCode(303).header("Location", endsWith("/admin/plans/" + ID));
        api.verify(postRequestedFor(urlPathEqualTo("/admin/v1/plans/" + ID + "/archive")));

        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/plans")), 200, "[" + archived + "]");
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/plans/" + ID)), 200, archived);
        given().when().get("/admin/plans")
                .then().statusCode(200)
                .body(containsString("<tr data-plan-id=\"" + ID + "\" class=\"archived\">"))
                .body(containsString("<span class=\"badge plan-archived\">archived</span>"));
        given().when().get("/admin/plans/" + ID)
                .then().statusCode(200)
                .body(containsString("id=\"plan-archived\""))
                .body(containsString("action=\"/admin/plans/" + ID + "/restore\""))
                .body(not(containsString("id=\"archive-plan\"")));
        PlatformApiStub.json(api, post(urlPathEqualTo("/admin/v1/plans/" + ID + "/restore")), 200, PRO);
        csrf.form().when().post("/admin/plans/" + ID + "/restore")
                .then().statusCode(303).header("Location", endsWith("/admin/plans/" + ID));
        api.verify(postRequestedFor(urlPathEqualTo("/admin/v1/plans/" + ID + "/restore")));
    }

    @Test
    @TestSecurity(user = "admin", roles = "platform-admin")
    void aPlanIsOfferedForSelfServiceThenWithdrawnAndTheListMarksIt() {
        admin();
        given().when().get("/admin/plans/" + ID)
                .then().statusCode(200)
                .body(containsString("<p id=\"plan-self-service-state\">Not self-service"))
                .body(containsString("<form method=\"post\" action=\"/admin/plans/" + ID + "/self-service\">"))
                .body(containsString("<input type=\"hidden\" name=\"self_service\" value=\"true\">"))
                .body(containsString("id=\"offer-self-service\""))
                .body(not(containsString("id=\"withdraw-self-service\"")));
        given().when().get("/admin/plans").then().statusCode(200)
                .body(not(containsString("badge plan-self-service")));

        String offered = PRO.replace("\"self_service\":false", "\"self_service\":true");
        PlatformApiStub.json(api, put(urlPathEqualTo("/admin/v1/plans/" + ID + "/self-service")), 200, offered);
        Csrf csrf = Csrf.from("/admin/plans/" + ID);
        csrf.form().formParam("self_service", "true").when().post("/admin/plans/" + ID + "/self-service")
                .then().statusCode(303).header("Location", endsWith("/admin/plans/" + ID));
        api.verify(1, putRequestedFor(urlPathEqualTo("/admin/v1/plans/" + ID + "/self-service"))
                .withRequestBody(equalToJson("{\"self_service\":true}")));

        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/plans")), 200, "[" + offered + "," + LEGACY + "]");
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/plans/" + ID)), 200, offered);
        String list = given().when().get("/admin/plans").then().statusCode(200).extract().asString();
        String proRow = list.substring(list.indexOf("<tr data-plan-id=\"" + ID + "\""));
        proRow = proRow.substring(0, proRow.indexOf("</tr>"));
        assertTrue(proRow.contains("<span class=\"badge plan-self-service\""), proRow);
        String legacyRow = list.substring(list.indexOf("<tr data-plan-id=\"" + LEGACY_ID + "\""));
        assertFalse(legacyRow.substring(0, legacyRow.indexOf("</tr>")).contains("plan-self-service"), legacyRow);
        given().when().get("/admin/plans/" + ID)
                .then().statusCode(200)
                .body(containsString("<p id=\"plan-self-service-state\"><span class=\"badge plan-self-service\">"
                        + "self-service</span> Tenant admins may choose this plan"))
                .body(containsString("<input type=\"hidden\" name=\"self_service\" value=\"false\">"))
                .body(containsString("id=\"withdraw-self-service\""))
                .body(not(containsString("id=\"offer-self-service\"")));

        PlatformApiStub.json(api, put(urlPathEqualTo("/admin/v1/plans/" + ID + "/self-service")), 200, PRO);
        csrf.form().formParam("self_service", "false").when().post("/admin/plans/" + ID + "/self-service")
                .then().statusCode(303).header("Location", endsWith("/admin/plans/" + ID));
        api.verify(1, putRequestedFor(urlPathEqualTo("/admin/v1/plans/" + ID + "/self-service"))
                .withRequestBody(equalToJson("{\"self_service\":false}")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantAdminCannotOfferAPlanForSelfService() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        Csrf.fabricated().form().formParam("self_service", "true").when().post("/admin/plans/" + ID + "/self-service")
                .then().statusCode(403)
                .body(containsString("id=\"forbidden\""));
        api.verify(0, anyRequestedFor(urlPathMatching("/admin/v1/.*")));
    }

    @Test
    @TestSecurity(user = "alice")
    void aTenantAdminGetsTheForbiddenPageAndNoPlans() {
        PlatformApiStub.me(api, "alice@acme.test", false, "acme:admin");
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/plans")), 200, "[" + PRO + "]");
        PlatformApiStub.json(api, get(urlPathEqualTo("/admin/v1/plans/" + ID)), 200, PRO);
        for (String page : new String[] {"/admin/plans", "/admin/plans/" + ID}) {
            given().when().get(page)
                    .then().statusCode(403)
                    .body(containsString("id=\"forbidden\""))
                    .body(not(containsString("49.50")))
                    .body(not(containsString("Pro")));
        }
        api.verify(0, getRequestedFor(urlPathMatching("/admin/v1/.*")));
        api.verify(0, anyRequestedFor(urlPathMatching("/admin/v1/plans.*")));
    }
}
