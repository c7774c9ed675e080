package io.aiaas.platform.tenant;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.Calls;
import io.aiaas.platform.testsupport.Api.TenantUser;
import io.aiaas.platform.testsupport.PlanBodies;
import io.aiaas.platform.testsupport.ServedModelTest;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The tenant's own monthly budget: its admins cap what all its keys together spend in a billing period, below the
 * plan's budget or where the plan has none. Calls stop at it (429 tenant_budget_exceeded), never past it under
 * concurrent calls; the tighter of it and a hard plan budget applies; its thresholds are billing events; members read
 * it in the plan's status; only the tenant's admins (and platform admins) change it.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class TenantBudgetTest extends ServedModelTest {

    /** 0.001 per request, flat, the plan's rate limits far above these tests; with a hard budget, or none. */
    private void plan(Long hardBudgetMicros) {
        Map<String, Object> spec = PlanBodies.spec();
        spec.put("prices", new ArrayList<>(List.of(PlanBodies.price(null, PlanBodies.tiers(
                PlanBodies.tier(null, 1_000_000L))))));
        spec.put("rate_limits", new HashMap<>(Map.of("requests_per_minute_per_key", 1000,
                "requests_per_minute_per_tenant", 1000, "max_concurrent_requests", 16)));
        spec.remove("quotas");
        if (hardBudgetMicros == null) {
            spec.remove("budget");
        } else {
            spec.put("budget", Map.of("limit_micros", hardBudgetMicros, "enforcement", "hard"));
        }
        PlanBodies.assign(admin.slug(), PlanBodies.create(spec));
    }

    @Test
    void theTenantsCallsStopAtItsOwnBudgetOverAllItsKeysAndAnAdminRaisesOrRemovesIt() {
        plan(null);
        String first = key();
        String second = key();
        budget(admin.token(), 5_000L).then().statusCode(200).body("monthly_budget_micros", equalTo(5000));
        for (int i = 0; i < 5; i++) {
            Calls.infer(i % 2 == 0 ? first : second, model.name())
                    .then().statusCode(200).header("x-aiaas-cost", "0.001");
        }
        for (String key : List.of(first, second)) {
            Calls.infer(key, model.name()).then().statusCode(429).header("Retry-After", notNullValue())
                    .body("error", containsString("the tenant's own monthly budget of 5000 micro-units"));
        }
        assertEquals(2, db.count("SELECT count(*) FROM usage_records r JOIN tenants t ON t.id = r.tenant_id"
                + " WHERE t.slug = ? AND NOT billable AND error_code = 'tenant_budget_exceeded'", admin.slug()));
        assertEquals(5_000_000L, db.value("SELECT p.cost_nanos FROM period_usage p JOIN tenants t"
                + " ON t.id = p.tenant_id WHERE t.slug = ? AND scope = '*'", admin.slug()));
        // its thresholds are events like the plan budget's: 80% at the fourth call, 100% at the fifth, once each
        assertEquals(List.of("80 4000000 5000000", "100 5000000 5000000"), db.query("SELECT threshold || ' ' ||"
                + " used_value || ' ' || limit_value AS t FROM billing_events e JOIN tenants t ON t.id = e.tenant_id"
                + " WHERE t.slug = ? AND kind = 'tenant_budget' AND scope = '*' ORDER BY threshold", admin.slug())
                .stream().map(r -> r.get("t")).toList());
        // members read it, with what is left, in the plan's status
        Api.as(Api.userOf(admin.slug(), "member").token()).get(tenant() + "/plan").then().statusCode(200)
                .body("budget", nullValue()).body("spending_limit.enforcement", equalTo("hard"))
                .body("spending_limit.limit_micros", equalTo(5000)).body("spending_limit.used_micros", equalTo(5000))
                .body("spending_limit.remaining_micros", equalTo(0))
                .body("spending_limit.state", equalTo("exhausted"));

        budget(admin.token(), 7_000L).then().statusCode(200).body("monthly_budget_micros", equalTo(7000));
        Calls.infer(first, model.name()).then().statusCode(200);
        Calls.infer(second, model.name()).then().statusCode(200);
        Calls.infer(first, model.name()).then().statusCode(429);
        budget(admin.token(), null).then().statusCode(200).body("monthly_budget_micros", nullValue());
        Calls.infer(first, model.name()).then().statusCode(200);
        Api.as(admin.token()).get(tenant() + "/plan").then().statusCode(200).body("spending_limit", nullValue());
        assertEquals(List.of("{\"to\": 5000}", "{\"to\": 7000, \"from\": 5000}", "{\"from\": 7000}"),
                db.query("SELECT a.details::text AS d FROM audit_log a JOIN tenants t ON t.id = a.tenant_id"
                        + " WHERE t.slug = ? AND a.action = 'tenant.budget_changed' ORDER BY a.id", admin.slug())
                        .stream().map(r -> r.get("d")).toList());
        assertEquals(8, db.count("SELECT count(*) FROM usage_records r JOIN tenants t ON t.id = r.tenant_id"
                + " WHERE t.slug = ? AND billable", admin.slug()));
    }

    @Test
    void aBudgetSetAtOrBelowWhatThePeriodSpentAnnouncesItsThresholdsAtOnceAndOnlyOnce() {
        plan(null);
        String key = key();
        for (int i = 0; i < 4; i++) {
            Calls.infer(key, model.name()).then().statusCode(200);
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> 4_000_000L == ((Number) db.queryFirst(
                "SELECT p.cost_nanos FROM period_usage p JOIN tenants t ON t.id = p.tenant_id WHERE t.slug = ?"
                        + " AND scope = '*'", admin.slug()).map(r -> r.get("cost_nanos")).orElse(0L)).longValue());
        budget(admin.token(), 100_000L).then().statusCode(200); // far above: nothing reached
        assertEquals(List.of(), tenantBudgetEvents());
        budget(admin.token(), 4_500L).then().statusCode(200); // 80% of it is 3,600: spent already
        assertEquals(List.of("80 4000000 4500000"), tenantBudgetEvents());
        budget(admin.token(), 4_000L).then().statusCode(200); // spent exactly
        budget(admin.token(), 3_000L).then().statusCode(200); // both announced this period already
        budget(admin.token(), 4_000L).then().statusCode(200);
        assertEquals(List.of("80 4000000 4500000", "100 4000000 4000000"), tenantBudgetEvents());
        assertEquals(2, db.count("SELECT count(*) FROM audit_log a JOIN tenants t ON t.id = a.tenant_id"
                + " WHERE t.slug = ? AND a.action = 'billing.threshold_reached'", admin.slug()));
        Calls.infer(key, model.name()).then().statusCode(429);
    }

    private List<Object> tenantBudgetEvents() {
        return db.query("SELECT threshold || ' ' || used_value || ' ' || limit_value AS t FROM billing_events e"
                + " JOIN tenants t ON t.id = e.tenant_id WHERE t.slug = ? AND kind = 'tenant_budget'"
                + " ORDER BY threshold", admin.slug()).stream().map(r -> r.get("t")).toList();
    }

    @Test
    void theTighterOfThePlansHardBudgetAndTheTenantsOwnApplies() {
        plan(5_000L);
        String key = key();
        budget(admin.token(), 3_000L).then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            Calls.infer(key, model.name()).then().statusCode(200);
        }
        Calls.infer(key, model.name())
                .then().statusCode(429).body("error", containsString("the tenant's own monthly budget"));
        // above the plan's budget the plan's applies, with its own code
        budget(admin.token(), 8_000L).then().statusCode(200);
        Calls.infer(key, model.name()).then().statusCode(200);
        Calls.infer(key, model.name()).then().statusCode(200);
        Calls.infer(key, model.name())
                .then().statusCode(429).body("error", containsString("the plan's hard budget of 5000"));
        assertEquals(List.of("tenant_budget_exceeded", "budget_exceeded"), db.query("SELECT error_code FROM"
                + " usage_records r JOIN tenants t ON t.id = r.tenant_id WHERE t.slug = ? AND status_code = 429"
                + " ORDER BY started_at", admin.slug()).stream().map(r -> r.get("error_code")).toList());
        Api.as(admin.token()).get(tenant() + "/plan").then().statusCode(200)
                .body("budget.limit_micros", equalTo(5000)).body("spending_limit.limit_micros", equalTo(8000))
                .body("spending_limit.used_micros", equalTo(5000)).body("spending_limit.state", equalTo("ok"));
    }

    @Test
    void concurrentCallsOverSeveralKeysNeverSpendPastTheTenantsBudget() throws Exception {
        plan(null);
        List<String> keys = List.of(key(), key(), key());
        budget(admin.token(), 5_000L).then().statusCode(200);
        assertEquals(Map.of(200, 5, 429, 19),
                Calls.statuses(24, 8, i -> Calls.infer(keys.get(i % keys.size()), model.name())));
        assertEquals(5_000_000L, db.value("SELECT p.cost_nanos FROM period_usage p JOIN tenants t"
                + " ON t.id = p.tenant_id WHERE t.slug = ? AND scope = '*'", admin.slug()));
    }

    @Test
    void theBudgetIsValidatedAndOnlyTheTenantsAdminsChangeIt() {
        for (Object bad : new Object[] {0, -5, 1_000_000_000_000_001L, "ten", 1.5}) {
            Map<String, Object> body = new HashMap<>();
            body.put("monthly_budget_micros", bad);
            Api.as(admin.token()).body(body).put(tenant() + "/budget").then().statusCode(400)
                    .body("code", notNullValue());
        }
        Api.as(admin.token()).body(Map.of()).put(tenant() + "/budget").then().statusCode(400);
        Api.as(admin.token()).body("{").put(tenant() + "/budget").then().statusCode(400)
                .body("code", equalTo("invalid_json"));
        Api.as(Api.userOf(admin.slug(), "member").token()).body(Map.of("monthly_budget_micros", 10))
                .put(tenant() + "/budget").then().statusCode(403).body("code", equalTo("forbidden"));
        TenantUser outsider = Api.tenantWithAdmin();
        Api.as(outsider.token()).body(Map.of("monthly_budget_micros", 10)).put(tenant() + "/budget").then()
                .statusCode(404).body("code", equalTo("tenant_not_found"));
        assertEquals(null, db.value("SELECT monthly_budget_micros FROM tenants WHERE slug = ?", admin.slug()));

        // a tenant without a plan may set one too (nothing is priced until it has a plan); so may platform admins
        budget(Tokens.admin(), 1_000_000_000_000_000L).then().statusCode(200)
                .body("monthly_budget_micros", equalTo(1_000_000_000_000_000L));
        Api.as(admin.token()).get(tenant() + "/plan").then().statusCode(200).body("plan", nullValue())
                .body("spending_limit.limit_micros", equalTo(1_000_000_000_000_000L))
                .body("spending_limit.used_micros", equalTo(0));
        Api.as(Tokens.admin()).get("/admin/v1/tenants/" + admin.slug()).then().statusCode(200)
                .body("monthly_budget_micros", equalTo(1_000_000_000_000_000L));
        // the same cap again changes nothing and is not audited twice
        budget(admin.token(), 1_000_000_000_000_000L).then().statusCode(200);
        assertEquals(1, db.count("SELECT count(*) FROM audit_log a JOIN tenants t ON t.id = a.tenant_id"
                + " WHERE t.slug = ? AND a.action = 'tenant.budget_changed'", admin.slug()));

        Api.as(admin.token()).body(Map.of("confirm", admin.slug())).post(tenant() + "/close").then().statusCode(200);
        budget(admin.token(), 10L).then().statusCode(409).body("code", equalTo("tenant_closed"));
        assertEquals(1_000_000_000_000_000L, db.value("SELECT monthly_budget_micros FROM tenants WHERE slug = ?",
                admin.slug()));
    }

    private String tenant() {
        return "/api/v1/tenants/" + admin.slug();
    }

    /** Issues a key of the tenant; its secret. */
    private String key() {
        return Api.as(admin.token()).body(Map.of("name", Api.unique("k"))).post(tenant() + "/keys").then()
                .statusCode(201).extract().path("key");
    }

    private Response budget(String token, Long micros) {
        Map<String, Object> body = new HashMap<>();
        body.put("monthly_budget_micros", micros);
        return Api.as(token).body(body).put(tenant() + "/budget");
    }

}
