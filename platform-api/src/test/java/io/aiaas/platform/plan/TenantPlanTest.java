package io.aiaas.platform.plan;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.platform.billing.pricing.BillingPeriods;
import io.aiaas.platform.plan.service.ActivePlan;
import io.aiaas.platform.plan.service.TenantPlans;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.PlanBodies;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class TenantPlanTest {

    /** Decimal numbers (percentages, seconds) read as BigDecimal, so assertions compare exact values. */
    static final RestAssuredConfig EXACT = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));

    @Inject
    TestDb db;

    @Inject
    TenantPlans tenantPlans;

    @Test
    void aFuturePlanChangeIsKeptInHistoryAndTakesEffectAtItsTime() {
        String basic = PlanBodies.create(named("basic"));
        String pro = PlanBodies.create(named("pro"));
        String slug = Api.createTenant();
        UUID tenantId = tenantId(slug);
        assertTrue(tenantPlans.at(tenantId, Instant.now()).isEmpty()); // cached: no plan
        Api.as(Tokens.admin()).body(Map.of("plan_id", basic)).patch("/admin/v1/tenants/" + slug).then()
                .statusCode(200).body("plan.id", equalTo(basic)).body("next_plan", nullValue());
        Instant switchAt = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
        Api.as(Tokens.admin()).body(Map.of("plan_id", pro, "plan_effective_at", switchAt.toString()))
                .patch("/admin/v1/tenants/" + slug).then().statusCode(200)
                .body("plan.id", equalTo(basic))
                .body("next_plan.id", equalTo(pro)).body("next_plan.effective_from", equalTo(switchAt.toString()));

        Instant now = Instant.now();
        ActivePlan current = tenantPlans.at(tenantId, now).orElseThrow();
        assertEquals(UUID.fromString(basic), current.planId());
        assertEquals(switchAt, current.until());
        Instant justBefore = switchAt.minusNanos(1000);
        assertEquals(UUID.fromString(basic), tenantPlans.at(tenantId, justBefore).orElseThrow().planId());
        assertEquals(UUID.fromString(pro), tenantPlans.at(tenantId, switchAt).orElseThrow().planId());

        Api.as(Tokens.admin()).get("/admin/v1/tenants/" + slug + "/plans").then().statusCode(200)
                .body("", hasSize(2))
                .body("[0].plan_id", equalTo(pro)).body("[0].state", equalTo("scheduled"))
                .body("[0].effective_from", equalTo(switchAt.toString()))
                .body("[1].plan_id", equalTo(basic)).body("[1].state", equalTo("current"))
                .body("[1].plan_name", equalTo(db.value("SELECT name FROM plans WHERE id = ?::uuid", basic)))
                .body("created_by", equalTo(List.of("admin@aiaas.test", "admin@aiaas.test")));
        Api.as(Tokens.admin()).get("/admin/v1/tenants/" + slug).then().statusCode(200)
                .body("plan.id", equalTo(basic)).body("next_plan.id", equalTo(pro)).body("time_zone", equalTo("UTC"));
        Api.as(Tokens.admin()).get("/admin/v1/tenants").then().statusCode(200)
                .body("find { it.slug == '" + slug + "' }.next_plan.id", equalTo(pro));
        assertEquals(2, db.count("SELECT count(*) FROM tenant_plans WHERE tenant_id = ?", tenantId));
        assertEquals(2, db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action ="
                + " 'tenant.plan_scheduled'", tenantId));
    }

    @Test
    void aPlanChangeInThePastIs400AndHistoryIsUntouched() {
        String plan = PlanBodies.create(PlanBodies.spec());
        String slug = Api.createTenant();
        Api.as(Tokens.admin()).body(Map.of("plan_id", plan, "plan_effective_at",
                Instant.now().minus(Duration.ofMinutes(1)).toString())).patch("/admin/v1/tenants/" + slug).then()
                .statusCode(400).body("code", equalTo("plan_effective_in_past"));
        assertEquals(0, db.count("SELECT count(*) FROM tenant_plans WHERE tenant_id = ?", tenantId(slug)));
        // a few seconds of clock skew are tolerated, and recorded as now
        Instant before = Instant.now();
        Api.as(Tokens.admin()).body(Map.of("plan_id", plan, "plan_effective_at",
                before.minusSeconds(2).toString())).patch("/admin/v1/tenants/" + slug).then().statusCode(200);
        Instant recorded = ((java.sql.Timestamp) db.value("SELECT effective_from FROM tenant_plans"
                + " WHERE tenant_id = ?", tenantId(slug))).toInstant();
        assertTrue(!recorded.isBefore(before.truncatedTo(ChronoUnit.MICROS)), "recorded " + recorded);
    }

    @Test
    void badPlanFieldsAre400WithTheirCodesAndChangeNothing() {
        String slug = Api.createTenant();
        patch(slug, Map.of("plan_id", UUID.randomUUID().toString())).statusCode(400)
                .body("code", equalTo("unknown_plan"));
        patch(slug, Map.of("plan_id", "basic")).statusCode(400).body("code", equalTo("invalid_json"));
        patch(slug, Map.of("plan_effective_at", Instant.now().plusSeconds(60).toString())).statusCode(400)
                .body("code", equalTo("plan_id_required"));
        patch(slug, Map.of("plan_id", PlanBodies.create(PlanBodies.spec()), "plan_effective_at", 4102444800L)).statusCode(400)
                .body("code", equalTo("invalid_json"));
        patch(slug, Map.of("plan_id", PlanBodies.create(PlanBodies.spec()), "plan_effective_at", "next monday"))
                .statusCode(400).body("code", equalTo("invalid_json"));
        assertEquals(0, db.count("SELECT count(*) FROM tenant_plans WHERE tenant_id = ?", tenantId(slug)));
    }

    @Test
    void aSecondChangeAtTheSameInstantIs409() {
        String slug = Api.createTenant();
        String at = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS).toString();
        patch(slug, Map.of("plan_id", PlanBodies.create(PlanBodies.spec()), "plan_effective_at", at)).statusCode(200);
        patch(slug, Map.of("plan_id", PlanBodies.create(PlanBodies.spec()), "plan_effective_at", at, "name", "Renamed"))
                .statusCode(409).body("code", equalTo("plan_change_exists"));
        assertEquals(1, db.count("SELECT count(*) FROM tenant_plans WHERE tenant_id = ?", tenantId(slug)));
        // the whole PATCH failed: the rename in it too
        assertEquals("Tenant " + slug, db.value("SELECT name FROM tenants WHERE slug = ?", slug));
    }

    @Test
    void timeZoneIsValidatedStoredAndReachesTheCachedTenantPlans() {
        String slug = Api.createTenant();
        UUID tenantId = tenantId(slug);
        assertEquals(ZoneId.of("UTC"), tenantPlans.zoneOf(tenantId)); // now cached
        for (String bad : new String[] {"Mars/Olympus", "utc", "Europe/Paris ", "+25:00"}) {
            patch(slug, Map.of("time_zone", bad)).statusCode(400).body("code", equalTo("invalid_time_zone"));
        }
        patch(slug, Map.of("time_zone", "")).statusCode(400).body("code", equalTo("validation_failed"));
        assertEquals("UTC", db.value("SELECT time_zone FROM tenants WHERE id = ?", tenantId));
        patch(slug, Map.of("time_zone", "Europe/Paris")).statusCode(200).body("time_zone", equalTo("Europe/Paris"));
        assertEquals("Europe/Paris", db.value("SELECT time_zone FROM tenants WHERE id = ?", tenantId));
        assertEquals(ZoneId.of("Europe/Paris"), tenantPlans.zoneOf(tenantId));
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action ="
                + " 'tenant.time_zone_changed'", tenantId));
    }

    @Test
    void planShowsThePlanThePeriodAndTheStateOfEachQuotaAndTheBudget() {
        Map<String, Object> spec = PlanBodies.spec();
        spec.put("quotas", List.of(PlanBodies.quota("requests", null, 1000, "hard"),
                PlanBodies.quota("items", null, 500, "soft"), PlanBodies.quota("compute_seconds", "m1", 10, "soft")));
        String plan = PlanBodies.create(spec);
        Api.TenantUser member = Api.tenantWithMember();
        UUID tenantId = tenantId(member.slug());
        // a zone ahead of UTC: a move there is never refused (one behind is, just after a month ends)
        patch(member.slug(), Map.of("plan_id", plan, "time_zone", "Asia/Tokyo")).statusCode(200);
        ZoneId zone = ZoneId.of("Asia/Tokyo");
        LocalDate period = BillingPeriods.periodOf(Instant.now(), zone);
        periodUsage(tenantId, period, "*", 850, 100, 2_500_000, 1_234_567_890L);
        periodUsage(tenantId, period, "m1", 400, 50, 10_500_000, 0);
        periodUsage(tenantId, period.minusMonths(1), "*", 99_999, 0, 0, 0); // another period: not counted

        given().config(EXACT).header("Authorization", Tokens.bearer(member.token()))
                .get("/api/v1/tenants/" + member.slug() + "/plan").then().statusCode(200)
                .body("plan.id", equalTo(plan)).body("plan.name", equalTo(spec.get("name")))
                .body("plan.currency", equalTo("USD")).body("plan.monthly_fee", equalTo("12.50"))
                .body("plan.included_credit_micros", equalTo(5_000_000))
                .body("plan.rate_limits.max_concurrent_requests", equalTo(8))
                .body("plan.prices[0].per_1k_requests.tiers[0].unit_micros", equalTo(200_000))
                .body("time_zone", equalTo("Asia/Tokyo"))
                .body("period.name", equalTo(BillingPeriods.name(period)))
                .body("period.start", equalTo(period.atStartOfDay(zone).toOffsetDateTime().toString()
                        .replaceFirst("T00:00", "T00:00:00")))
                .body("next_plan", nullValue())
                .body("usage.requests", equalTo(850)).body("usage.compute_seconds", equalTo(new BigDecimal("2.5")))
                .body("usage.cost_nanos", equalTo(1_234_567_890)).body("usage.cost", equalTo("1.23456789"))
                .body("quotas", hasSize(3))
                .body("quotas[0].metric", equalTo("requests")).body("quotas[0].model", nullValue())
                .body("quotas[0].enforcement", equalTo("hard")).body("quotas[0].limit", equalTo(1000))
                .body("quotas[0].used", equalTo(850)).body("quotas[0].remaining", equalTo(150))
                .body("quotas[0].percent_used", equalTo(new BigDecimal("85.0")))
                .body("quotas[0].state", equalTo("warning"))
                .body("quotas[1].used", equalTo(100)).body("quotas[1].state", equalTo("ok"))
                .body("quotas[1].percent_used", equalTo(new BigDecimal("20.0")))
                .body("quotas[2].model", equalTo("m1")).body("quotas[2].unit", equalTo("second"))
                .body("quotas[2].limit", equalTo(10)).body("quotas[2].used", equalTo(new BigDecimal("10.5")))
                .body("quotas[2].remaining", equalTo(0)).body("quotas[2].state", equalTo("exhausted"))
                .body("quotas[2].percent_used", equalTo(new BigDecimal("105.0")))
                .body("budget.enforcement", equalTo("hard"))
                .body("budget.limit_micros", equalTo(5_000_000)).body("budget.limit", equalTo("5.00"))
                .body("budget.used_nanos", equalTo(1_234_567_890)).body("budget.used_micros", equalTo(1_234_568))
                .body("budget.used", equalTo("1.23456789"))
                .body("budget.remaining_micros", equalTo(3_765_432)).body("budget.remaining", equalTo("3.765432"))
                .body("budget.percent_used", equalTo(new BigDecimal("24.6")))
                .body("budget.state", equalTo("ok"));
    }

    @Test
    void aTenantWithoutAPlanGets200WithPlanNullAndItsUsageTotals() {
        Api.TenantUser member = Api.tenantWithMember();
        UUID tenantId = tenantId(member.slug());
        LocalDate period = BillingPeriods.periodOf(Instant.now(), ZoneId.of("UTC"));
        periodUsage(tenantId, period, "*", 7, 70, 1_000, 0);
        String later = Instant.now().plus(Duration.ofDays(40)).truncatedTo(ChronoUnit.SECONDS).toString();
        String plan = PlanBodies.create(PlanBodies.spec());
        patch(member.slug(), Map.of("plan_id", plan, "plan_effective_at", later)).statusCode(200);
        given().config(EXACT).header("Authorization", Tokens.bearer(member.token()))
                .get("/api/v1/tenants/" + member.slug() + "/plan").then().statusCode(200)
                .body("plan", nullValue()).body("budget", nullValue()).body("quotas", hasSize(0))
                .body("next_plan.id", equalTo(plan)).body("next_plan.effective_from", equalTo(later))
                .body("time_zone", equalTo("UTC")).body("period.name", equalTo(BillingPeriods.name(period)))
                .body("usage.requests", equalTo(7)).body("usage.items", equalTo(70))
                .body("usage.compute_seconds", equalTo(new BigDecimal("0.001"))).body("usage.cost", equalTo("0.00"));
    }

    @Test
    void anotherTenantsMemberGets404AndNoTokenGets401() {
        Api.TenantUser member = Api.tenantWithMember();
        Api.TenantUser outsider = Api.tenantWithMember();
        Api.as(outsider.token()).get("/api/v1/tenants/" + member.slug() + "/plan").then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
        Api.as(member.token()).get("/api/v1/tenants/" + Api.unique("nope") + "/plan").then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
        given().get("/api/v1/tenants/" + member.slug() + "/plan").then().statusCode(401);
        Api.as(member.token()).get("/admin/v1/tenants/" + member.slug() + "/plans").then().statusCode(403);
        Api.as(member.token()).body(Map.of("time_zone", "UTC")).patch("/admin/v1/tenants/" + member.slug()).then()
                .statusCode(403);
    }

    private static io.restassured.response.ValidatableResponse patch(String slug, Map<String, Object> body) {
        return Api.as(Tokens.admin()).body(body).patch("/admin/v1/tenants/" + slug).then();
    }

    private static Map<String, Object> named(String prefix) {
        Map<String, Object> spec = PlanBodies.spec();
        spec.put("name", Api.unique(prefix));
        return spec;
    }

    private UUID tenantId(String slug) {
        return (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", slug);
    }

    private void periodUsage(UUID tenantId, LocalDate period, String scope, long requests, long items,
            long computeUs, long costNanos) {
        db.update("INSERT INTO period_usage (tenant_id, billing_period, scope, requests, items, compute_us,"
                + " cost_nanos) VALUES (?, ?, ?, ?, ?, ?, ?)", tenantId, period, scope, requests, items, computeUs,
                costNanos);
    }
}
