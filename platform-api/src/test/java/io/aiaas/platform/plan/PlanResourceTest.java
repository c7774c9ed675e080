package io.aiaas.platform.plan;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.platform.plan.service.TenantPlans;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.PlanBodies;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class PlanResourceTest {

    @Inject
    TestDb db;

    @Inject
    TenantPlans tenantPlans;

    @Test
    void adminCreatesPlanWithLocationRevisionOneAndAuditEntry() {
        Map<String, Object> spec = PlanBodies.spec();
        String name = (String) spec.get("name");
        String id = Api.as(Tokens.admin()).body(spec).post("/admin/v1/plans").then().statusCode(201)
                .header("Location", endsWith("/admin/v1/plans/"
                        + db.value("SELECT id FROM plans WHERE name = ?", name)))
                .body("name", equalTo(name)).body("currency", equalTo("USD")).body("revision", equalTo(1))
                .body("monthly_fee_micros", equalTo(12_500_000)).body("monthly_fee", equalTo("12.50"))
                .body("included_credit", equalTo("5.00"))
                .body("rate_limits.requests_per_minute_per_key", equalTo(60))
                .body("quotas[0].metric", equalTo("requests")).body("budget.limit_micros", equalTo(5_000_000))
                .body("prices[0].per_1k_requests.tiers[0].up_to", equalTo(1000))
                .body("prices[0].per_1k_requests.tiers[1].unit_micros", equalTo(100_000))
                .body("created_at", notNullValue())
                .extract().path("id");
        Api.as(Tokens.admin()).get("/admin/v1/plans/" + id).then().statusCode(200).body("name", equalTo(name))
                .body("prices[0].per_1k_requests.tiering", equalTo("graduated"));
        Api.as(Tokens.admin()).get("/admin/v1/plans").then().statusCode(200).body("id", hasItem(id));
        Map<String, Object> row = db.queryOne("SELECT name, currency, revision, spec->>'name' AS spec_name FROM plans"
                + " WHERE id = ?::uuid", id);
        assertEquals(List.of(name, "USD", 1, name), List.copyOf(row.values()));
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'plan.created' AND target_id = ?"
                + " AND actor = 'admin@aiaas.test'", id));
    }

    @Test
    void eachBeanValidationProblemIs400ValidationFailedNamingTheFieldAndCreatesNothing() {
        expectProblem(s -> s.remove("name"), "validation_failed", "name");
        expectProblem(s -> s.put("name", "bad/name"), "validation_failed", "name");
        expectProblem(s -> s.put("currency", "usd"), "validation_failed", "currency");
        expectProblem(s -> s.put("monthly_fee_micros", -1), "validation_failed", "monthly_fee_micros");
        expectProblem(s -> s.remove("included_credit_micros"), "validation_failed", "included_credit_micros");
        expectProblem(s -> s.put("prices", List.of()), "validation_failed", "prices");
        expectProblem(s -> s.put("quotas", List.of(PlanBodies.quota("tokens", null, 5, "hard"))), "validation_failed",
                "quotas[0].metric");
        expectProblem(s -> s.put("quotas", List.of(PlanBodies.quota("items", null, 0, "hard"))), "validation_failed",
                "quotas[0].limit");
        expectProblem(s -> s.put("quotas", List.of(PlanBodies.quota("items", null, 5, "strict"))), "validation_failed",
                "quotas[0].enforcement");
        expectProblem(s -> s.put("budget", Map.of("limit_micros", 5, "enforcement", "maybe")), "validation_failed",
                "budget.enforcement");
        expectProblem(s -> s.put("rate_limits", Map.of("max_concurrent_requests", 0)), "validation_failed",
                "rate_limits.max_concurrent_requests");
        expectProblem(s -> s.put("prices", List.of(Map.of("per_1k_requests", Map.of("tiering", "flat",
                "tiers", List.of(PlanBodies.tier(null, 1)))))), "validation_failed", "prices[0].per_1k_requests.tiering");
        // the JSON names and the position in the list: the second price's items tier, not "prices.per1k_items"
        expectProblem(s -> s.put("prices", List.of(PlanBodies.price(null, PlanBodies.tiers(PlanBodies.tier(null, 1))),
                Map.of("model", "m", "per_1k_items", Map.of("tiers", List.of(Map.of("unit_micros", -1)))))),
                "validation_failed", "prices[1].per_1k_items.tiers[0].unit_micros");
        expectProblem(s -> s.put("rate_limits", Map.of("requests_per_minute_per_key", 0)), "validation_failed",
                "rate_limits.requests_per_minute_per_key");
        // a model that cannot exist ("*" is not "every model": that is a price without a model)
        expectProblem(s -> s.put("prices", List.of(PlanBodies.price("*", PlanBodies.tiers(PlanBodies.tier(null, 1))))),
                "validation_failed", "prices[0].model");
        expectProblem(s -> s.put("quotas", List.of(PlanBodies.quota("items", "*", 5, "hard"))), "validation_failed",
                "quotas[0].model");
    }

    @Test
    void eachCrossFieldProblemIs400InvalidPlanNamingTheFieldAndCreatesNothing() {
        expectProblem(s -> s.put("currency", "QQQ"), "invalid_plan", "currency");
        expectProblem(s -> s.put("prices", List.of(PlanBodies.price(null, PlanBodies.tiers(PlanBodies.tier(1000L, 2),
                PlanBodies.tier(500L, 1), PlanBodies.tier(null, 1))))), "invalid_plan",
                "prices[0].per_1k_requests.tiers[1]");
        expectProblem(s -> s.put("prices", List.of(PlanBodies.price(null, PlanBodies.tiers(PlanBodies.tier(1000L, 2))))),
                "invalid_plan", "prices[0].per_1k_requests.tiers[0]");
        expectProblem(s -> s.put("prices", List.of(PlanBodies.price(null, PlanBodies.tiers(PlanBodies.tier(null, 2),
                PlanBodies.tier(null, 1))))), "invalid_plan", "prices[0].per_1k_requests.tiers[0]");
        expectProblem(s -> s.put("prices", List.of(PlanBodies.price("m", PlanBodies.tiers(PlanBodies.tier(null, 2))),
                PlanBodies.price("m", PlanBodies.tiers(PlanBodies.tier(null, 1))))), "invalid_plan", "prices");
        expectProblem(s -> s.put("quotas", List.of(PlanBodies.quota("requests", "m", 5, "hard"),
                PlanBodies.quota("requests", "m", 9, "soft"))), "invalid_plan", "quotas");
        // bounds that keep the pricing of a call within 64-bit integers
        expectProblem(s -> s.put("monthly_fee_micros", 1_000_000_000_000_001L), "invalid_plan", "monthly_fee_micros");
        expectProblem(s -> s.put("prices", List.of(PlanBodies.price(null, PlanBodies.tiers(PlanBodies.tier(null, 1_000_000_001L))))),
                "invalid_plan", "prices[0].per_1k_requests.tiers[0].unit_micros");
        expectProblem(s -> s.put("prices", List.of(Map.of("per_compute_second", PlanBodies.tiers(
                PlanBodies.tier(Long.MAX_VALUE / 1000, 5), PlanBodies.tier(null, 1))))), "invalid_plan",
                "prices[0].per_compute_second.tiers[0].up_to");
    }

    @Test
    void malformedOrUnknownFieldsAre400InvalidJson() {
        Map<String, Object> spec = PlanBodies.spec();
        spec.put("fee", 1);
        Api.as(Tokens.admin()).body(spec).post("/admin/v1/plans").then().statusCode(400)
                .body("code", equalTo("invalid_json"));
        Map<String, Object> decimal = PlanBodies.spec();
        decimal.put("monthly_fee_micros", 12.5);
        Api.as(Tokens.admin()).body(decimal).post("/admin/v1/plans").then().statusCode(400)
                .body("code", equalTo("invalid_json"));
        assertEquals(0, db.count("SELECT count(*) FROM plans WHERE name IN (?, ?)", spec.get("name"),
                decimal.get("name")));
    }

    @Test
    void duplicateNameIs409PlanExistsOnCreateAndOnRename() {
        Map<String, Object> spec = PlanBodies.spec();
        PlanBodies.create(spec);
        Api.as(Tokens.admin()).body(spec).post("/admin/v1/plans").then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("plan_exists"));
        assertEquals(1, db.count("SELECT count(*) FROM plans WHERE name = ?", spec.get("name")));
        Map<String, Object> other = PlanBodies.spec();
        String otherId = PlanBodies.create(other);
        other.put("name", spec.get("name"));
        Api.as(Tokens.admin()).body(other).put("/admin/v1/plans/" + otherId).then().statusCode(409)
                .body("code", equalTo("plan_exists"));
        assertEquals(1, db.value("SELECT revision FROM plans WHERE id = ?::uuid", otherId));
    }

    @Test
    void unknownOrMalformedIdIs404PlanNotFound() {
        for (String id : new String[] {UUID.randomUUID().toString(), "not-a-uuid", "1", UUID.randomUUID() + "0"}) {
            Api.as(Tokens.admin()).get("/admin/v1/plans/" + id).then().statusCode(404)
                    .contentType("application/problem+json").body("code", equalTo("plan_not_found"));
            Api.as(Tokens.admin()).body(PlanBodies.spec()).put("/admin/v1/plans/" + id).then().statusCode(404)
                    .body("code", equalTo("plan_not_found"));
        }
    }

    @Test
    void putReplacesTheSpecBumpsTheRevisionAndAuditsButAnIdenticalPutChangesNothing() {
        Map<String, Object> spec = PlanBodies.spec();
        String id = PlanBodies.create(spec);
        Instant created = Instant.parse(Api.as(Tokens.admin()).get("/admin/v1/plans/" + id).then().extract()
                .path("updated_at"));
        spec.put("monthly_fee_micros", 20_000_000L);
        spec.put("name", spec.get("name") + "-v2");
        spec.remove("budget");
        String updatedAt = Api.as(Tokens.admin()).body(spec).put("/admin/v1/plans/" + id).then().statusCode(200)
                .body("revision", equalTo(2)).body("monthly_fee", equalTo("20.00"))
                .body("name", equalTo(spec.get("name"))).body("budget", equalTo(null))
                .extract().path("updated_at");
        assertTrue(Instant.parse(updatedAt).isAfter(created));
        Map<String, Object> row = db.queryOne("SELECT name, revision, (spec->>'monthly_fee_micros')::bigint AS fee"
                + " FROM plans WHERE id = ?::uuid", id);
        assertEquals(List.of(spec.get("name"), 2, 20_000_000L), List.copyOf(row.values()));
        Api.as(Tokens.admin()).body(spec).put("/admin/v1/plans/" + id).then().statusCode(200)
                .body("revision", equalTo(2)).body("updated_at", equalTo(updatedAt));
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'plan.updated' AND target_id = ?",
                id));
    }

    @Test
    void currencyChangesUntilATenantIsOnThePlanThenIs409CurrencyLocked() {
        Map<String, Object> spec = PlanBodies.spec();
        String id = PlanBodies.create(spec);
        spec.put("currency", "EUR");
        Api.as(Tokens.admin()).body(spec).put("/admin/v1/plans/" + id).then().statusCode(200)
                .body("currency", equalTo("EUR")).body("revision", equalTo(2));
        PlanBodies.assign(Api.createTenant(), id);
        spec.put("currency", "GBP");
        Api.as(Tokens.admin()).body(spec).put("/admin/v1/plans/" + id).then().statusCode(409)
                .body("code", equalTo("currency_locked"));
        assertEquals("EUR", db.value("SELECT currency FROM plans WHERE id = ?::uuid", id));
        spec.put("currency", "EUR");
        spec.put("monthly_fee_micros", 1L); // everything else may still change
        Api.as(Tokens.admin()).body(spec).put("/admin/v1/plans/" + id).then().statusCode(200)
                .body("revision", equalTo(3)).body("monthly_fee", equalTo("0.000001"));
    }

    @Test
    void aChangedPlanReachesTheCachedTenantPlansAtOnce() {
        Map<String, Object> spec = PlanBodies.spec();
        String id = PlanBodies.create(spec);
        String slug = Api.createTenant();
        PlanBodies.assign(slug, id);
        UUID tenantId = (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", slug);
        assertEquals(1, tenantPlans.at(tenantId, Instant.now()).orElseThrow().revision()); // now cached
        spec.put("monthly_fee_micros", 99L);
        Api.as(Tokens.admin()).body(spec).put("/admin/v1/plans/" + id).then().statusCode(200);
        var active = tenantPlans.at(tenantId, Instant.now()).orElseThrow();
        assertEquals(2, active.revision());
        assertEquals(99L, active.spec().monthlyFeeMicros());
    }

    @Test
    void anArchivedPlanTakesNoNewTenantsWhileThoseOnItStayUntilItIsRestored() {
        Map<String, Object> spec = PlanBodies.spec();
        String id = PlanBodies.create(spec);
        String on = Api.createTenant();
        PlanBodies.assign(on, id);
        String scheduled = Api.createTenant();
        Api.as(Tokens.admin()).body(Map.of("plan_id", id, "plan_effective_at",
                Instant.now().plusSeconds(86_400).toString())).patch("/admin/v1/tenants/" + scheduled).then()
                .statusCode(200);

        String archivedAt = Api.as(Tokens.admin()).post("/admin/v1/plans/" + id + "/archive").then().statusCode(200)
                .body("id", equalTo(id)).body("archived_at", notNullValue()).extract().path("archived_at");
        Api.as(Tokens.admin()).post("/admin/v1/plans/" + id + "/archive").then().statusCode(200)
                .body("archived_at", equalTo(archivedAt));
        assertEquals("2", db.value("SELECT details->>'tenants_on_it' FROM audit_log WHERE action = 'plan.archived'"
                + " AND target_id = ?", id), "one audit entry, counting the tenant on it and the one scheduled");
        Api.as(Tokens.admin()).get("/admin/v1/plans").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.archived_at", equalTo(archivedAt));

        String newcomer = Api.createTenant();
        Api.as(Tokens.admin()).body(Map.of("plan_id", id)).patch("/admin/v1/tenants/" + newcomer).then()
                .statusCode(409).contentType("application/problem+json").body("code", equalTo("plan_archived"))
                .body("detail", containsString("/admin/v1/plans/" + id + "/restore"));
        assertEquals(0, db.count("SELECT count(*) FROM tenant_plans tp JOIN tenants t ON t.id = tp.tenant_id"
                + " WHERE t.slug = ?", newcomer));
        // those on it keep it, and it can still be corrected for them
        UUID onId = (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", on);
        assertEquals(UUID.fromString(id), tenantPlans.at(onId, Instant.now()).orElseThrow().planId());
        spec.put("monthly_fee_micros", 7L);
        Api.as(Tokens.admin()).body(spec).put("/admin/v1/plans/" + id).then().statusCode(200)
                .body("revision", equalTo(2)).body("archived_at", equalTo(archivedAt));

        Api.as(Tokens.admin()).post("/admin/v1/plans/" + id + "/restore").then().statusCode(200)
                .body("archived_at", equalTo(null));
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'plan.restored' AND target_id = ?",
                id));
        PlanBodies.assign(newcomer, id);
        Api.as(Tokens.admin()).post("/admin/v1/plans/" + UUID.randomUUID() + "/archive").then().statusCode(404)
                .body("code", equalTo("plan_not_found"));
        Api.as(Tokens.admin()).post("/admin/v1/plans/not-a-uuid/restore").then().statusCode(404)
                .body("code", equalTo("plan_not_found"));
    }

    @Test
    void nonAdminGets403AndNoTokenGets401() {
        String id = PlanBodies.create(PlanBodies.spec());
        String user = Tokens.user(Api.unique("someone") + "@example.test");
        Map<String, Object> spec = PlanBodies.spec();
        Api.as(user).body(spec).post("/admin/v1/plans").then().statusCode(403).body("code", equalTo("forbidden"));
        Api.as(user).get("/admin/v1/plans").then().statusCode(403).body("code", equalTo("forbidden"));
        Api.as(user).get("/admin/v1/plans/" + id).then().statusCode(403);
        Api.as(user).body(spec).put("/admin/v1/plans/" + id).then().statusCode(403);
        Api.as(user).post("/admin/v1/plans/" + id + "/archive").then().statusCode(403);
        given().post("/admin/v1/plans/" + id + "/archive").then().statusCode(401);
        assertEquals(null, db.value("SELECT archived_at FROM plans WHERE id = ?::uuid", id));
        given().get("/admin/v1/plans").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("code", equalTo("unauthorized"));
        given().contentType("application/json").body(spec).post("/admin/v1/plans").then().statusCode(401);
        given().get("/admin/v1/plans/" + id).then().statusCode(401);
        assertEquals(0, db.count("SELECT count(*) FROM plans WHERE name = ?", spec.get("name")));
    }

    /** Breaks one thing in a valid body: 400 with the code, the field among the violations, no plan created. */
    private void expectProblem(Consumer<Map<String, Object>> breakIt, String code, String field) {
        Map<String, Object> spec = PlanBodies.spec();
        breakIt.accept(spec);
        ValidatableResponse answer = Api.as(Tokens.admin()).body(spec).post("/admin/v1/plans").then();
        answer.statusCode(400).contentType("application/problem+json").body("code", equalTo(code))
                .body("violations.field", hasItem(field)).body("detail", not(equalTo(null)));
        Object name = spec.getOrDefault("name", "");
        assertEquals(0, db.count("SELECT count(*) FROM plans WHERE name = ?", name), "created despite " + field);
    }
}
