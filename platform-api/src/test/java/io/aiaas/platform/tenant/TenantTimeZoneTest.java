package io.aiaas.platform.tenant;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.aiaas.platform.access.Caller;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.tenant.service.TenantService;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A tenant's admins move its billing periods to another time zone; members may not, other tenants' people see 404; a
 * zone still in a month that has ended in the current one is refused (its calls might never be invoiced), whoever
 * asks.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class TenantTimeZoneTest {

    static final Caller ADMIN = new Caller("admin-sub", "admin@aiaas.test", true, "admin", true);

    @Inject
    TenantService tenants;
    @Inject
    TestDb db;

    static String zone(String slug, String token) {
        return Api.as(token).get("/api/v1/tenants/" + slug + "/plan").then().statusCode(200).extract()
                .path("time_zone");
    }

    @Test
    void aTenantAdminMovesItsBillingPeriodsAndMembersAndStrangersMayNot() {
        Api.TenantUser admin = Api.tenantWithAdmin();
        String url = "/api/v1/tenants/" + admin.slug() + "/time-zone";
        Api.as(admin.token()).body(Map.of("time_zone", " Europe/Paris ")).put(url).then().statusCode(200)
                .body("time_zone", equalTo("Europe/Paris"));
        assertEquals("Europe/Paris", zone(admin.slug(), admin.token()));
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'tenant.time_zone_changed'"
                + " AND target_id = ?", admin.slug()));
        // the same zone again changes nothing
        Api.as(admin.token()).body(Map.of("time_zone", "Europe/Paris")).put(url).then().statusCode(200);
        assertEquals(1, db.count("SELECT count(*) FROM audit_log WHERE action = 'tenant.time_zone_changed'"
                + " AND target_id = ?", admin.slug()));

        Api.as(admin.token()).body(Map.of("time_zone", "Mars/Olympus")).put(url).then().statusCode(400)
                .body("code", equalTo("invalid_time_zone"));
        Api.as(admin.token()).body(Map.of("time_zone", " ")).put(url).then().statusCode(400)
                .body("code", equalTo("validation_failed"));
        Api.as(admin.token()).body(Map.of()).put(url).then().statusCode(400);

        Api.TenantUser member = Api.userOf(admin.slug(), "member");
        Api.as(member.token()).body(Map.of("time_zone", "UTC")).put(url).then().statusCode(403);
        Api.TenantUser stranger = Api.tenantWithAdmin();
        Api.as(stranger.token()).body(Map.of("time_zone", "UTC")).put(url).then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
        assertEquals("Europe/Paris", zone(admin.slug(), admin.token()));

        Api.as(admin.token()).body(Map.of("confirm", admin.slug())).post("/api/v1/tenants/" + admin.slug()
                + "/close").then().statusCode(200);
        Api.as(admin.token()).body(Map.of("time_zone", "UTC")).put(url).then().statusCode(409)
                .body("code", equalTo("tenant_closed"));
    }

    @Test
    void aZoneStillInAMonthThatHasEndedIsRefusedUntilItEntersTheCurrentOne() {
        Api.TenantUser admin = Api.tenantWithAdmin();
        // 01:45 UTC on 1 December: New York is still in November, which has ended in UTC
        ApiException refused = assertThrows(ApiException.class, () -> tenants.changeTimeZone(admin.slug(),
                "America/New_York", ADMIN, Instant.parse("2026-12-01T01:45:00Z")));
        assertEquals(409, refused.status());
        assertEquals("time_zone_change_too_early", refused.code());
        assertEquals("In America/New_York it is still 2026-11, a billing period that has ended in UTC; calls"
                + " recorded in it now might never be invoiced. Change the time zone from 2026-12-01T05:00:00Z on",
                refused.getMessage());
        assertEquals("UTC", zone(admin.slug(), admin.token()), "nothing changed");
        assertEquals(0, db.count("SELECT count(*) FROM audit_log WHERE action = 'tenant.time_zone_changed'"
                + " AND target_id = ?", admin.slug()));
        assertEquals("America/New_York", tenants.changeTimeZone(admin.slug(), "America/New_York", ADMIN,
                Instant.parse("2026-12-01T05:00:00Z")));

        // the platform admin's PATCH goes through the same rule (Tokyo is ahead of New York: never refused)
        Api.as(Tokens.admin()).body(Map.of("time_zone", "Asia/Tokyo")).patch("/admin/v1/tenants/" + admin.slug())
                .then().statusCode(200).body("time_zone", equalTo("Asia/Tokyo"));
        Api.as(Tokens.admin()).body(Map.of("time_zone", "Nowhere/Else")).patch("/admin/v1/tenants/" + admin.slug())
                .then().statusCode(400).body("detail", containsString("Nowhere/Else"));
    }
}
