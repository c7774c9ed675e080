package io.aiaas.platform.tenant;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * PATCH .../members/{id} changes a member's role (tenant API for tenant admins, admin API for platform admins); no
 * change of role and no removal may leave a tenant without an admin (409 last_admin).
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class MemberRoleTest {

    @Inject
    TestDb db;

    String memberId(String slug, String email) {
        return db.value("SELECT m.id FROM tenant_members m JOIN tenants t ON t.id = m.tenant_id"
                + " WHERE t.slug = ? AND m.email = ?", slug, email).toString();
    }

    String role(String id) {
        return (String) db.value("SELECT role FROM tenant_members WHERE id = ?", UUID.fromString(id));
    }

    long admins(String slug) {
        return db.count("SELECT count(*) FROM tenant_members m JOIN tenants t ON t.id = m.tenant_id"
                + " WHERE t.slug = ? AND m.role = 'ADMIN'", slug);
    }

    String members(String slug) {
        return "/api/v1/tenants/" + slug + "/members/";
    }

    @Test
    void tenantAdminPromotesAndDemotesAndTheRoleTakesEffect() {
        Api.TenantUser alice = Api.tenantWithAdmin();
        Api.TenantUser bob = Api.userOf(alice.slug(), "member");
        String bobId = memberId(alice.slug(), bob.email());
        Api.as(bob.token()).body(Map.of("name", "k")).post("/api/v1/tenants/" + alice.slug() + "/keys").then()
                .statusCode(403);

        Api.as(alice.token()).body(Map.of("role", "admin")).patch(members(alice.slug()) + bobId).then()
                .statusCode(200).body("id", equalTo(bobId)).body("email", equalTo(bob.email()))
                .body("role", equalTo("admin"));
        assertEquals("ADMIN", role(bobId));
        Api.as(bob.token()).body(Map.of("name", "k")).post("/api/v1/tenants/" + alice.slug() + "/keys").then()
                .statusCode(201);

        // with two admins, either may step down
        String aliceId = memberId(alice.slug(), alice.email());
        Api.as(alice.token()).body(Map.of("role", "member")).patch(members(alice.slug()) + aliceId).then()
                .statusCode(200).body("role", equalTo("member"));
        assertEquals("MEMBER", role(aliceId));
        Api.as(alice.token()).body(Map.of("role", "admin")).patch(members(alice.slug()) + aliceId).then()
                .statusCode(403).body("code", equalTo("forbidden"));
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'member.role_changed'"
                + " AND target_id = ? AND details->>'from' = 'MEMBER' AND details->>'to' = 'ADMIN'", bobId));
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'member.role_changed'"
                + " AND target_id = ? AND actor = ?", aliceId, alice.email()));
    }

    @Test
    void theSameRoleAgainChangesNothing() {
        Api.TenantUser alice = Api.tenantWithAdmin();
        String aliceId = memberId(alice.slug(), alice.email());
        Api.as(alice.token()).body(Map.of("role", "admin")).patch(members(alice.slug()) + aliceId).then()
                .statusCode(200).body("role", equalTo("admin"));
        assertEquals(0, db.count("SELECT count(*) FROM audit_log WHERE action = 'member.role_changed'"
                + " AND target_id = ?", aliceId));
    }

    @Test
    void theLastAdminCanBeNeitherDemotedNorRemoved() {
        Api.TenantUser alice = Api.tenantWithAdmin();
        Api.TenantUser carol = Api.userOf(alice.slug(), "member");
        String aliceId = memberId(alice.slug(), alice.email());
        String carolId = memberId(alice.slug(), carol.email());
        Api.as(alice.token()).body(Map.of("role", "member")).patch(members(alice.slug()) + aliceId).then()
                .statusCode(409).body("code", equalTo("last_admin"));
        Api.as(alice.token()).delete(members(alice.slug()) + aliceId).then().statusCode(409)
                .body("code", equalTo("last_admin"));
        // a platform admin is held to the same rule, on both APIs
        String admin = Tokens.admin();
        Api.as(admin).body(Map.of("role", "member")).patch(members(alice.slug()) + aliceId).then().statusCode(409)
                .body("code", equalTo("last_admin"));
        Api.as(admin).body(Map.of("role", "member"))
                .patch("/admin/v1/tenants/" + alice.slug() + "/members/" + aliceId).then().statusCode(409)
                .body("code", equalTo("last_admin"));
        Api.as(admin).delete("/admin/v1/tenants/" + alice.slug() + "/members/" + aliceId).then().statusCode(409)
                .body("code", equalTo("last_admin"));
        assertEquals("ADMIN", role(aliceId));
        assertEquals(1, admins(alice.slug()));
        // plain members come and go freely
        Api.as(alice.token()).delete(members(alice.slug()) + carolId).then().statusCode(204);
        assertEquals(0, db.count("SELECT count(*) FROM tenant_members WHERE id = ?", UUID.fromString(carolId)));

        // once there is another admin, the first may leave
        Api.TenantUser dave = Api.userOf(alice.slug(), "admin");
        Api.as(dave.token()).delete(members(alice.slug()) + aliceId).then().statusCode(204);
        assertEquals(1, admins(alice.slug()));
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'member.removed' AND target_id = ?",
                aliceId));
    }

    @Test
    void twoAdminsDemotingEachOtherAtOnceLeaveOneAdmin() throws Exception {
        for (int round = 0; round < 5; round++) {
            Api.TenantUser alice = Api.tenantWithAdmin();
            Api.TenantUser bob = Api.userOf(alice.slug(), "admin");
            String aliceId = memberId(alice.slug(), alice.email());
            String bobId = memberId(alice.slug(), bob.email());
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (String[] pair : new String[][] {{alice.token(), bobId}, {bob.token(), aliceId}}) {
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Api.as(pair[0]).body(Map.of("role", "member")).patch(members(alice.slug()) + pair[1])
                            .statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = calls.stream().map(CompletableFuture::join).sorted().toList();
            // the loser is refused as last_admin (409) or, if the winner committed first, as no longer admin (403)
            assertEquals(200, statuses.get(0), "statuses " + statuses);
            org.hamcrest.MatcherAssert.assertThat(List.of(403, 409), hasItem(statuses.get(1)));
            assertEquals(1, admins(alice.slug()));
        }
    }

    @Test
    void refusalsChangeNothing() {
        Api.TenantUser alice = Api.tenantWithAdmin();
        Api.TenantUser erin = Api.userOf(alice.slug(), "member");
        String erinId = memberId(alice.slug(), erin.email());
        Api.as(erin.token()).body(Map.of("role", "admin")).patch(members(alice.slug()) + erinId).then()
                .statusCode(403).body("code", equalTo("forbidden"));
        Api.TenantUser outsider = Api.tenantWithAdmin();
        Api.as(outsider.token()).body(Map.of("role", "admin")).patch(members(alice.slug()) + erinId).then()
                .statusCode(404).body("code", equalTo("tenant_not_found"));
        // the outsider's own tenant with erin's id: not one of its members
        Api.as(outsider.token()).body(Map.of("role", "admin")).patch(members(outsider.slug()) + erinId).then()
                .statusCode(404).body("code", equalTo("member_not_found"));
        Api.as(alice.token()).body(Map.of("role", "admin")).patch(members(alice.slug()) + UUID.randomUUID())
                .then().statusCode(404).body("code", equalTo("member_not_found"));
        for (Object bad : new Object[] {"owner", "ADMIN", "", 1}) {
            Api.as(alice.token()).body(Map.of("role", bad)).patch(members(alice.slug()) + erinId).then()
                    .statusCode(400).body("detail", org.hamcrest.Matchers.containsString("role"));
        }
        Api.as(alice.token()).body(Map.of()).patch(members(alice.slug()) + erinId).then().statusCode(400)
                .body("code", equalTo("validation_failed")).body("violations.field", hasItem("role"));
        Api.as(erin.token()).body(Map.of("role", "admin"))
                .patch("/admin/v1/tenants/" + alice.slug() + "/members/" + erinId).then().statusCode(403);
        assertEquals("MEMBER", role(erinId));
        assertEquals(0, db.count("SELECT count(*) FROM audit_log WHERE action = 'member.role_changed'"
                + " AND target_id = ?", erinId));
    }

    @Test
    void platformAdminChangesRolesThroughTheAdminApi() {
        String slug = Api.createTenant();
        String email = Api.unique("fay") + "@example.test";
        Api.addMember(slug, email, "member");
        String id = memberId(slug, email);
        Api.as(Tokens.admin()).body(Map.of("role", "admin")).patch("/admin/v1/tenants/" + slug + "/members/" + id)
                .then().statusCode(200).body("role", equalTo("admin"));
        assertEquals("ADMIN", role(id));
        Api.as(Tokens.admin()).body(Map.of("role", "admin"))
                .patch("/admin/v1/tenants/" + Api.unique("none") + "/members/" + id).then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
    }
}
