package io.aiaas.platform.plan;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.platform.plan.service.TenantPlanService;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.Api.TenantUser;
import io.aiaas.platform.testsupport.PlanBodies;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Plans tenants choose themselves: the admins' flag, the choices a tenant sees, and a tenant admin's choice taking
 * effect at the start of the tenant's next billing period (in its time zone), replaced or cancelled before then, never
 * overriding a change a platform admin scheduled.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class SelfServicePlanTest {

    @Inject
    TestDb db;

    @Inject
    TenantPlanService schedules;

    @Test
    void adminsMarkPlansSelfServiceAndTenantsSeeOnlyThoseNotArchived() {
        String offered = selfServicePlan();
        String hidden = PlanBodies.create(PlanBodies.spec());
        String archived = selfServicePlan();
        Api.as(Tokens.admin()).post("/admin/v1/plans/" + archived + "/archive").then().statusCode(200);
        Api.as(Tokens.admin()).get("/admin/v1/plans/" + offered).then().statusCode(200)
                .body("self_service", equalTo(true));
        Api.as(Tokens.admin()).get("/admin/v1/plans/" + hidden).then().body("self_service", equalTo(false));
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'plan.self_service_changed'"
                + " AND target_id = ?", offered));
        // the same flag again changes nothing and records nothing
        Api.as(Tokens.admin()).body(Map.of("self_service", true)).put("/admin/v1/plans/" + offered + "/self-service")
                .then().statusCode(200);
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'plan.self_service_changed'"
                + " AND target_id = ?", offered));

        TenantUser member = Api.tenantWithMember();
        Api.as(member.token()).get("/api/v1/tenants/" + member.slug() + "/plan/choices").then().statusCode(200)
                .body("id", hasItem(offered)).body("id", not(hasItem(hidden))).body("id", not(hasItem(archived)))
                .body("find { it.id == '" + offered + "' }.monthly_fee", equalTo("12.50"));
        Api.as(Tokens.user(Api.unique("x") + "@example.test")).get("/api/v1/tenants/" + member.slug()
                + "/plan/choices").then().statusCode(404).body("code", equalTo("tenant_not_found"));

        Api.as(member.token()).body(Map.of("self_service", true)).put("/admin/v1/plans/" + hidden + "/self-service")
                .then().statusCode(403);
        Api.as(Tokens.admin()).body(Map.of()).put("/admin/v1/plans/" + hidden + "/self-service").then()
                .statusCode(400).body("violations.field", hasItem("self_service"));
        Api.as(Tokens.admin()).body(Map.of("self_service", "yes")).put("/admin/v1/plans/" + hidden + "/self-service")
                .then().statusCode(400);
        Api.as(Tokens.admin()).body(Map.of("self_service", true)).put("/admin/v1/plans/" + UUID.randomUUID()
                + "/self-service").then().statusCode(404).body("code", equalTo("plan_not_found"));
        Api.as(Tokens.admin()).get("/admin/v1/plans/" + hidden).then().body("self_service", equalTo(false));
    }

    @Test
    void aTenantAdminsChoiceStartsNextPeriodInTheTenantsZoneAndCanBeReplacedOrCancelled() {
        TenantUser admin = Api.tenantWithAdmin();
        String slug = admin.slug();
        String current = PlanBodies.create(PlanBodies.spec());
        Api.as(Tokens.admin()).body(Map.of("plan_id", current, "time_zone", "Asia/Tokyo"))
                .patch("/admin/v1/tenants/" + slug).then().statusCode(200);
        String bigger = selfServicePlan();
        String other = selfServicePlan();
        UUID tenantId = (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", slug);
        ZoneId zone = ZoneId.of("Asia/Tokyo");
        Instant nextPeriod = LocalDate.now(zone).withDayOfMonth(1).plusMonths(1).atStartOfDay(zone).toInstant();

        String from = Api.as(admin.token()).body(Map.of("plan_id", bigger)).put("/api/v1/tenants/" + slug + "/plan")
                .then().statusCode(200)
                .body("plan.id", equalTo(current)) // nothing changes within the period
                .body("next_plan.id", equalTo(bigger))
                .extract().path("next_plan.effective_from");
        assertEquals(nextPeriod, OffsetDateTime.parse(from).toInstant(), "the first instant of the next period");
        assertEquals(bigger, schedules.scheduleOf(tenantId, nextPeriod).current().id().toString());
        Api.as(Tokens.admin()).get("/admin/v1/tenants/" + slug + "/plans").then().statusCode(200)
                .body("find { it.plan_id == '" + bigger + "' }.self_service", equalTo(true))
                .body("find { it.plan_id == '" + bigger + "' }.state", equalTo("scheduled"))
                .body("find { it.plan_id == '" + current + "' }.self_service", equalTo(false));
        assertEquals(current, schedules.scheduleOf(tenantId, nextPeriod.minusMillis(1)).current().id().toString());

        // another choice replaces the pending one: still one change ahead
        Api.as(admin.token()).body(Map.of("plan_id", other)).put("/api/v1/tenants/" + slug + "/plan").then()
                .statusCode(200).body("next_plan.id", equalTo(other));
        assertEquals(1, db.count("SELECT count(*) FROM tenant_plans WHERE tenant_id = ? AND effective_from > now()",
                tenantId));
        // choosing the plan it is on cancels the pending choice, though that plan is not one tenants may choose
        Api.as(admin.token()).body(Map.of("plan_id", current)).put("/api/v1/tenants/" + slug + "/plan").then()
                .statusCode(200).body("plan.id", equalTo(current)).body("next_plan", nullValue());
        assertEquals(0, db.count("SELECT count(*) FROM tenant_plans WHERE tenant_id = ? AND effective_from > now()",
                tenantId));
        assertEquals(2, db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ?"
                + " AND action = 'tenant.plan_change_cancelled'", tenantId));
        assertEquals(2, db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action ="
                + " 'tenant.plan_scheduled' AND details ->> 'self_service' = 'true'", tenantId));
        // the past was never touched: the admin's assignment is still the one row in effect
        assertEquals(1, db.count("SELECT count(*) FROM tenant_plans WHERE tenant_id = ?", tenantId));
    }

    @Test
    void aTenantAdminUpgradesAtOnceAndThePeriodCarriesTheBiggerFeeButMovesDownOnlyNextPeriod() {
        TenantUser admin = Api.tenantWithAdmin();
        String slug = admin.slug();
        UUID tenantId = (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", slug);
        String current = PlanBodies.create(PlanBodies.spec()); // 12.50 a month, not offered to tenants
        PlanBodies.assign(slug, current);
        String cheaper = selfServicePlan(fee(PlanBodies.spec(), 5_000_000L, "USD"));
        String bigger = selfServicePlan(fee(PlanBodies.spec(), 30_000_000L, "USD"));
        String euro = selfServicePlan(fee(PlanBodies.spec(), 40_000_000L, "EUR"));
        Api.as(admin.token()).body(Map.of("plan_id", cheaper)).put("/api/v1/tenants/" + slug + "/plan").then()
                .statusCode(200).body("next_plan.id", equalTo(cheaper));

        // down, or into another currency, cannot happen within the period: refused, the pending choice untouched
        for (String plan : new String[] {cheaper, euro}) {
            Api.as(admin.token()).body(Map.of("plan_id", plan, "effective", "now"))
                    .put("/api/v1/tenants/" + slug + "/plan").then().statusCode(409)
                    .body("code", equalTo("plan_change_next_period"))
                    .body("detail", containsString("next_period"));
        }
        Api.as(admin.token()).body(Map.of("plan_id", bigger, "effective", "today"))
                .put("/api/v1/tenants/" + slug + "/plan").then().statusCode(400)
                .body("code", equalTo("validation_failed")).body("violations.field", hasItem("effective"));
        assertEquals(2, db.count("SELECT count(*) FROM tenant_plans WHERE tenant_id = ?", tenantId));
        Api.as(admin.token()).get("/api/v1/tenants/" + slug + "/plan").then().body("plan.id", equalTo(current))
                .body("next_plan.id", equalTo(cheaper));

        // up: at once, replacing the pending choice; the period's invoice now carries the bigger plan's fee
        Instant before = Instant.now();
        String from = Api.as(admin.token()).body(Map.of("plan_id", bigger, "effective", "now"))
                .put("/api/v1/tenants/" + slug + "/plan").then().statusCode(200)
                .body("plan.id", equalTo(bigger)).body("next_plan", nullValue())
                .extract().path("plan.effective_from");
        Instant effective = OffsetDateTime.parse(from).toInstant();
        assertTrue(!effective.isBefore(before.minusSeconds(1)) && !effective.isAfter(Instant.now()), from);
        assertEquals(bigger, schedules.scheduleOf(tenantId, Instant.now()).current().id().toString());
        assertEquals(0, db.count("SELECT count(*) FROM tenant_plans WHERE tenant_id = ? AND plan_id = ?", tenantId,
                UUID.fromString(cheaper)));
        Api.as(admin.token()).get("/api/v1/tenants/" + slug + "/invoices/upcoming").then().statusCode(200)
                .body("plan_id", equalTo(bigger)).body("fee_nanos", equalTo(30_000_000_000L));
        Api.as(Tokens.admin()).get("/admin/v1/tenants/" + slug + "/plans").then().statusCode(200)
                .body("find { it.plan_id == '" + bigger + "' }.state", equalTo("current"))
                .body("find { it.plan_id == '" + bigger + "' }.self_service", equalTo(true))
                .body("find { it.plan_id == '" + current + "' }.state", equalTo("past"));

        // and back down only from the next period, which then starts on the cheaper plan
        Api.as(admin.token()).body(Map.of("plan_id", cheaper, "effective", "next_period"))
                .put("/api/v1/tenants/" + slug + "/plan").then().statusCode(200)
                .body("plan.id", equalTo(bigger)).body("next_plan.id", equalTo(cheaper));
    }

    /** The spec with another fee and currency. */
    private static Map<String, Object> fee(Map<String, Object> spec, long feeMicros, String currency) {
        spec.put("monthly_fee_micros", feeMicros);
        spec.put("currency", currency);
        return spec;
    }

    @Test
    void membersOutsidersAndPlansNotOfferedAreRefusedWithNothingChanged() {
        TenantUser admin = Api.tenantWithAdmin();
        String slug = admin.slug();
        TenantUser member = Api.userOf(slug, "member");
        String offered = selfServicePlan();
        String notOffered = PlanBodies.create(PlanBodies.spec());
        String archived = selfServicePlan();
        Api.as(Tokens.admin()).post("/admin/v1/plans/" + archived + "/archive").then().statusCode(200);

        Api.as(member.token()).body(Map.of("plan_id", offered)).put("/api/v1/tenants/" + slug + "/plan").then()
                .statusCode(403).body("code", equalTo("forbidden"));
        Api.as(Api.tenantWithAdmin().token()).body(Map.of("plan_id", offered)).put("/api/v1/tenants/" + slug
                + "/plan").then().statusCode(404).body("code", equalTo("tenant_not_found"));
        for (String plan : new String[] {notOffered, archived, UUID.randomUUID().toString()}) {
            Api.as(admin.token()).body(Map.of("plan_id", plan)).put("/api/v1/tenants/" + slug + "/plan").then()
                    .statusCode(400).body("code", equalTo("unknown_plan"));
        }
        Api.as(admin.token()).body(Map.of()).put("/api/v1/tenants/" + slug + "/plan").then().statusCode(400)
                .body("violations.field", hasItem("plan_id"));
        Api.as(admin.token()).body(Map.of("plan_id", "nope")).put("/api/v1/tenants/" + slug + "/plan").then()
                .statusCode(400);
        given().contentType("application/json").body(Map.of("plan_id", offered))
                .put("/api/v1/tenants/" + slug + "/plan").then().statusCode(401);
        assertEquals(0, db.count("SELECT count(*) FROM tenant_plans tp JOIN tenants t ON t.id = tp.tenant_id"
                + " WHERE t.slug = ?", slug));

        // a tenant without a plan may choose one too: from its next period (UTC by default)
        Instant nextPeriod = LocalDate.now(ZoneId.of("UTC")).withDayOfMonth(1).plusMonths(1)
                .atStartOfDay(ZoneId.of("UTC")).toInstant();
        String from = Api.as(admin.token()).body(Map.of("plan_id", offered)).put("/api/v1/tenants/" + slug + "/plan")
                .then().statusCode(200).body("plan", nullValue()).body("next_plan.id", equalTo(offered))
                .extract().path("next_plan.effective_from");
        assertEquals(nextPeriod, OffsetDateTime.parse(from).toInstant());
    }

    @Test
    void aChangeScheduledByAPlatformAdminIsNeverOverriddenByTheTenant() {
        TenantUser admin = Api.tenantWithAdmin();
        String slug = admin.slug();
        String adminsChoice = PlanBodies.create(PlanBodies.spec());
        String at = Instant.now().plusSeconds(3600).toString();
        Api.as(Tokens.admin()).body(Map.of("plan_id", adminsChoice, "plan_effective_at", at))
                .patch("/admin/v1/tenants/" + slug).then().statusCode(200);
        Api.as(admin.token()).body(Map.of("plan_id", selfServicePlan())).put("/api/v1/tenants/" + slug + "/plan")
                .then().statusCode(409).body("code", equalTo("plan_change_scheduled"))
                .body("detail", org.hamcrest.Matchers.containsString("ask them"));
        Api.as(admin.token()).get("/api/v1/tenants/" + slug + "/plan").then().statusCode(200)
                .body("next_plan.id", equalTo(adminsChoice));
        assertEquals(1, db.count("SELECT count(*) FROM tenant_plans tp JOIN tenants t ON t.id = tp.tenant_id"
                + " WHERE t.slug = ?", slug));
    }

    /** A new plan (the spec of PlanBodies) that tenants may choose. */
    private static String selfServicePlan() {
        return selfServicePlan(PlanBodies.spec());
    }

    private static String selfServicePlan(Map<String, Object> spec) {
        String id = PlanBodies.create(spec);
        Api.as(Tokens.admin()).body(Map.of("self_service", true)).put("/admin/v1/plans/" + id + "/self-service")
                .then().statusCode(200).body("self_service", equalTo(true));
        return id;
    }
}
