package io.aiaas.platform.billing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiaas.platform.access.Caller;
import io.aiaas.platform.billing.pricing.Money;
import io.aiaas.platform.plan.service.TenantPlanService;
import io.aiaas.platform.testsupport.FakeWorker;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.Fixtures.Model;
import io.aiaas.platform.testsupport.Fixtures.Tenant;
import io.aiaas.platform.testsupport.Plans;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.UsageRows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plans on the hot path of one replica, against real PostgreSQL and real ONNX Runtime: each call priced once by the
 * usage writer (graduated tiers in call order), the price snapshot and cost on its row, the period counters and hourly
 * roll-ups that move with it, the headers, and the refusals of rate limits, quotas and budgets.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class GatewayBillingTest {

    static final String BODY = """
            {"inputs": [{"name": "x", "datatype": "FP32", "shape": [2, 3], "data": [1, 2, 3, -1, 0.5, 0.25]}]}""";

    @Inject
    Fixtures fixtures;
    @Inject
    Plans plans;
    @Inject
    TestDb db;
    @Inject
    UsageRows usage;
    @Inject
    TenantPlanService choices;

    static final Caller TENANT_ADMIN = new Caller("tenant-admin-sub", "admin@tenant.test", true, "tenant admin",
            false);

    Tenant tenant;
    String key;
    Model model;
    FakeWorker worker;

    @BeforeEach
    void setUp() throws Exception {
        tenant = fixtures.tenant();
        key = fixtures.key(tenant);
        model = fixtures.model("PUBLIC", fixtures.tenant());
        worker = FakeWorker.start("http://localhost:" + RestAssured.port)
                .hold(model.name(), 1, model.file()).join();
        // The first run of a fresh session can be slow on a busy machine: warm it up with another tenant's key.
        String warmUp = fixtures.key(fixtures.tenant());
        for (int i = 0; i < 20; i++) {
            if (given().header("Authorization", "Bearer " + warmUp).contentType("application/json").body(BODY)
                    .post("/v2/models/" + model.name() + "/infer").statusCode() == 200) {
                break;
            }
        }
    }

    @AfterEach
    void tearDown() {
        worker.close();
    }

    private Response infer() {
        return given().header("Authorization", "Bearer " + key).contentType("application/json").body(BODY)
                .post("/v2/models/" + model.name() + "/infer");
    }

    private UUID plan(String rateLimits, String quotas, String budget, String prices) {
        String name = "p-" + UUID.randomUUID();
        UUID id = plans.create(name, "USD", Plans.spec(name, rateLimits, quotas, budget, prices));
        plans.assign(tenant.id(), id);
        return id;
    }

    @Test
    void graduatedTiersPriceEachCallOnceInOrderAndTheRowKeepsThePrice() {
        UUID planId = plan(null, null, null, """
                [{"model": null,
                  "per_1k_requests": {"tiering": "graduated", "tiers": [{"up_to": 2, "unit_micros": 1000},
                                                                        {"up_to": null, "unit_micros": 400}]},
                  "per_1k_items": {"tiers": [{"up_to": null, "unit_micros": 150}]},
                  "per_compute_second": {"tiers": [{"up_to": null, "unit_micros": 2000}]}}]""");
        long[] requestNanos = {1000, 1000, 400};
        long sum = 0;
        for (int i = 0; i < 3; i++) {
            Response response = infer();
            response.then().statusCode(200).header("x-aiaas-currency", "USD");
            UsageRows.Row row = usage.one(response).billable(true).items(2);
            long computeUs = (Long) row.get("compute_us");
            long computeNanos = Math.floorDiv(computeUs * 2000 + 500, 1000);
            row.has("plan_id", planId).has("currency", "USD").has("price_request", requestNanos[i])
                    .has("price_item", 150L).has("price_compute", 2000L)
                    .has("cost_request_nanos", requestNanos[i]).has("cost_item_nanos", 300L)
                    .has("cost_compute_nanos", computeNanos)
                    .has("cost_nanos", requestNanos[i] + 300 + computeNanos);
            assertEquals(Money.ofNanos(requestNanos[i] + 300 + computeNanos), response.header("x-aiaas-cost"));
            sum += requestNanos[i] + 300 + computeNanos;
        }
        Map<String, Object> all = db.queryOne("SELECT requests, items, cost_nanos FROM period_usage"
                + " WHERE tenant_id = ? AND scope = '*'", tenant.id());
        assertEquals(3L, all.get("requests"));
        assertEquals(6L, all.get("items"));
        assertEquals(sum, all.get("cost_nanos"));
        Map<String, Object> perModel = db.queryOne("SELECT requests, cost_nanos FROM period_usage"
                + " WHERE tenant_id = ? AND scope = ?", tenant.id(), model.name());
        assertEquals(3L, perModel.get("requests"));
        Map<String, Object> rollup = db.queryOne("SELECT sum(requests) AS r, sum(billable) AS b, sum(items) AS i,"
                + " sum(cost_nanos) AS c, sum(cost_request_nanos) AS cr FROM usage_rollups WHERE tenant_id = ?",
                tenant.id());
        assertEquals(sum, ((Number) rollup.get("c")).longValue());
        assertEquals(2400L, ((Number) rollup.get("cr")).longValue());
        assertEquals(6L, ((Number) rollup.get("i")).longValue());
        // A later price change never rewrites history: the rows keep what they were priced at.
        db.update("UPDATE plans SET spec = jsonb_set(spec, '{prices,0,per_1k_items,tiers,0,unit_micros}', '999')"
                + " WHERE id = ?", planId);
        assertEquals(900L, db.value("SELECT sum(cost_item_nanos) FROM usage_records WHERE tenant_id = ?",
                tenant.id()) instanceof Number n ? n.longValue() : -1L);
    }

    @Test
    void perKeyRateLimitRefusesWith429RetryAfterAndCountsDown() {
        plan("""
                {"requests_per_minute_per_key": 3}""", null, null, Plans.perRequest(1000));
        List<String> remaining = new ArrayList<>();
        int admitted = 0;
        Response refused = null;
        for (int i = 0; i < 6; i++) {
            Response response = infer();
            if (response.statusCode() == 200) {
                admitted++;
                assertEquals("3", response.header("x-ratelimit-limit-requests"));
                assertThat(response.header("x-ratelimit-reset-requests"), notNullValue());
                remaining.add(response.header("x-ratelimit-remaining-requests"));
            } else {
                refused = response;
            }
        }
        // A call in a new minute window could be admitted again; the test allows for crossing one boundary.
        assertThat(admitted >= 3 && admitted <= 6, equalTo(true));
        assertThat(refused, notNullValue());
        refused.then().statusCode(429).body("code", equalTo("rate_limited")).header("Retry-After", notNullValue())
                .header("x-aiaas-cost", "0").header("x-ratelimit-limit-requests", "3")
                .header("x-ratelimit-remaining-requests", "0").header("x-ratelimit-reset-requests", notNullValue());
        usage.one(refused).billable(false).status(429).errorCode("rate_limited");
        assertEquals("2", remaining.get(0));
        long refusedRollup = ((Number) db.value("SELECT sum(refused) FROM usage_rollups WHERE tenant_id = ?",
                tenant.id())).longValue();
        assertEquals(6 - admitted, refusedRollup);
    }

    @Test
    void hardRequestQuotaAdmitsExactlyItsLimitUnderConcurrency() throws Exception {
        plan(null, """
                [{"metric": "requests", "model": null, "limit": 5, "enforcement": "hard"}]""", null,
                Plans.perRequest(1000));
        int ok = 0;
        int quota = 0;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                calls.add(pool.submit(this::infer));
            }
            for (Future<Response> call : calls) {
                Response response = call.get();
                if (response.statusCode() == 200) {
                    ok++;
                } else {
                    response.then().statusCode(429).body("code", equalTo("quota_exceeded"));
                    quota++;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(5, ok);
        assertEquals(19, quota);
        assertEquals(5L, db.value("SELECT requests FROM period_usage WHERE tenant_id = ? AND scope = '*'",
                tenant.id()));
        assertEquals(5L, db.count("SELECT count(*) FROM usage_records WHERE tenant_id = ? AND billable",
                tenant.id()));
    }

    @Test
    void anUpgradeAtOnceLiftsAnExhaustedHardQuotaAndRepricesFromTheNextCall() {
        plan(null, """
                [{"metric": "requests", "model": null, "limit": 2, "enforcement": "hard"}]""", null,
                Plans.perRequest(2_000_000L));
        String name = "bigger-" + UUID.randomUUID();
        UUID bigger = plans.create(name, "USD", Plans.spec(name, null, """
                [{"metric": "requests", "model": null, "limit": 100, "enforcement": "hard"}]""", null,
                Plans.perRequest(1_000_000L)));
        db.update("UPDATE plans SET self_service = true WHERE id = ?", bigger);
        for (int i = 0; i < 2; i++) {
            infer().then().statusCode(200).header("x-aiaas-cost", "0.002");
        }
        infer().then().statusCode(429).body("code", equalTo("quota_exceeded"))
                .body("error", containsString("\"effective\": \"now\"")); // the refusal says the way on

        choices.choose(tenant.id(), tenant.slug(), bigger, true, TENANT_ADMIN);

        infer().then().statusCode(200).header("x-aiaas-cost", "0.001");
        assertEquals(3L, db.value("SELECT requests FROM period_usage WHERE tenant_id = ? AND scope = '*'",
                tenant.id()), "the period's usage carries over to the bigger plan's quota");
        assertEquals(1L, db.count("SELECT count(*) FROM usage_records WHERE tenant_id = ? AND billable"
                + " AND plan_id = ?", tenant.id(), bigger));
    }

    @Test
    void hardBudgetRefusesOnceSpentAndNeverOvershootsWithFixedPrices() {
        // 0.25 per request, budget 1.00: four calls fit, the fifth is refused.
        plan(null, null, """
                {"limit_micros": 1000000, "enforcement": "hard"}""", Plans.perRequest(250_000_000L));
        for (int i = 0; i < 4; i++) {
            infer().then().statusCode(200).header("x-aiaas-cost", "0.25");
        }
        infer().then().statusCode(429).body("code", equalTo("budget_exceeded")).header("Retry-After", notNullValue());
        assertEquals(1_000_000_000L, db.value("SELECT cost_nanos FROM period_usage WHERE tenant_id = ?"
                + " AND scope = '*'", tenant.id()));
    }

    @Test
    void retryWithTheSameIdempotencyKeyIsReplayedAndBilledOnce() {
        plan(null, null, null, Plans.perRequest(2000));
        String idem = "order-" + UUID.randomUUID();
        Response first = given().header("Authorization", "Bearer " + key).header("Idempotency-Key", idem)
                .contentType("application/json").body(BODY).post("/v2/models/" + model.name() + "/infer");
        first.then().statusCode(200).header("x-aiaas-cost", "0.000002");
        Response retry = given().header("Authorization", "Bearer " + key).header("Idempotency-Key", idem)
                .contentType("application/json").body(BODY).post("/v2/models/" + model.name() + "/infer");
        retry.then().statusCode(200).header("x-aiaas-idempotent-replay", "true")
                .header("x-aiaas-original-request-id", UsageRows.requestIdOf(first))
                .header("x-aiaas-model-version", "1").header("x-aiaas-cost", "0");
        assertEquals(first.asString(), retry.asString());
        usage.one(retry).billable(false).status(200).errorCode("idempotent_replay");
        assertEquals(1L, db.count("SELECT count(*) FROM usage_records WHERE tenant_id = ? AND billable",
                tenant.id()));
        // The same key for another request is a client mistake, and costs nothing.
        given().header("Authorization", "Bearer " + key).header("Idempotency-Key", idem)
                .contentType("application/json").body(BODY.replace("0.25", "0.5"))
                .post("/v2/models/" + model.name() + "/infer").then().statusCode(422)
                .body("code", equalTo("idempotency_key_reused"));
        given().header("Authorization", "Bearer " + key).header("Idempotency-Key", "k".repeat(256))
                .contentType("application/json").body(BODY)
                .post("/v2/models/" + model.name() + "/infer").then().statusCode(400)
                .body("code", equalTo("invalid_idempotency_key"));
        // Sent twice, the key is refused rather than one of the two picked (servers and proxies differ on which).
        Response twice = given().header("Authorization", "Bearer " + key).header("Idempotency-Key", idem)
                .header("Idempotency-Key", "other-" + idem).contentType("application/json").body(BODY)
                .post("/v2/models/" + model.name() + "/infer");
        twice.then().statusCode(400).body("code", equalTo("invalid_idempotency_key"))
                .body("error", containsString("sent 2 times"));
        usage.one(twice).billable(false).status(400).errorCode("invalid_idempotency_key");
        assertEquals(1L, db.count("SELECT count(*) FROM usage_records WHERE tenant_id = ? AND billable",
                tenant.id()));
    }

    @Test
    void softQuotaThresholdsAreRecordedOncePerPeriodWithAuditAndWebhookButNeverRefuse() {
        plan(null, """
                [{"metric": "requests", "model": null, "limit": 5, "enforcement": "soft"}]""", null,
                Plans.perRequest(1000));
        db.update("UPDATE tenants SET webhook_url = 'http://127.0.0.1:9/hook', webhook_secret = 'whsec_test'"
                + " WHERE id = ?", tenant.id());
        for (int i = 0; i < 3; i++) {
            infer().then().statusCode(200);
        }
        assertEquals(0L, db.count("SELECT count(*) FROM billing_events WHERE tenant_id = ?", tenant.id()));
        infer().then().statusCode(200);
        assertEquals(List.of(80), db.query("SELECT threshold FROM billing_events WHERE tenant_id = ?", tenant.id())
                .stream().map(r -> ((Number) r.get("threshold")).intValue()).toList());
        for (int i = 0; i < 4; i++) {
            infer().then().statusCode(200);
        }
        assertEquals(2L, db.count("SELECT count(*) FROM billing_events WHERE tenant_id = ? AND kind = 'quota'"
                + " AND metric = 'requests' AND scope = '*' AND threshold IN (80, 100)", tenant.id()));
        assertEquals(2L, db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ?"
                + " AND action = 'billing.threshold_reached'", tenant.id()));
        assertEquals(2L, db.count("SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ?", tenant.id()));
    }

    @Test
    void tenantWithoutPlanIsNeitherLimitedNorPriced() {
        Response response = infer();
        response.then().statusCode(200).header("x-aiaas-cost", "0").header("x-ratelimit-limit-requests",
                nullValue()).header("x-aiaas-currency", nullValue());
        UsageRows.Row row = usage.one(response).billable(true);
        row.has("cost_nanos", 0L).has("plan_id", null);
        assertThat((Long) row.get("compute_us"), greaterThan(0L));
    }
}
