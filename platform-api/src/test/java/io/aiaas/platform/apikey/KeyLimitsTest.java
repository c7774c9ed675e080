package io.aiaas.platform.apikey;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A key's own limits. A monthly spending cap: the key's calls stop at it (429 key_budget_exceeded) while the tenant's
 * other keys go on, never past it under concurrent calls, counting what the key spent before a cap was put on it. A
 * per-minute rate limit: the tighter of it and the plan's per-key limit, with or without a plan. Both set, changed
 * and removed by tenant admins only.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class KeyLimitsTest extends ServedModelTest {

    @BeforeEach
    void setUp() throws Exception {
        // 0.001 per request, flat; the plan's own limits far above what these tests use
        Map<String, Object> spec = PlanBodies.spec();
        spec.put("prices", new ArrayList<>(List.of(PlanBodies.price(null, PlanBodies.tiers(
                PlanBodies.tier(null, 1_000_000L))))));
        spec.put("rate_limits", new HashMap<>(Map.of("requests_per_minute_per_key", 1000,
                "requests_per_minute_per_tenant", 1000, "max_concurrent_requests", 16)));
        PlanBodies.assign(admin.slug(), PlanBodies.create(spec));
    }

    @Test
    void aKeysCallsStopAtItsCapWhileTheTenantsOtherKeysGoOnAndAnAdminRaisesOrRemovesIt() {
        Map<String, Object> capped = key(5_000L); // five calls at 0.001
        String other = (String) key(null).get("key");
        for (int i = 0; i < 5; i++) {
            Calls.infer((String) capped.get("key"), model.name())
                    .then().statusCode(200).header("x-aiaas-cost", "0.001");
        }
        Calls.infer((String) capped.get("key"), model.name()).then().statusCode(429).body("error", notNullValue())
                .header("Retry-After", notNullValue());
        assertEquals(1, db.count("SELECT count(*) FROM usage_records WHERE api_key_id = ? AND NOT billable"
                + " AND error_code = 'key_budget_exceeded'", UUID.fromString((String) capped.get("id"))));
        Calls.infer(other, model.name()).then().statusCode(200);
        String id = (String) capped.get("id");
        assertEquals(5_000_000L, db.value("SELECT cost_nanos FROM period_usage WHERE scope = ?", "key:" + id));
        // its thresholds are events like the plan budget's: 80% at the fourth call, 100% at the fifth, once each
        assertEquals(List.of("80 4000000 5000000", "100 5000000 5000000"), db.query("SELECT threshold || ' ' ||"
                + " used_value || ' ' || limit_value AS t FROM billing_events WHERE kind = 'key_budget' AND scope = ?"
                + " ORDER BY threshold", "key:" + id).stream().map(r -> r.get("t")).toList());
        assertEquals(2, db.count("SELECT count(*) FROM audit_log WHERE action = 'billing.threshold_reached'"
                + " AND details ->> 'scope' = ?", "key:" + id));

        // one key alone, for any member; another tenant's member finds nothing
        Api.as(Api.userOf(admin.slug(), "member").token()).get(keys() + "/" + id).then().statusCode(200)
                .body("id", equalTo(id)).body("monthly_budget_micros", equalTo(5000))
                .body("budget_used_micros", equalTo(5000)).body("key", nullValue());
        TenantUser stranger = Api.tenantWithAdmin();
        Api.as(stranger.token()).get(keys() + "/" + id).then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
        Api.as(stranger.token()).get("/api/v1/tenants/" + stranger.slug() + "/keys/" + id).then().statusCode(404)
                .body("code", equalTo("api_key_not_found"));
        Api.as(admin.token()).get(keys()).then().statusCode(200)
                .body("find { it.id == '" + id + "' }.monthly_budget_micros", equalTo(5000))
                .body("find { it.id == '" + id + "' }.budget_used_micros", equalTo(5000))
                .body("find { it.id == '" + id + "' }.budget_currency", equalTo("USD"))
                .body("find { it.monthly_budget_micros == null }.budget_used_micros", nullValue());

        budget(id, 7_000L).then().statusCode(200).body("monthly_budget_micros", equalTo(7000))
                .body("budget_used_micros", equalTo(5000));
        Calls.infer((String) capped.get("key"), model.name()).then().statusCode(200);
        Calls.infer((String) capped.get("key"), model.name()).then().statusCode(200);
        Calls.infer((String) capped.get("key"), model.name()).then().statusCode(429);
        budget(id, null).then().statusCode(200).body("monthly_budget_micros", nullValue())
                .body("budget_used_micros", nullValue());
        Calls.infer((String) capped.get("key"), model.name()).then().statusCode(200);
        assertEquals(2, db.count("SELECT count(*) FROM audit_log WHERE action = 'api_key.budget_changed'"
                + " AND target_id = ?", id));
        assertEquals(8, db.count("SELECT count(*) FROM usage_records WHERE api_key_id = ? AND billable",
                UUID.fromString(id)));
    }

    @Test
    void concurrentCallsOfACappedKeyNeverSpendPastItsCap() throws Exception {
        String key = (String) key(5_000L).get("key");
        assertEquals(Map.of(200, 5, 429, 19), Calls.statuses(24, 8, i -> Calls.infer(key, model.name())));
    }

    @Test
    void aCapPutOnAKeyWithinThePeriodCountsWhatTheKeySpentBefore() {
        Map<String, Object> created = key(null);
        String key = (String) created.get("key");
        for (int i = 0; i < 3; i++) {
            Calls.infer(key, model.name()).then().statusCode(200);
        }
        String id = (String) created.get("id");
        // a cap whose 80% the key is past already announces it at once (once: the next cap does not again)
        budget(id, 3_500L).then().statusCode(200).body("budget_used_micros", equalTo(3000));
        assertEquals(List.of("80 3000000 3500000"), keyBudgetEvents(id));
        budget(id, 4_000L).then().statusCode(200).body("budget_used_micros", equalTo(3000));
        Calls.infer(key, model.name()).then().statusCode(200);
        Calls.infer(key, model.name()).then().statusCode(429);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> keyBudgetEvents(id).size() == 2);
        assertEquals(List.of("80 3000000 3500000", "100 4000000 4000000"), keyBudgetEvents(id));
    }

    private List<Object> keyBudgetEvents(String id) {
        return db.query("SELECT threshold || ' ' || used_value || ' ' || limit_value AS t FROM billing_events"
                + " WHERE kind = 'key_budget' AND scope = ? ORDER BY threshold", "key:" + id).stream()
                .map(r -> r.get("t")).toList();
    }

    @Test
    void budgetsAreValidatedAndOnlyTheTenantsAdminsChangeThem() {
        String id = (String) key(null).get("id");
        for (Object bad : new Object[] {0, -5, 1_000_000_000_000_001L, "ten"}) {
            Map<String, Object> body = new HashMap<>();
            body.put("monthly_budget_micros", bad);
            Api.as(admin.token()).body(body).put(keys() + "/" + id + "/budget").then().statusCode(400);
        }
        Api.as(admin.token()).body(Map.of()).put(keys() + "/" + id + "/budget").then().statusCode(400);
        Api.as(admin.token()).body(Map.of("name", "x", "monthly_budget_micros", 0)).post(keys()).then()
                .statusCode(400).body("violations.field", hasItem("monthly_budget_micros"));
        assertEquals(0, db.count("SELECT count(*) FROM api_keys k JOIN tenants t ON t.id = k.tenant_id"
                + " WHERE t.slug = ? AND k.name = 'x'", admin.slug()));

        Api.as(Api.userOf(admin.slug(), "member").token()).body(Map.of("monthly_budget_micros", 10))
                .put(keys() + "/" + id + "/budget").then().statusCode(403).body("code", equalTo("forbidden"));
        TenantUser outsider = Api.tenantWithAdmin();
        Api.as(outsider.token()).body(Map.of("monthly_budget_micros", 10)).put(keys() + "/" + id + "/budget").then()
                .statusCode(404).body("code", equalTo("tenant_not_found"));
        // its own tenant's path with this tenant's key id: not found either
        Api.as(outsider.token()).body(Map.of("monthly_budget_micros", 10))
                .put("/api/v1/tenants/" + outsider.slug() + "/keys/" + id + "/budget").then().statusCode(404)
                .body("code", equalTo("api_key_not_found"));
        Api.as(admin.token()).delete(keys() + "/" + id).then().statusCode(204);
        budget(id, 10L).then().statusCode(409).body("code", equalTo("key_not_active"));
        assertEquals(null, db.value("SELECT monthly_budget_micros FROM api_keys WHERE id = ?", UUID.fromString(id)));
        Api.as(Tokens.admin()).body(Map.of("monthly_budget_micros", 10)).put(keys() + "/" + id + "/budget").then()
                .statusCode(409);
    }

    @Test
    void aKeysOwnRateLimitIsTheTighterOfItAndThePlansWhileTheTenantsOtherKeysGoOn() {
        Map<String, Object> limited = key(null, 3);
        String other = (String) key(null, null).get("key");
        Response refused = null;
        int admitted = 0;
        // nine calls: even when a minute boundary falls right after the third, the window after it refuses one
        for (int i = 0; i < 9; i++) {
            Response response = Calls.infer((String) limited.get("key"), model.name());
            if (response.statusCode() == 200) {
                admitted++;
                assertEquals("3", response.header("x-ratelimit-limit-requests"));
            } else {
                refused = response;
            }
        }
        // a call in a new minute window could be admitted again; this allows for crossing one boundary
        assertTrue(admitted >= 3 && admitted <= 6, "admitted " + admitted);
        assertNotNull(refused, "the fourth call in a minute is refused");
        refused.then().statusCode(429).body("error", containsString("the key's own limit"))
                .header("Retry-After", notNullValue()).header("x-ratelimit-limit-requests", "3")
                .header("x-ratelimit-remaining-requests", "0");
        Calls.infer(other, model.name()).then().statusCode(200).header("x-ratelimit-limit-requests", "1000");

        // above the plan's per-key limit the plan's applies; removed, the plan's alone
        String id = (String) limited.get("id");
        rateLimit(id, 5000).then().statusCode(200).body("requests_per_minute", equalTo(5000));
        Calls.infer((String) limited.get("key"), model.name())
                .then().statusCode(200).header("x-ratelimit-limit-requests", "1000");
        rateLimit(id, null).then().statusCode(200).body("requests_per_minute", nullValue());
        Calls.infer((String) limited.get("key"), model.name())
                .then().statusCode(200).header("x-ratelimit-limit-requests", "1000");
        assertEquals(2, db.count("SELECT count(*) FROM audit_log WHERE action = 'api_key.rate_limit_changed'"
                + " AND target_id = ?", id));
    }

    @Test
    void aKeysOwnRateLimitHoldsForATenantWithoutAPlan() {
        TenantUser free = Api.tenantWithAdmin();
        String key = Api.as(free.token()).body(Map.of("name", "k", "requests_per_minute", 2))
                .post("/api/v1/tenants/" + free.slug() + "/keys").then().statusCode(201).extract().path("key");
        List<Integer> statuses = new ArrayList<>();
        Response refused = null;
        for (int i = 0; i < 4; i++) {
            Response response = Calls.infer(key, model.name());
            statuses.add(response.statusCode());
            if (response.statusCode() == 429) {
                refused = response;
            }
        }
        assertNotNull(refused, "refused within a minute: " + statuses);
        refused.then().body("error", containsString("the key's own limit")).header("x-aiaas-cost", "0")
                .header("x-ratelimit-limit-requests", "2");
        assertEquals(statuses.stream().filter(s -> s == 429).count(), db.count("SELECT count(*) FROM usage_records r"
                + " JOIN tenants t ON t.id = r.tenant_id WHERE t.slug = ? AND error_code = 'rate_limited'",
                free.slug()));
    }

    @Test
    void rateLimitsAreValidatedAndOnlyTheTenantsAdminsChangeThem() {
        String id = (String) key(null).get("id");
        for (Object bad : new Object[] {0, -1, 1_000_001, "ten", 1.5}) {
            Map<String, Object> body = new HashMap<>();
            body.put("requests_per_minute", bad);
            Api.as(admin.token()).body(body).put(keys() + "/" + id + "/rate-limit").then().statusCode(400);
        }
        Api.as(admin.token()).body(Map.of()).put(keys() + "/" + id + "/rate-limit").then().statusCode(400);
        Api.as(admin.token()).body(Map.of("name", "y", "requests_per_minute", 0)).post(keys()).then()
                .statusCode(400).body("violations.field", hasItem("requests_per_minute"));
        Api.as(Api.userOf(admin.slug(), "member").token()).body(Map.of("requests_per_minute", 10))
                .put(keys() + "/" + id + "/rate-limit").then().statusCode(403).body("code", equalTo("forbidden"));
        Api.as(admin.token()).delete(keys() + "/" + id).then().statusCode(204);
        rateLimit(id, 10).then().statusCode(409).body("code", equalTo("key_not_active"));
        assertEquals(null, db.value("SELECT requests_per_minute FROM api_keys WHERE id = ?", UUID.fromString(id)));
    }

    private String keys() {
        return "/api/v1/tenants/" + admin.slug() + "/keys";
    }

    /** Issues a key (with that cap, or none); its id and secret. */
    private Map<String, Object> key(Long budgetMicros) {
        return key(budgetMicros, null);
    }

    /** Issues a key with that cap and rate limit (each null: none); its id and secret. */
    private Map<String, Object> key(Long budgetMicros, Integer requestsPerMinute) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", Api.unique("k"));
        if (budgetMicros != null) {
            body.put("monthly_budget_micros", budgetMicros);
        }
        if (requestsPerMinute != null) {
            body.put("requests_per_minute", requestsPerMinute);
        }
        return Api.as(admin.token()).body(body).post(keys()).then().statusCode(201)
                .body("monthly_budget_micros", budgetMicros == null ? nullValue() : equalTo(budgetMicros.intValue()))
                .extract().as(Map.class);
    }

    private Response budget(String id, Long micros) {
        Map<String, Object> body = new HashMap<>();
        body.put("monthly_budget_micros", micros);
        return Api.as(admin.token()).body(body).put(keys() + "/" + id + "/budget");
    }

    private Response rateLimit(String id, Integer perMinute) {
        Map<String, Object> body = new HashMap<>();
        body.put("requests_per_minute", perMinute);
        return Api.as(admin.token()).body(body).put(keys() + "/" + id + "/rate-limit");
    }

}
