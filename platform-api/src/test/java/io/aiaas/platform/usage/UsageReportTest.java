package io.aiaas.platform.usage;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.BilledUsage;
import io.aiaas.platform.testsupport.TestDb;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class UsageReportTest {

    @Inject
    TestDb db;

    @Inject
    BilledUsage usage;

    /** Two hours ago, at the start of that hour (UTC): all rows fall in one test-chosen window. */
    static final OffsetDateTime BASE = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS).minusHours(2);

    UUID tenantId(String slug) {
        return (UUID) db.query("SELECT id FROM tenants WHERE slug = ?", slug).get(0).get("id");
    }

    void row(UUID tenant, UUID key, String model, int status, int items, long computeUs, OffsetDateTime at) {
        // as the usage writer does: the row and its hourly roll-up
        usage.call(tenant).key(key).model(model).status(status).items(items).computeUs(computeUs).at(at.toInstant())
                .insert();
    }

    @Test
    void bucketsGroupingAndIsolation() {
        Api.TenantUser alice = Api.tenantWithMember();
        Api.TenantUser bob = Api.tenantWithMember();
        UUID a = tenantId(alice.slug());
        UUID k1 = UUID.randomUUID();
        UUID k2 = UUID.randomUUID();
        row(a, k1, "iris", 200, 3, 1500, BASE.plusMinutes(5));
        row(a, k1, "iris", 200, 2, 500, BASE.plusMinutes(50));
        row(a, k2, "iris", 400, 0, 0, BASE.plusMinutes(70));
        row(a, k2, "linear", 200, 1, 1000, BASE.plusMinutes(80));
        row(a, k2, "linear", 503, 0, 0, BASE.plusMinutes(90));
        row(tenantId(bob.slug()), UUID.randomUUID(), "iris", 200, 100, 99000, BASE.plusMinutes(10));
        String start = BASE.toInstant().toString();
        String end = BASE.plusHours(2).toInstant().toString();
        String url = "/api/v1/tenants/" + alice.slug() + "/usage";

        Api.as(alice.token()).queryParam("start", start).queryParam("end", end).get(url).then().statusCode(200)
                .body("bucket_width", equalTo("1h")).body("buckets", hasSize(2))
                .body("buckets[0].start", equalTo(start))
                .body("buckets[0].requests", equalTo(2)).body("buckets[0].billable_requests", equalTo(2))
                .body("buckets[0].items", equalTo(5)).body("buckets[0].compute_ms", equalTo(2.0f))
                .body("buckets[0].bytes_in", equalTo(200)).body("buckets[0].bytes_out", equalTo(80))
                .body("buckets[1].requests", equalTo(3)).body("buckets[1].errors", equalTo(2))
                .body("buckets[1].billable_requests", equalTo(1))
                .body("totals.requests", equalTo(5)).body("totals.items", equalTo(6));

        Api.as(alice.token()).queryParam("start", start).queryParam("end", end).queryParam("group_by", "model")
                .get(url).then().statusCode(200).body("group_by", equalTo("model")).body("buckets", hasSize(3))
                .body("buckets.findAll { it.group == 'linear' }.requests", equalTo(java.util.List.of(2)))
                .body("buckets.findAll { it.group == 'iris' }.requests", equalTo(java.util.List.of(2, 1)));

        Api.as(alice.token()).queryParam("start", start).queryParam("end", end).queryParam("group_by", "key")
                .queryParam("bucket_width", "1d").get(url).then().statusCode(200)
                .body("buckets.find { it.group == '" + k2 + "' }.requests", equalTo(3))
                .body("buckets.find { it.group == '" + k1 + "' }.requests", equalTo(2))
                .body("totals.requests", equalTo(5));

        // bob's 100 items never show up in alice's report, and his report shows only his row
        Api.as(bob.token()).queryParam("start", start).queryParam("end", end)
                .get("/api/v1/tenants/" + bob.slug() + "/usage").then().statusCode(200)
                .body("totals.requests", equalTo(1)).body("totals.items", equalTo(100));
        Api.as(bob.token()).get(url).then().statusCode(404);
    }

    @Test
    void defaultsToTheLast24HoursInHourlyBuckets() {
        Api.TenantUser alice = Api.tenantWithMember();
        UUID a = tenantId(alice.slug());
        row(a, UUID.randomUUID(), "iris", 200, 1, 10, OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1));
        row(a, UUID.randomUUID(), "iris", 200, 1, 10, OffsetDateTime.now(ZoneOffset.UTC).minusHours(30));
        Api.as(alice.token()).get("/api/v1/tenants/" + alice.slug() + "/usage").then().statusCode(200)
                .body("bucket_width", equalTo("1h")).body("totals.requests", equalTo(1));
    }

    @Test
    void badParametersAre400() {
        Api.TenantUser alice = Api.tenantWithMember();
        String url = "/api/v1/tenants/" + alice.slug() + "/usage";
        Api.as(alice.token()).queryParam("start", "yesterday").get(url).then().statusCode(400)
                .body("code", equalTo("invalid_parameter")).body("detail", org.hamcrest.Matchers.containsString("start"));
        Api.as(alice.token()).queryParam("bucket_width", "5m").get(url).then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("bucket_width"));
        Api.as(alice.token()).queryParam("group_by", "tenant").get(url).then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("group_by"));
        Api.as(alice.token()).queryParam("start", "2026-01-02T00:00:00Z").queryParam("end", "2026-01-01T00:00:00Z")
                .get(url).then().statusCode(400);
        Api.as(alice.token()).queryParam("start", "2020-01-01T00:00:00Z").queryParam("end", "2026-01-01T00:00:00Z")
                .get(url).then().statusCode(400);
    }
}
