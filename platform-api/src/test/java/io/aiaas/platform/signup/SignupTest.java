package io.aiaas.platform.signup;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.PlanBodies;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Self-service sign-up through the public APIs: the admins' policy, a person creating a tenant of their own (admin of
 * it, on the sign-up plan from the first instant), the per-person limit under concurrent sign-ups, and refusals that
 * leave nothing behind. The policy is one row for the whole platform, so every test sets it first.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class SignupTest {

    @Inject
    TestDb db;

    @Test
    void closedSignupRefusesAndCreatesNothing() {
        open(null, 3);
        String person = Tokens.user(Api.unique("p") + "@example.test");
        Api.as(person).get("/api/v1/signup").then().statusCode(200)
                .body("open", equalTo(false)).body("plan_name", nullValue()).body("tenants_created", equalTo(0));
        String slug = Api.unique("closed");
        Api.as(person).body(Map.of("slug", slug, "name", "Closed")).post("/api/v1/signup").then()
                .statusCode(403).contentType("application/problem+json").body("code", equalTo("signup_closed"));
        assertEquals(0, db.count("SELECT count(*) FROM tenants WHERE slug = ?", slug));
        given().contentType(ContentType.JSON).body(Map.of("slug", slug, "name", "Anonymous"))
                .post("/api/v1/signup").then().statusCode(401);
    }

    @Test
    void personCreatesTenantAndIsItsAdminOnTheSignupPlan() {
        Map<String, Object> spec = PlanBodies.spec();
        String planId = PlanBodies.create(spec);
        open(planId, 3);
        String subject = "sub-" + UUID.randomUUID();
        // an address the identity provider has not verified: it must not become a way into the tenant
        String email = Api.unique("signup") + "@example.test";
        String person = Tokens.token(subject, email, false);
        Api.as(person).get("/api/v1/signup").then().statusCode(200).body("open", equalTo(true))
                .body("plan_name", equalTo(spec.get("name"))).body("max_tenants_per_person", equalTo(3))
                .body("tenants_created", equalTo(0));

        String slug = Api.unique("mine");
        Api.as(person).body(Map.of("slug", slug, "name", "  My Lab ")).post("/api/v1/signup").then()
                .statusCode(201)
                .body("slug", equalTo(slug)).body("name", equalTo("My Lab")).body("status", equalTo("active"))
                .body("role", equalTo("admin")).body("plan_id", equalTo(planId))
                .body("plan_name", equalTo(spec.get("name"))).body("created_at", notNullValue());

        Api.as(person).get("/api/v1/me").then().statusCode(200)
                .body("tenants.find { it.slug == '" + slug + "' }.role", equalTo("admin"));
        Api.as(person).get("/api/v1/tenants/" + slug + "/plan").then().statusCode(200)
                .body("plan.id", equalTo(planId)).body("plan.name", equalTo(spec.get("name")));
        Api.as(person).body(Map.of("name", "first key")).post("/api/v1/tenants/" + slug + "/keys").then()
                .statusCode(201);
        Api.as(person).get("/api/v1/signup").then().body("tenants_created", equalTo(1));

        Map<String, Object> member = db.query("SELECT m.email, m.subject, m.role FROM tenant_members m"
                + " JOIN tenants t ON t.id = m.tenant_id WHERE t.slug = ?", slug).get(0);
        assertEquals(subject, member.get("subject"));
        assertEquals("ADMIN", member.get("role"));
        assertNull(member.get("email"), "an unverified address is not stored as a way in");
        assertEquals(subject, db.query("SELECT signed_up_by FROM tenants WHERE slug = ?", slug).get(0)
                .get("signed_up_by"));
        Api.as(Tokens.admin()).get("/admin/v1/tenants/" + slug).then().statusCode(200)
                .body("signed_up_by", equalTo(subject));
        // the plan applies from the tenant's first instant: no unlimited, unpriced moment
        assertEquals(1, db.count("SELECT count(*) FROM tenant_plans p JOIN tenants t ON t.id = p.tenant_id"
                + " WHERE t.slug = ? AND p.effective_from <= now() AND p.effective_from - t.created_at"
                + " < interval '1 second'", slug));
        assertEquals(3, db.count("SELECT count(*) FROM audit_log a JOIN tenants t ON t.id = a.tenant_id"
                + " WHERE t.slug = ? AND a.action IN ('tenant.created', 'member.added', 'tenant.plan_scheduled')",
                slug));

        // whoever verified the address the creator typed is still an outsider; so is anyone else
        Api.as(Tokens.user(email)).get("/api/v1/tenants/" + slug + "/plan").then().statusCode(404);
        Api.as(Tokens.user(Api.unique("other") + "@example.test")).get("/api/v1/tenants/" + slug + "/keys").then()
                .statusCode(404);
    }

    @Test
    void onePersonsConcurrentSignupsStopAtTheLimit() throws Exception {
        open(PlanBodies.create(PlanBodies.spec()), 2);
        String subject = "sub-" + UUID.randomUUID();
        String person = Tokens.token(subject, null);
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String slug = Api.unique("race");
            calls.add(() -> Api.as(person).body(Map.of("slug", slug, "name", "Race")).post("/api/v1/signup")
                    .then().extract().statusCode());
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        Map<Integer, Integer> statuses = new HashMap<>();
        try {
            for (Future<Integer> answer : pool.invokeAll(calls)) {
                statuses.merge(answer.get(), 1, Integer::sum);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(Map.of(201, 2, 409, 4), statuses);
        assertEquals(2, db.count("SELECT count(*) FROM tenants WHERE signed_up_by = ?", subject));
        assertEquals(2, db.count("SELECT count(*) FROM tenant_members WHERE subject = ? AND role = 'ADMIN'", subject));
        Api.as(person).body(Map.of("slug", Api.unique("more"), "name", "More")).post("/api/v1/signup").then()
                .statusCode(409).body("code", equalTo("signup_limit_reached"));
        Api.as(person).get("/api/v1/signup").then().body("tenants_created", equalTo(2));

        // another person is not held back by the first one's tenants
        Api.as(Tokens.user(Api.unique("p") + "@example.test")).body(Map.of("slug", Api.unique("own"), "name", "Own"))
                .post("/api/v1/signup").then().statusCode(201);
    }

    @Test
    void takenSlugAndBadBodiesAreRefusedWithNothingLeft() {
        open(PlanBodies.create(PlanBodies.spec()), 3);
        String person = Tokens.user(Api.unique("p") + "@example.test");
        String taken = Api.createTenant();
        Api.as(person).body(Map.of("slug", taken, "name", "Mine now")).post("/api/v1/signup").then()
                .statusCode(409).body("code", equalTo("tenant_exists"));
        Api.as(person).body(Map.of("slug", "Not A Slug", "name", "X")).post("/api/v1/signup").then()
                .statusCode(400).body("code", equalTo("validation_failed")).body("violations.field", hasItem("slug"));
        String slug = Api.unique("noname");
        Api.as(person).body(Map.of("slug", slug)).post("/api/v1/signup").then()
                .statusCode(400).body("violations.field", hasItem("name"));
        Api.as(person).body("[1]").post("/api/v1/signup").then().statusCode(400);
        assertEquals(0, db.count("SELECT count(*) FROM tenants WHERE slug = ?", slug));
        assertEquals(0, db.count("SELECT count(*) FROM tenant_members m JOIN tenants t ON t.id = m.tenant_id"
                + " WHERE t.slug = ?", taken), "the taken tenant gained no member");
        Api.as(person).get("/api/v1/signup").then().body("tenants_created", equalTo(0));
    }

    @Test
    void theTenantsBillingTimeZoneIsChosenAtSignup() {
        open(PlanBodies.create(PlanBodies.spec()), 3);
        String person = Tokens.user(Api.unique("p") + "@example.test");
        String slug = Api.unique("paris");
        Api.as(person).body(Map.of("slug", slug, "name", "Paris", "time_zone", "Europe/Paris"))
                .post("/api/v1/signup").then().statusCode(201);
        Api.as(person).get("/api/v1/tenants/" + slug + "/plan").then().statusCode(200)
                .body("time_zone", equalTo("Europe/Paris"));
        String bad = Api.unique("nowhere");
        Api.as(person).body(Map.of("slug", bad, "name", "Nowhere", "time_zone", "Mars/Olympus_Mons"))
                .post("/api/v1/signup").then().statusCode(400).body("code", equalTo("invalid_time_zone"));
        assertEquals(0, db.count("SELECT count(*) FROM tenants WHERE slug = ?", bad));
        Api.as(person).get("/api/v1/signup").then().body("tenants_created", equalTo(1));
    }

    @Test
    void archivingTheSignupPlanClosesSignupUntilRestored() {
        String planId = PlanBodies.create(PlanBodies.spec());
        open(planId, 3);
        Api.as(Tokens.admin()).post("/admin/v1/plans/" + planId + "/archive").then().statusCode(200);
        Api.as(Tokens.admin()).get("/admin/v1/signup").then().statusCode(200).body("open", equalTo(false))
                .body("plan_id", equalTo(planId)).body("plan_archived", equalTo(true));
        String person = Tokens.user(Api.unique("p") + "@example.test");
        Api.as(person).body(Map.of("slug", Api.unique("arch"), "name", "A")).post("/api/v1/signup").then()
                .statusCode(403).body("code", equalTo("signup_closed"));
        Api.as(Tokens.admin()).post("/admin/v1/plans/" + planId + "/restore").then().statusCode(200);
        Api.as(person).body(Map.of("slug", Api.unique("back"), "name", "B")).post("/api/v1/signup").then()
                .statusCode(201);
    }

    @Test
    void aSignupWaitingForItsPlanSeesTheArchiveCommittedMeanwhile() {
        String planId = PlanBodies.create(PlanBodies.spec());
        open(planId, 3);
        String person = Tokens.user(Api.unique("p") + "@example.test");
        String slug = Api.unique("late");
        int status = db.whileHolding(() -> Api.as(person).body(Map.of("slug", slug, "name", "Late"))
                .post("/api/v1/signup").then().extract().statusCode(),
                "UPDATE plans SET archived_at = now() WHERE id = ?", UUID.fromString(planId));
        assertEquals(409, status, "a tenant was put on a plan archived while it signed up");
        assertEquals(0, db.count("SELECT count(*) FROM tenants WHERE slug = ?", slug));
    }

    @Test
    void adminPolicyIsValidatedAuditedAndAdminsOnly() {
        String planId = PlanBodies.create(PlanBodies.spec());
        open(null, 3);
        long audited = db.count("SELECT count(*) FROM audit_log WHERE action = 'signup.changed'");
        Api.as(Tokens.admin()).body(Map.of("plan_id", planId, "max_tenants_per_person", 5)).put("/admin/v1/signup")
                .then().statusCode(200).body("open", equalTo(true)).body("plan_id", equalTo(planId))
                .body("max_tenants_per_person", equalTo(5)).body("updated_by", equalTo("admin@aiaas.test"));
        // the same policy again changes nothing and records nothing
        Api.as(Tokens.admin()).body(Map.of("plan_id", planId, "max_tenants_per_person", 5)).put("/admin/v1/signup")
                .then().statusCode(200);
        assertEquals(audited + 1, db.count("SELECT count(*) FROM audit_log WHERE action = 'signup.changed'"));

        Api.as(Tokens.admin()).body(Map.of("plan_id", UUID.randomUUID().toString(), "max_tenants_per_person", 3))
                .put("/admin/v1/signup").then().statusCode(400).body("code", equalTo("unknown_plan"));
        Api.as(Tokens.admin()).body(Map.of("plan_id", "not-a-uuid", "max_tenants_per_person", 3))
                .put("/admin/v1/signup").then().statusCode(400);
        for (Object max : new Object[] {0, 101, "many"}) {
            Api.as(Tokens.admin()).body(Map.of("plan_id", planId, "max_tenants_per_person", max))
                    .put("/admin/v1/signup").then().statusCode(400);
        }
        Api.as(Tokens.admin()).body(Map.of("plan_id", planId)).put("/admin/v1/signup").then().statusCode(400)
                .body("violations.field", hasItem("max_tenants_per_person"));
        String archived = PlanBodies.create(PlanBodies.spec());
        Api.as(Tokens.admin()).post("/admin/v1/plans/" + archived + "/archive").then().statusCode(200);
        Api.as(Tokens.admin()).body(Map.of("plan_id", archived, "max_tenants_per_person", 3))
                .put("/admin/v1/signup").then().statusCode(409).body("code", equalTo("plan_archived"));
        // nothing of the refused changes stuck
        Api.as(Tokens.admin()).get("/admin/v1/signup").then().body("plan_id", equalTo(planId))
                .body("max_tenants_per_person", equalTo(5));

        String person = Tokens.user(Api.unique("p") + "@example.test");
        Api.as(person).get("/admin/v1/signup").then().statusCode(403);
        Api.as(person).body(Map.of("plan_id", planId, "max_tenants_per_person", 100)).put("/admin/v1/signup").then()
                .statusCode(403);
        given().get("/admin/v1/signup").then().statusCode(401);
    }

    private static void open(String planId, int maxPerPerson) {
        Map<String, Object> body = new HashMap<>();
        body.put("plan_id", planId);
        body.put("max_tenants_per_person", maxPerPerson);
        Api.as(Tokens.admin()).body(body).put("/admin/v1/signup").then().statusCode(200)
                .body("open", equalTo(planId != null));
    }
}
