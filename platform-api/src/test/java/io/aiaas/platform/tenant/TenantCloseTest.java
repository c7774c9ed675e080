package io.aiaas.platform.tenant;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.Calls;
import io.aiaas.platform.testsupport.Api.TenantUser;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.PlanBodies;
import io.aiaas.platform.testsupport.ServedModelTest;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Closing a tenant: only its admins (or a platform admin) do it, after typing its slug; its keys stop on the spot,
 * its plan ends (the period's fee stays), nothing of it changes afterwards, and what it used and owes stays readable.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class TenantCloseTest extends ServedModelTest {

    @BeforeEach
    void setUp() throws Exception {
        Map<String, Object> spec = PlanBodies.spec();
        spec.put("monthly_fee_micros", 9_000_000L);
        spec.put("prices", new ArrayList<>(List.of(PlanBodies.price(null, PlanBodies.tiers(
                PlanBodies.tier(null, 1_000_000L))))));
        PlanBodies.assign(admin.slug(), PlanBodies.create(spec));
    }

    @Test
    void closingRevokesEveryKeyEndsThePlanAndLeavesWhatItUsedAndOwesReadable() {
        String first = key("first");
        String second = key("second");
        Calls.infer(first, model.name()).then().statusCode(200).header("x-aiaas-cost", "0.001");
        // a plan change an admin scheduled for later: closing cancels it
        Map<String, Object> later = PlanBodies.spec();
        String laterPlan = PlanBodies.create(later);
        Api.as(Tokens.admin()).body(Map.of("plan_id", laterPlan, "plan_effective_at",
                Instant.now().plus(40, ChronoUnit.DAYS).toString())).patch("/admin/v1/tenants/" + admin.slug())
                .then().statusCode(200).body("next_plan.id", equalTo(laterPlan));
        TenantUser member = Api.userOf(admin.slug(), "member");

        // refused, with nothing changed: a wrong or missing confirmation, a member, an outsider
        close(admin.token(), Map.of("confirm", admin.slug() + "x")).then().statusCode(400)
                .body("code", equalTo("confirmation_mismatch")).body("detail", containsString(admin.slug()));
        close(admin.token(), Map.of()).then().statusCode(400).body("code", equalTo("validation_failed"));
        close(member.token(), Map.of("confirm", admin.slug())).then().statusCode(403)
                .body("code", equalTo("forbidden"));
        close(Api.tenantWithAdmin().token(), Map.of("confirm", admin.slug())).then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
        assertEquals("ACTIVE", db.value("SELECT status FROM tenants WHERE slug = ?", admin.slug()));
        Calls.infer(second, model.name()).then().statusCode(200);

        close(admin.token(), Map.of("confirm", admin.slug())).then().statusCode(200)
                .body("status", equalTo("closed")).body("closed_at", notNullValue())
                .body("plan", nullValue()).body("next_plan", nullValue());

        // its keys stop at once (this replica; every other one by the NOTIFY the revocations send)
        Calls.infer(first, model.name()).then().statusCode(401);
        Calls.infer(second, model.name()).then().statusCode(401);
        Api.as(admin.token()).get(keys()).then().statusCode(200).body("status", everyItem(equalTo("revoked")))
                .body("", hasSize(2));
        UUID tenantId = (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", admin.slug());
        assertEquals(0, db.count("SELECT count(*) FROM tenant_plans WHERE tenant_id = ? AND plan_id = ?::uuid",
                tenantId, laterPlan));
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action = 'tenant.closed'"
                + " AND details ->> 'revoked_keys' = '2' AND details ->> 'cancelled_plan_changes' = '1'", tenantId));
        assertEquals(2, db.count("SELECT count(*) FROM audit_log WHERE tenant_id = ? AND action = 'api_key.revoked'"
                + " AND details ->> 'reason' = 'tenant_closed'", tenantId));

        // what it used and owes stays readable, for members too: no plan now, this period's fee still owed
        Api.as(member.token()).get(base() + "/plan").then().statusCode(200).body("plan", nullValue())
                .body("next_plan", nullValue());
        Api.as(member.token()).get(base() + "/invoices/upcoming").then().statusCode(200)
                .body("fee_nanos", equalTo(9_000_000_000L)).body("usage_nanos", equalTo(2_000_000));
        Api.as(member.token()).get(base() + "/usage").then().statusCode(200)
                .body("totals.billable_requests", equalTo(2));
        Api.as(admin.token()).get(base() + "/audit").then().statusCode(200);
        Api.as(admin.token()).get(base() + "/webhook/deliveries").then().statusCode(200);
        Api.as(member.token()).get("/api/v1/me").then().statusCode(200)
                .body("tenants.find { it.slug == '" + admin.slug() + "' }.status", equalTo("closed"));
        Api.as(Tokens.admin()).get("/admin/v1/tenants/" + admin.slug()).then().statusCode(200)
                .body("status", equalTo("closed")).body("plan", nullValue());
    }

    @Test
    void nothingOfAClosedTenantChangesForItsAdminsOrAPlatformAdmin() {
        String id = (String) Api.as(admin.token()).body(Map.of("name", "k")).post(keys()).then().statusCode(201)
                .extract().path("id");
        // a platform admin closes it through the same door
        close(Tokens.admin(), Map.of("confirm", admin.slug())).then().statusCode(200);
        String closedAt = (String) db.value("SELECT closed_at::text FROM tenants WHERE slug = ?", admin.slug());

        List<Response> refused = List.of(
                close(admin.token(), Map.of("confirm", admin.slug())),
                Api.as(admin.token()).body(Map.of("name", "again")).post(keys()),
                Api.as(admin.token()).body(Map.of("overlap_seconds", 0)).post(keys() + "/" + id + "/rotate"),
                Api.as(admin.token()).body(Map.of("monthly_budget_micros", 5)).put(keys() + "/" + id + "/budget"),
                Api.as(admin.token()).delete(keys() + "/" + id),
                Api.as(admin.token()).body(Map.of("email", "x@example.test", "role", "member"))
                        .post(base() + "/members"),
                Api.as(admin.token()).body(Map.of("plan_id", UUID.randomUUID().toString())).put(base() + "/plan"),
                Api.as(admin.token()).body(Map.of("url", "https://example.test/hook")).put(base() + "/webhook"),
                Api.as(admin.token()).body(Map.of("legal_name", "Gone Ltd", "address_line1", "1 Road", "city", "Town",
                        "country", "GB")).put(base() + "/billing-profile"),
                Api.as(admin.token()).body(Map.of("version", "latest"))
                        .put(base() + "/models/" + model.name() + "/settings"),
                Api.as(Tokens.admin()).body(Map.of("status", "active")).patch("/admin/v1/tenants/" + admin.slug()),
                Api.as(Tokens.admin()).body(Map.of("name", "renamed")).patch("/admin/v1/tenants/" + admin.slug()),
                Api.as(Tokens.admin()).body(Map.of("email", "y@example.test", "role", "admin"))
                        .post("/admin/v1/tenants/" + admin.slug() + "/members"));
        for (Response response : refused) {
            response.then().statusCode(409).body("code", equalTo("tenant_closed"))
                    .body("detail", containsString("closed"));
        }
        assertEquals("CLOSED", db.value("SELECT status FROM tenants WHERE slug = ?", admin.slug()));
        assertEquals(closedAt, db.value("SELECT closed_at::text FROM tenants WHERE slug = ?", admin.slug()));
        assertEquals(1, db.count("SELECT count(*) FROM api_keys k JOIN tenants t ON t.id = k.tenant_id"
                + " WHERE t.slug = ?", admin.slug()));
        assertEquals(1, db.count("SELECT count(*) FROM tenant_members m JOIN tenants t ON t.id = m.tenant_id"
                + " WHERE t.slug = ?", admin.slug()));
    }

    @Test
    void aClosedTenantsAdminsMayStillStopItsWebhook() {
        TenantUser member = Api.userOf(admin.slug(), "member");
        Api.as(admin.token()).body(Map.of("url", "http://127.0.0.1:9/hook")).put(base() + "/webhook").then()
                .statusCode(200);
        close(admin.token(), Map.of("confirm", admin.slug())).then().statusCode(200);
        Api.as(admin.token()).get(base() + "/webhook").then().statusCode(200);
        Api.as(member.token()).delete(base() + "/webhook").then().statusCode(403);
        Api.as(admin.token()).delete(base() + "/webhook").then().statusCode(204);
        Api.as(admin.token()).get(base() + "/webhook").then().statusCode(404);
        assertEquals(1, db.count("SELECT count(*) FROM audit_log a JOIN tenants t ON t.id = a.tenant_id"
                + " WHERE t.slug = ? AND a.action = 'webhook.removed'", admin.slug()));
        Api.as(admin.token()).body(Map.of("url", "https://example.test/again")).put(base() + "/webhook").then()
                .statusCode(409).body("code", equalTo("tenant_closed"));
    }

    @Test
    void aKeyThatSlippedInWhileTheTenantClosedCannotCall() {
        close(admin.token(), Map.of("confirm", admin.slug())).then().statusCode(200);
        // a key inserted as a concurrent issue would have, after the close revoked the others
        UUID tenantId = (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", admin.slug());
        String late = fixtures.key(new Fixtures.Tenant(tenantId, admin.slug()));

        Calls.infer(late, model.name()).then().statusCode(403).body("code", equalTo("tenant_closed"));
        assertEquals(1, db.count("SELECT count(*) FROM usage_records WHERE tenant_id = ? AND NOT billable"
                + " AND error_code = 'tenant_closed'", tenantId));
    }

    @Test
    void aChangeThatWaitedForTheTenantWhileItClosedIsRefused() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection closing = db.connection()) {
            closing.setAutoCommit(false);
            // hold the tenant's row as a close in progress does
            try (PreparedStatement lock = closing.prepareStatement(
                    "SELECT id FROM tenants WHERE slug = ? FOR UPDATE")) {
                lock.setString(1, admin.slug());
                lock.executeQuery().close();
            }
            Future<Response> add = pool.submit(() -> Api.as(admin.token())
                    .body(Map.of("email", "late@example.test", "role", "member")).post(base() + "/members"));
            Thread.sleep(500); // the request has read the tenant open and waits for its lock
            try (PreparedStatement close = closing.prepareStatement(
                    "UPDATE tenants SET status = 'CLOSED', closed_at = now() WHERE slug = ?")) {
                close.setString(1, admin.slug());
                close.executeUpdate();
            }
            closing.commit();
            add.get(10, TimeUnit.SECONDS).then().statusCode(409).body("code", equalTo("tenant_closed"));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, db.count("SELECT count(*) FROM tenant_members WHERE email = 'late@example.test'"));
    }

    String key(String name) {
        return Api.as(admin.token()).body(Map.of("name", name)).post(keys()).then().statusCode(201).extract()
                .path("key");
    }

    Response close(String token, Map<String, Object> body) {
        return Api.as(token).body(body).post(base() + "/close");
    }


    String base() {
        return "/api/v1/tenants/" + admin.slug();
    }

    String keys() {
        return base() + "/keys";
    }
}
