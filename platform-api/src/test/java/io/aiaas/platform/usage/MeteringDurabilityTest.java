package io.aiaas.platform.usage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.either;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.testsupport.FakeWorker;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.Fixtures.Model;
import io.aiaas.platform.testsupport.Fixtures.Tenant;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.UsageRows;
import io.aiaas.platform.usage.service.UsageRecord;
import io.aiaas.platform.usage.service.UsageRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * "Durable before the answer" on the running application: the embedded server really syncs its commits, a usage
 * commit slowed past the commit timeout never turns a 503 into a billable row (nor a 200 into an unbilled one), a
 * withdrawn row never becomes visible, and a suspended tenant's refused calls are recorded, unbilled.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class MeteringDurabilityTest {

    static final String BODY = """
            {"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 3], "data": [1, 2, 3]}]}""";

    @Inject
    TestDb db;

    @Inject
    Fixtures fixtures;

    @Inject
    UsageRows usage;

    @Inject
    UsageRecorder recorder;

    static Duration commitTimeout() {
        return ConfigProvider.getConfig().getValue("aiaas.usage.commit-timeout", Duration.class);
    }

    @Test
    void embeddedPostgresSyncsEveryCommit() throws Exception {
        // read over JDBC from the server the application writes to, not from its configuration
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            assertThat(show(s, "fsync"), equalTo("on"));
            assertThat(show(s, "synchronous_commit"), equalTo("on"));
        }
    }

    private static String show(Statement s, String setting) throws Exception {
        try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * Holds an exclusive lock on this month's usage partition (and next month's, for a run at the turn of the month)
     * on a connection of its own, in a transaction that stays open until {@link AutoCloseable#close()}.
     */
    private AutoCloseable lockUsagePartitions() throws Exception {
        Connection c = db.connection();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            String current;
            String next;
            try (ResultSet rs = s.executeQuery("""
                    SELECT to_char(now() AT TIME ZONE 'UTC', '"usage_records_"YYYY_MM'),
                           to_char((now() AT TIME ZONE 'UTC') + interval '1 month', '"usage_records_"YYYY_MM')""")) {
                rs.next();
                current = rs.getString(1);
                next = rs.getString(2);
            }
            s.execute("LOCK TABLE " + current + ", " + next + " IN ACCESS EXCLUSIVE MODE");
        }
        return () -> {
            c.rollback();
            c.close();
        };
    }

    /** One answer a client got. */
    record Answered(int status, String requestId, String body) {
    }

    @Test
    void aCommitSlowerThanTheTimeoutNeverBillsA503AndEvery200IsBilledOnce() throws Exception {
        Tenant tenant = fixtures.tenant();
        String key = fixtures.key(tenant);
        Model model = fixtures.model("PUBLIC", null);
        Duration timeout = commitTimeout();
        // longer than the calls wait, shorter than the writer's statement timeout (2x): the held-up batch does get
        // inserted after the lock is released, while the calls that gave up have withdrawn their rows
        Duration hold = timeout.plusMillis(timeout.toMillis() / 2);
        try (FakeWorker worker = FakeWorker.start()
                .hold(model.name(), 1, model.file()).join()) {
            given().header("Authorization", "Bearer " + key).contentType("application/json").body(BODY)
                    .post("/v2/models/" + model.name() + "/infer").then().statusCode(200); // warm: key, model, route

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest call = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                    + "/v2/models/" + model.name() + "/infer")).header("Authorization", "Bearer " + key)
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY))
                    .build();
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            int total = 20;
            // Calls spread over the hold and a little beyond: the first ones give up while their batch is blocked,
            // later ones are still queued when the lock goes and race the held-up batch's commit, the last ones
            // start after the release.
            long spreadNanos = hold.plusMillis(500).toNanos();
            long started = System.nanoTime();
            int fired = 0;
            try (AutoCloseable lock = lockUsagePartitions()) {
                for (; fired < total && spreadNanos * fired / total < hold.toNanos(); fired++) {
                    sleepUntil(started + spreadNanos * fired / total);
                    calls.add(http.sendAsync(call, HttpResponse.BodyHandlers.ofString()));
                }
                sleepUntil(started + hold.toNanos());
            }
            for (; fired < total; fired++) {
                sleepUntil(started + spreadNanos * fired / total);
                calls.add(http.sendAsync(call, HttpResponse.BodyHandlers.ofString()));
            }
            List<Answered> answers = new ArrayList<>();
            for (CompletableFuture<HttpResponse<String>> pending : calls) {
                HttpResponse<String> r = pending.get(30, TimeUnit.SECONDS);
                answers.add(new Answered(r.statusCode(), r.headers().firstValue("x-request-id").orElseThrow(),
                        r.body()));
            }
            // replacement rows of the 503s are written in the background; give them time to land
            Thread.sleep(timeout.toMillis() + 1_000);

            int ok = 0;
            int refused = 0;
            for (Answered a : answers) {
                assertThat(a.toString(), a.status(), either(is(200)).or(is(503)));
                UUID id = UUID.fromString(a.requestId());
                if (a.status() == 200) {
                    ok++;
                    usage.one(id).status(200).billable(true).endpoint("infer");
                } else {
                    refused++;
                    assertThat(a.body(), containsString("could not be metered"));
                    assertThat("a 503 was billed: " + usage.of(id), usage.billable(id), equalTo(0L));
                    List<UsageRows.Row> rows = usage.of(id);
                    assertThat(rows.size(), lessThan(2));
                    rows.forEach(row -> row.status(503).billable(false).errorCode("usage_not_recorded"));
                }
            }
            // every billable row of this key belongs to a call that was answered 200 (plus the warm-up call)
            long billableRows = usage.ofKey(key).stream().filter(r -> Boolean.TRUE.equals(r.get("billable"))).count();
            System.out.printf("metering with the usage partition locked for %d ms: %d calls, %d answered 200, %d"
                    + " answered 503, %d billable rows besides the warm-up call%n", hold.toMillis(), answers.size(),
                    ok, refused, billableRows - 1);
            assertThat(answers, hasSize(total));
            assertThat("no call waited out the lock", refused, greaterThan(0));
            assertThat("no call was served around the release", ok, greaterThan(0));
            assertThat(billableRows, equalTo(ok + 1L));
        }
    }

    @Test
    void aRowWithdrawnByItsCallNeverBecomesVisible() throws Exception {
        Tenant tenant = fixtures.tenant();
        Duration timeout = commitTimeout();
        UsageRecord row = row(tenant.id());
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            try (AutoCloseable lock = lockUsagePartitions()) {
                long submitted = System.nanoTime();
                Future<?> call = pool.submit(() -> recorder.record(row));
                var failure = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> call.get(timeout.toMillis() * 3, TimeUnit.MILLISECONDS));
                assertThat(failure.getCause() instanceof ApiException e && e.status() == 503
                        && e.code().equals("usage_not_recorded"), equalTo(true));
                assertThat(System.nanoTime() - submitted, greaterThan(timeout.toNanos() - 100_000_000L));
                // the writer's insert is still blocked: it goes on only after the call gave up and withdrew the row
                Thread.sleep(timeout.toMillis() / 4);
            }
            // now the writer inserts the row and deletes it again in the same transaction: it is never visible
            long watchUntil = System.nanoTime() + timeout.toNanos() * 2;
            int looks = 0;
            while (System.nanoTime() < watchUntil) {
                usage.none(row.requestId());
                looks++;
                Thread.sleep(10);
            }
            assertThat(looks, greaterThan(10));
            // and the writer is healthy afterwards
            UsageRecord next = row(tenant.id());
            recorder.record(next);
            usage.one(next.requestId()).status(200).billable(true);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static UsageRecord row(UUID tenantId) {
        Instant now = Instant.now();
        return new UsageRecord(UUID.randomUUID(), tenantId, null, null, null, null, "m", 1, "infer", 200, true, 1, 10,
                100, 200, "cpu", null, now, now);
    }

    @Test
    void suspendedTenantsCallsAre403TenantSuspendedAndRecordedUnbilled() throws Exception {
        Tenant tenant = fixtures.tenant();
        String key = fixtures.key(tenant);
        Model model = fixtures.model("PUBLIC", null);
        fixtures.setStatus(tenant, "SUSPENDED");
        UUID keyId = fixtures.keyId(key);
        Response infer = given().header("Authorization", "Bearer " + key).contentType("application/json").body(BODY)
                .post("/v2/models/" + model.name() + "/infer");
        infer.then().statusCode(403).contentType("application/json")
                .body("error", containsString("suspended"));
        usage.one(infer).status(403).billable(false).endpoint("infer").errorCode("tenant_suspended")
                .tenant(tenant.id()).key(keyId);
        Response metadata = given().header("Authorization", "Bearer " + key).get("/v2/models/" + model.name());
        metadata.then().statusCode(403).body("error", containsString("suspended"));
        usage.one(metadata).status(403).billable(false).endpoint("metadata").errorCode("tenant_suspended")
                .key(keyId);
    }
}
