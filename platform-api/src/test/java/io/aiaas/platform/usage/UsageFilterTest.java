package io.aiaas.platform.usage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.BilledUsage;
import io.aiaas.platform.testsupport.TestDb;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The model and key_id filters of /usage, /costs and /usage.csv: every filtered answer equals an aggregate over the
 * tenant's raw rows with the same condition, whether read from roll-ups or rows; an unknown model or another
 * tenant's key gives nothing; bad values are 400 invalid_parameter naming the parameter.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class UsageFilterTest {

    @Inject
    BilledUsage usage;

    @Inject
    TestDb db;

    static final Instant END = Instant.now().truncatedTo(ChronoUnit.HOURS);
    static final Instant START = END.minus(Duration.ofHours(12));
    static final UUID KEY_A = UUID.randomUUID();
    static final UUID KEY_B = UUID.randomUUID();

    UUID tenantId(String slug) {
        return (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", slug);
    }

    /** 200 calls over 12 hours: models iris, mlp and none; keys A, B and none; some priced in USD. */
    void seed(UUID tenant, UUID[] keys, long seed) {
        Random random = new Random(seed);
        String[] models = {"iris", "mlp", null};
        int[] statuses = {200, 200, 200, 400, 429};
        for (int i = 0; i < 200; i++) {
            Instant at = START.plusSeconds(random.nextInt((int) Duration.ofHours(12).toSeconds()));
            String model = models[random.nextInt(models.length)];
            usage.call(tenant).model(model).key(keys[random.nextInt(keys.length)]).at(at)
                    .status(statuses[random.nextInt(statuses.length)]).items(1 + random.nextInt(4))
                    .computeUs(random.nextInt(5000))
                    .cost(model == null ? null : "USD", 1000, random.nextInt(5000), 0).insert();
        }
    }

    /** The raw aggregate with the same filter, keyed "bucket|group": requests, billable, cost. */
    Map<String, List<Long>> expected(UUID tenant, Instant from, Instant to, long width, String group, String model,
            UUID key, boolean costs) {
        String groupExpr = switch (group) {
            case "model" -> "model_name";
            case "key" -> "CAST(api_key_id AS text)";
            default -> "CAST(NULL AS text)";
        };
        List<Object> params = new ArrayList<>(List.of(width, tenant, OffsetDateTime.ofInstant(from, ZoneOffset.UTC),
                OffsetDateTime.ofInstant(to, ZoneOffset.UTC)));
        String where = "";
        if (model != null) {
            where += " AND model_name = ?";
            params.add(model);
        }
        if (key != null) {
            where += " AND api_key_id = ?";
            params.add(key);
        }
        Map<String, List<Long>> out = new TreeMap<>();
        for (Map<String, Object> row : db.query("SELECT date_bin(? * interval '1 second', started_at,"
                + " TIMESTAMPTZ '2000-01-01 00:00:00+00') AS b, " + groupExpr + " AS g, count(*) AS requests,"
                + " count(*) FILTER (WHERE billable) AS billable, sum(cost_nanos) AS cost FROM usage_records"
                + " WHERE tenant_id = ? AND started_at >= ? AND started_at < ?" + where
                + (costs ? " AND currency IS NOT NULL" : "") + " GROUP BY 1, 2", params.toArray())) {
            Instant bucket = ((java.sql.Timestamp) row.get("b")).toInstant();
            out.put(bucket + "|" + row.get("g"), List.of(((Number) row.get("requests")).longValue(),
                    ((Number) row.get("billable")).longValue(), ((Number) row.get("cost")).longValue()));
        }
        if (costs) {
            out.replaceAll((k, v) -> List.of(v.get(1), v.get(2)));
        }
        return out;
    }

    static Map<String, List<Long>> answered(JsonPath json, boolean costs) {
        Map<String, List<Long>> out = new TreeMap<>();
        List<Map<String, Object>> buckets = json.getList("buckets");
        for (Map<String, Object> b : buckets) {
            List<Long> values = costs ? List.of(num(b, "billable_requests"), num(b, "cost_nanos"))
                    : List.of(num(b, "requests"), num(b, "billable_requests"), num(b, "cost_nanos"));
            out.put(Instant.parse((String) b.get("start")) + "|" + b.get("group"), values);
        }
        return out;
    }

    static long num(Map<String, Object> bucket, String field) {
        return ((Number) bucket.get(field)).longValue();
    }

    Response report(Api.TenantUser user, String path, Map<String, ?> params) {
        return Api.as(user.token()).queryParams(params).get("/api/v1/tenants/" + user.slug() + path);
    }

    @Test
    void filteredReportsEqualTheFilteredRawAggregate() {
        Api.TenantUser alice = Api.tenantWithMember();
        UUID tenant = tenantId(alice.slug());
        seed(tenant, new UUID[] {KEY_A, KEY_B, null}, 7);
        // whole hours (roll-ups), edges inside hours (roll-ups and rows), and minute buckets (rows only)
        List<Object[]> shapes = List.of(new Object[] {START, END, "1h", 3600L},
                new Object[] {START.plus(Duration.ofMinutes(41)), END.minus(Duration.ofMinutes(17)), "1h", 3600L},
                new Object[] {START, END, "1d", 86400L},
                new Object[] {END.minus(Duration.ofHours(3)), END, "1m", 60L});
        List<String[]> filters = List.of(new String[] {"iris", null}, new String[] {null, KEY_A.toString()},
                new String[] {"mlp", KEY_B.toString()});
        for (Object[] shape : shapes) {
            for (String[] filter : filters) {
                for (String group : List.of("", "model", "key")) {
                    for (boolean costs : List.of(false, true)) {
                        Map<String, Object> params = new HashMap<>(Map.of("start", shape[0].toString(), "end",
                                shape[1].toString(), "bucket_width", shape[2], "group_by", group));
                        if (filter[0] != null) {
                            params.put("model", filter[0]);
                        }
                        if (filter[1] != null) {
                            params.put("key_id", filter[1]);
                        }
                        JsonPath json = report(alice, costs ? "/costs" : "/usage", params).then().statusCode(200)
                                .extract().jsonPath();
                        Map<String, List<Long>> want = expected(tenant, (Instant) shape[0], (Instant) shape[1],
                                (Long) shape[3], group, filter[0], filter[1] == null ? null
                                        : UUID.fromString(filter[1]), costs);
                        assertFalse(want.isEmpty(), "the seed covers every filter");
                        assertEquals(want, answered(json, costs), (costs ? "costs " : "usage ") + params);
                    }
                }
            }
        }
    }

    @Test
    void unknownModelOrAnotherTenantsKeyGivesNothing() {
        Api.TenantUser alice = Api.tenantWithMember();
        Api.TenantUser bob = Api.tenantWithMember();
        UUID bobsKey = UUID.randomUUID();
        seed(tenantId(alice.slug()), new UUID[] {KEY_A, null}, 11);
        seed(tenantId(bob.slug()), new UUID[] {bobsKey}, 12);
        Map<String, Object> range = Map.of("start", START.toString(), "end", END.toString());
        report(alice, "/usage", range).then().statusCode(200).body("totals.requests", equalTo(200));
        for (Map<String, Object> filter : List.of(Map.<String, Object>of("model", "no-such-model"),
                Map.<String, Object>of("key_id", bobsKey.toString()),
                Map.<String, Object>of("key_id", "00000000-0000-0000-0000-000000000000"))) {
            Map<String, Object> params = new HashMap<>(range);
            params.putAll(filter);
            report(alice, "/usage", params).then().statusCode(200).body("buckets.size()", equalTo(0))
                    .body("totals.requests", equalTo(0));
            report(alice, "/costs", params).then().statusCode(200).body("buckets.size()", equalTo(0))
                    .body("totals.size()", equalTo(0));
            report(alice, "/usage.csv", params).then().statusCode(200)
                    .body(equalTo("start,end,requests,billable_requests,errors,refused,items,compute_ms,bytes_in,"
                            + "bytes_out,cost_nanos\r\n"));
        }
        // bob's key does find bob's calls in bob's tenant
        report(bob, "/usage", Map.of("start", START.toString(), "end", END.toString(), "key_id", bobsKey.toString()))
                .then().statusCode(200).body("totals.requests", equalTo(200));
    }

    @Test
    void badFilterValuesAre400NamingTheParameter() {
        Api.TenantUser alice = Api.tenantWithMember();
        for (String path : List.of("/usage", "/costs", "/usage.csv")) {
            for (Object[] c : new Object[][] {{"model", "no spaces"}, {"model", "-leading-dash"},
                    {"model", "m".repeat(101)}, {"model", "a'; DROP TABLE usage_rollups; --"}, {"key_id", "12"},
                    {"key_id", "not-a-uuid"}, {"key_id", "1-1-1-1-1"}, {"key_id", UUID.randomUUID() + "0"}}) {
                report(alice, path, Map.of(c[0].toString(), c[1])).then().statusCode(400)
                        .contentType(startsWith("application/problem+json"))
                        .body("code", equalTo("invalid_parameter")).body("detail", startsWith(c[0] + " "));
            }
        }
    }

    @Test
    void csvHasAHeaderAndOneRecordPerBucketAndGroup() {
        Api.TenantUser alice = Api.tenantWithMember();
        seed(tenantId(alice.slug()), new UUID[] {KEY_A, KEY_B, null}, 21);
        Instant from = START.plus(Duration.ofMinutes(30));
        Map<String, Object> params = Map.of("start", from.toString(), "end", END.toString(), "group_by", "model",
                "key_id", KEY_A.toString());
        JsonPath json = report(alice, "/usage", params).then().statusCode(200).extract().jsonPath();
        Response csv = report(alice, "/usage.csv", params);
        csv.then().statusCode(200).contentType(startsWith("text/csv"))
                .header("Content-Disposition", equalTo("attachment; filename=\"usage-" + alice.slug() + "-"
                        + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                                .withZone(ZoneOffset.UTC).format(from) + ".csv\""));
        String body = csv.asString();
        assertFalse(body.contains("\n") && body.replace("\r\n", "").contains("\n"), "records end with CRLF");
        List<String> lines = Arrays.asList(body.split("\r\n"));
        assertEquals("start,end,model,requests,billable_requests,errors,refused,items,compute_ms,bytes_in,bytes_out,"
                + "cost_nanos", lines.get(0));
        List<Map<String, Object>> buckets = json.getList("buckets");
        assertFalse(buckets.isEmpty());
        assertEquals(buckets.size(), lines.size() - 1);
        for (int i = 0; i < buckets.size(); i++) {
            Map<String, Object> b = buckets.get(i);
            String[] f = lines.get(i + 1).split(",", -1);
            assertEquals(12, f.length, lines.get(i + 1));
            assertEquals(b.get("start"), f[0]);
            assertEquals(b.get("end"), f[1]);
            assertEquals(b.get("group") == null ? "" : b.get("group"), f[2]);
            assertEquals(String.valueOf(num(b, "requests")), f[3]);
            assertEquals(String.valueOf(num(b, "billable_requests")), f[4]);
            assertEquals(String.valueOf(num(b, "items")), f[7]);
            assertEquals(((Number) b.get("compute_ms")).doubleValue(), Double.parseDouble(f[8]), 0.01);
            assertEquals(String.valueOf(num(b, "cost_nanos")), f[11]);
        }
        long requests = lines.stream().skip(1).mapToLong(l -> Long.parseLong(l.split(",")[3])).sum();
        assertEquals(json.getLong("totals.requests"), requests);

        // by key: the column is key_id; another tenant's member gets 404, no token 401
        report(alice, "/usage.csv", Map.of("group_by", "key")).then().statusCode(200)
                .body(startsWith("start,end,key_id,requests,"));
        Api.TenantUser outsider = Api.tenantWithMember();
        Api.as(outsider.token()).get("/api/v1/tenants/" + alice.slug() + "/usage.csv").then().statusCode(404)
                .body("code", equalTo("tenant_not_found"));
        given().get("/api/v1/tenants/" + alice.slug() + "/usage.csv").then().statusCode(401);
        report(alice, "/usage.csv", Map.of("bucket_width", "1w")).then().statusCode(400)
                .body("detail", containsString("bucket_width"));
    }
}
