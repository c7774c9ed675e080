package io.aiaas.platform.usage;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.BilledUsage;
import io.aiaas.platform.testsupport.TestDb;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Hour and day buckets are read from the hourly roll-ups (plus the raw rows of partial hours at the range's edges),
 * minute buckets from the rows: every answer must equal an aggregate over the raw rows.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class UsageRollupReportTest {

    @Inject
    BilledUsage usage;

    @Inject
    TestDb db;

    /** Two days ending at the start of this hour, so the rows are in the past and fall in existing partitions. */
    static final Instant END = Instant.now().truncatedTo(ChronoUnit.HOURS);
    static final Instant START = END.minus(Duration.ofDays(2));

    UUID tenantId(String slug) {
        return (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", slug);
    }

    /** 300 calls spread over the two days: three models (one call without a model), two keys and none. */
    void seed(UUID tenant, long seed) {
        Random random = new Random(seed);
        String[] models = {"iris", "linear", "mlp", null};
        UUID[] keys = {UUID.randomUUID(), UUID.randomUUID(), null};
        int[] statuses = {200, 200, 200, 200, 400, 429, 503};
        for (int i = 0; i < 300; i++) {
            Instant at = START.plusSeconds(random.nextInt((int) Duration.ofDays(2).toSeconds()))
                    .plusNanos(random.nextInt(1_000_000) * 1000L);
            String model = models[random.nextInt(models.length)];
            usage.call(tenant).model(model).key(keys[random.nextInt(keys.length)]).at(at)
                    .status(statuses[random.nextInt(statuses.length)]).items(1 + random.nextInt(8))
                    .computeUs(random.nextInt(5000))
                    .cost(model == null ? null : "USD", 1000 + random.nextInt(1000), random.nextInt(5000),
                            random.nextInt(3000)).insert();
        }
    }

    /** The same aggregate straight from usage_records, keyed "bucket start|group". */
    Map<String, List<Long>> rawAggregate(UUID tenant, Instant from, Instant to, long widthSeconds, String group,
            boolean costs) {
        String groupExpr = switch (group) {
            case "model" -> "model_name";
            case "key" -> "CAST(api_key_id AS text)";
            default -> "CAST(NULL AS text)";
        };
        Map<String, List<Long>> out = new TreeMap<>();
        for (Map<String, Object> row : db.query("SELECT date_bin(? * interval '1 second', started_at,"
                + " TIMESTAMPTZ '2000-01-01 00:00:00+00') AS b, " + groupExpr + " AS g, count(*) AS requests,"
                + " count(*) FILTER (WHERE billable) AS billable, count(*) FILTER (WHERE status_code >= 400) AS errors,"
                + " count(*) FILTER (WHERE status_code = 429) AS refused, sum(item_count) AS items,"
                + " sum(cost_nanos) AS cost FROM usage_records WHERE tenant_id = ? AND started_at >= ?"
                + " AND started_at < ?" + (costs ? " AND currency IS NOT NULL" : "") + " GROUP BY 1, 2",
                widthSeconds, tenant, OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC),
                OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC))) {
            Instant bucket = ((java.sql.Timestamp) row.get("b")).toInstant();
            List<Long> values = costs ? List.of(((Number) row.get("billable")).longValue(),
                    ((Number) row.get("cost")).longValue())
                    : List.of(((Number) row.get("requests")).longValue(), ((Number) row.get("billable")).longValue(),
                            ((Number) row.get("errors")).longValue(), ((Number) row.get("refused")).longValue(),
                            ((Number) row.get("items")).longValue(), ((Number) row.get("cost")).longValue());
            out.put(bucket + "|" + row.get("g"), values);
        }
        return out;
    }

    Map<String, List<Long>> answered(JsonPath json, boolean costs) {
        Map<String, List<Long>> out = new TreeMap<>();
        List<Map<String, Object>> buckets = json.getList("buckets");
        for (Map<String, Object> b : buckets) {
            List<Long> values = costs ? List.of(num(b, "billable_requests"), num(b, "cost_nanos"))
                    : List.of(num(b, "requests"), num(b, "billable_requests"), num(b, "errors"), num(b, "refused"),
                            num(b, "items"), num(b, "cost_nanos"));
            out.put(Instant.parse((String) b.get("start")) + "|" + b.get("group"), values);
        }
        return out;
    }

    static long num(Map<String, Object> bucket, String field) {
        return ((Number) bucket.get(field)).longValue();
    }

    @Test
    void hourAndDayReportsFromRollupsEqualTheRawAggregate() {
        Api.TenantUser alice = Api.tenantWithMember();
        UUID tenant = tenantId(alice.slug());
        seed(tenant, 42);
        // an aligned range and one that starts and ends inside hours (its edges come from the rows)
        List<Instant[]> ranges = List.of(new Instant[] {START, END},
                new Instant[] {START.plus(Duration.ofMinutes(97)), END.minus(Duration.ofMinutes(23))});
        for (Instant[] range : ranges) {
            for (String width : List.of("1h", "1d")) {
                long seconds = width.equals("1h") ? 3600 : 86400;
                for (String group : List.of("", "model", "key")) {
                    for (boolean costs : List.of(false, true)) {
                        JsonPath json = Api.as(alice.token()).queryParam("start", range[0].toString())
                                .queryParam("end", range[1].toString()).queryParam("bucket_width", width)
                                .queryParam("group_by", group).get("/api/v1/tenants/" + alice.slug()
                                        + (costs ? "/costs" : "/usage"))
                                .then().statusCode(200).extract().jsonPath();
                        Map<String, List<Long>> expected = rawAggregate(tenant, range[0], range[1], seconds, group,
                                costs);
                        assertFalse(expected.isEmpty());
                        assertEquals(expected, answered(json, costs), (costs ? "costs " : "usage ") + width + " by '"
                                + group + "' from " + range[0] + " to " + range[1]);
                    }
                }
            }
        }
    }

    @Test
    void wholeHoursAreReadFromTheRollupsNotTheRows() {
        Api.TenantUser alice = Api.tenantWithMember();
        UUID tenant = tenantId(alice.slug());
        Instant hour = END.minus(Duration.ofHours(5));
        usage.call(tenant).model("iris").at(hour.plusSeconds(60)).cost("USD", 1000, 0, 0).insert();
        // a row the usage writer never rolled up: hour buckets do not see it, minute buckets do
        db.update("INSERT INTO usage_records (request_id, tenant_id, model_name, endpoint, status_code, billable,"
                + " started_at, finished_at) VALUES (?, ?, 'iris', 'infer', 200, true, ?, ?)", UUID.randomUUID(),
                tenant, OffsetDateTime.ofInstant(hour.plusSeconds(120), java.time.ZoneOffset.UTC),
                OffsetDateTime.ofInstant(hour.plusSeconds(121), java.time.ZoneOffset.UTC));
        String url = "/api/v1/tenants/" + alice.slug() + "/usage";
        Api.as(alice.token()).queryParam("start", hour.toString()).queryParam("end", hour.plusSeconds(3600).toString())
                .get(url).then().statusCode(200).body("totals.requests", equalTo(1));
        Api.as(alice.token()).queryParam("start", hour.toString()).queryParam("end", hour.plusSeconds(3600).toString())
                .queryParam("bucket_width", "1m").get(url).then().statusCode(200).body("totals.requests", equalTo(2))
                .body("buckets[0].start", equalTo(hour.plusSeconds(60).toString()))
                .body("buckets[0].cost_nanos", equalTo(1000));
    }

    @Test
    void minuteBucketsCoverAtMostADay() {
        Api.TenantUser alice = Api.tenantWithMember();
        String url = "/api/v1/tenants/" + alice.slug();
        for (String report : List.of("/usage", "/costs")) {
            Api.as(alice.token()).queryParam("start", START.toString()).queryParam("end", END.toString())
                    .queryParam("bucket_width", "1m").get(url + report).then().statusCode(400)
                    .body("code", equalTo("invalid_parameter")).body("detail", containsString("1 day"));
            Api.as(alice.token()).queryParam("start", END.minus(Duration.ofDays(1)).toString())
                    .queryParam("end", END.toString()).queryParam("bucket_width", "1m").get(url + report).then()
                    .statusCode(200).body("bucket_width", equalTo("1m"));
        }
        Api.as(alice.token()).queryParam("group_by", "tenant").get(url + "/costs").then().statusCode(400)
                .body("detail", containsString("group_by"));
    }

    @Test
    void costsArePerCurrencyWithExactDecimals() {
        Api.TenantUser alice = Api.tenantWithMember();
        UUID tenant = tenantId(alice.slug());
        Instant at = END.minus(Duration.ofHours(3)).plusSeconds(10);
        usage.call(tenant).model("iris").at(at).cost("USD", 1_000_000, 250_000, 0).insert();
        usage.call(tenant).model("iris").at(at.plusSeconds(5)).cost("USD", 1_000_000, 0, 7).insert();
        usage.call(tenant).model("mlp").at(at).cost("EUR", 5, 0, 0).insert();
        // a call without a plan costs nothing and is left out (in its own roll-up row: another hour)
        usage.call(tenant).model("mlp").at(at.minus(Duration.ofHours(2))).insert();
        Api.as(alice.token()).queryParam("start", END.minus(Duration.ofDays(1)).toString())
                .queryParam("end", END.toString()).queryParam("bucket_width", "1d").queryParam("group_by", "model")
                .get("/api/v1/tenants/" + alice.slug() + "/costs").then().statusCode(200)
                .body("buckets.find { it.group == 'iris' }.currency", equalTo("USD"))
                .body("buckets.find { it.group == 'iris' }.cost_nanos", equalTo(2_250_007))
                .body("buckets.find { it.group == 'iris' }.cost", equalTo("0.002250007"))
                .body("buckets.find { it.group == 'iris' }.item_nanos", equalTo(250_000))
                .body("buckets.find { it.group == 'mlp' }.currency", equalTo("EUR"))
                .body("buckets.find { it.group == 'mlp' }.billable_requests", equalTo(1))
                .body("totals.find { it.currency == 'EUR' }.cost", equalTo("0.000000005"))
                .body("totals.find { it.currency == 'USD' }.cost_nanos", equalTo(2_250_007));
    }
}
