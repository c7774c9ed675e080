package io.aiaas.platform.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.UsageGenerator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The report benchmark: a month of generated usage for one tenant (10 models, 5 keys), then "a month's daily costs
 * by model" ({@code /costs?bucket_width=1d&group_by=model}) timed over many calls, median and p99 printed. The
 * answer is checked against the same aggregate over the raw rows. CI runs it with 200,000 rows and asserts no time;
 * {@code deploy/local/report-bench.sh} runs it with 10,000,000 (docs/invoices.md).
 *
 * <p>System properties: {@code aiaas.bench.rows} (default 200000), {@code aiaas.bench.calls} (default 30),
 * {@code aiaas.bench.out} (a file for the result line).
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ReportBenchmarkTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TestDb db;

    @Inject
    UsageGenerator generator;

    @TestHTTPResource("/")
    URL base;

    @Test
    void aMonthsDailyCostsByModelEqualTheRawAggregate() throws Exception {
        long rows = Long.getLong("aiaas.bench.rows", 200_000);
        int calls = Integer.getInteger("aiaas.bench.calls", 30);
        Api.TenantUser user = Api.tenantWithMember();
        UUID tenant = (UUID) db.value("SELECT id FROM tenants WHERE slug = ?", user.slug());
        // the last whole UTC month: its partition exists and it has ended
        LocalDate period = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).minusMonths(1);
        OffsetDateTime start = period.atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime end = start.plusMonths(1);

        long t0 = System.nanoTime();
        generator.month(tenant, period, rows, done -> {
            if (done % 2_000_000 == 0) {
                System.out.printf("report-bench: %,d rows written%n", done);
            }
        });
        double generateSeconds = (System.nanoTime() - t0) / 1e9;

        URI uri = URI.create(base.toString().replaceAll("/$", "") + "/api/v1/tenants/" + user.slug()
                + "/costs?bucket_width=1d&group_by=model&start=" + start.toInstant() + "&end=" + end.toInstant());
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + user.token()).build();
        String answer = null;
        for (int i = 0; i < 5; i++) {
            answer = get(http, request);
        }
        long[] micros = new long[calls];
        for (int i = 0; i < calls; i++) {
            long s = System.nanoTime();
            get(http, request);
            micros[i] = (System.nanoTime() - s) / 1000;
        }
        Arrays.sort(micros);

        long r0 = System.nanoTime();
        Map<String, Long> raw = new TreeMap<>();
        for (Map<String, Object> row : db.query("""
                SELECT date_bin(interval '1 day', started_at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS b,
                    model_name AS m, sum(cost_nanos) AS cost, count(*) FILTER (WHERE billable) AS billable
                FROM usage_records WHERE tenant_id = ? AND started_at >= ? AND started_at < ?
                    AND currency IS NOT NULL GROUP BY 1, 2""", tenant, start, end)) {
            raw.put(((java.sql.Timestamp) row.get("b")).toInstant() + "|" + row.get("m") + "|billable",
                    ((Number) row.get("billable")).longValue());
            raw.put(((java.sql.Timestamp) row.get("b")).toInstant() + "|" + row.get("m") + "|cost",
                    ((Number) row.get("cost")).longValue());
        }
        double rawMs = (System.nanoTime() - r0) / 1e6;
        Map<String, Long> answered = new TreeMap<>();
        for (JsonNode bucket : JSON.readTree(answer).get("buckets")) {
            String key = bucket.get("start").asText() + "|" + bucket.get("group").asText();
            answered.put(key + "|billable", bucket.get("billable_requests").asLong());
            answered.put(key + "|cost", bucket.get("cost_nanos").asLong());
        }
        assertEquals(raw, answered);
        int days = period.lengthOfMonth();
        assertEquals(days * 10 * 2, answered.size());

        String result = String.format("report-bench: %,d rows, generated in %.1f s; GET %s%n"
                + "report-bench: %d calls: median %.1f ms, p99 %.1f ms, min %.1f ms, max %.1f ms; %d buckets;"
                + " the same aggregate over the raw rows: %.0f ms%n", rows, generateSeconds,
                uri.getPath() + "?" + uri.getQuery(), calls, percentile(micros, 0.50) / 1000.0,
                percentile(micros, 0.99) / 1000.0, micros[0] / 1000.0, micros[calls - 1] / 1000.0,
                answered.size() / 2, rawMs);
        System.out.print(result);
        String out = System.getProperty("aiaas.bench.out");
        if (out != null && !out.isBlank()) {
            Files.writeString(Path.of(out), result);
        }
    }

    static String get(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("costs answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** Nearest rank: the value at rank ceil(p * n), a latency that was actually observed. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
