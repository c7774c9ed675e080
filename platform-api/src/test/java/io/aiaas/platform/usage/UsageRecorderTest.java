package io.aiaas.platform.usage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.platform.billing.pricing.Pricing.Cost;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.plan.service.PlanSpec;
import io.aiaas.platform.testsupport.Plans;
import io.aiaas.platform.usage.service.UsageRecord.Billing;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.UsageRows;
import io.aiaas.platform.usage.service.UsageRecord;
import io.aiaas.platform.usage.service.UsageRecorder;
import io.aiaas.platform.testsupport.Fixtures.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The usage writer on its own: batching over two writers (the second helping only with a backlog), exact prices and counters under concurrency (flat and
 * tiered), exactly-once per request id, text as it came (COPY's escapes), and isolation of a bad row.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class UsageRecorderTest {

    @Inject
    UsageRecorder recorder;

    @Inject
    Fixtures fixtures;

    @Inject
    TestDb db;

    @Inject
    UsageRows usage;

    @Inject
    Plans plans;

    @Inject
    ObjectMapper json;

    static UsageRecord row(UUID requestId, UUID tenantId, int status, int items) {
        Instant now = Instant.now();
        return new UsageRecord(requestId, tenantId, null, null, null, null, "m", 1, "infer", status, status < 300, items, 10,
                100, 200, "cpu", status < 300 ? null : "http_" + status, now, now);
    }

    private long rowsOf(Tenant tenant) {
        return db.count("SELECT count(*) FROM usage_records WHERE tenant_id = ?", tenant.id());
    }

    @Test
    void concurrentRowsAreCommittedTogetherAndEachExactlyOnce() throws Exception {
        Tenant tenant = fixtures.tenant();
        int calls = 200;
        ExecutorService pool = Executors.newFixedThreadPool(calls);
        CountDownLatch start = new CountDownLatch(1);
        long commitsBefore = recorder.commits();
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            done.add(pool.submit(() -> {
                start.await();
                recorder.record(row(UUID.randomUUID(), tenant.id(), 200, 1));
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertThat(rowsOf(tenant), equalTo((long) calls));
        assertThat(recorder.commits() - commitsBefore, lessThan((long) calls));
    }

    @Test
    void theSameRowWrittenTwiceIsStoredOnce() throws Exception {
        Tenant tenant = fixtures.tenant();
        Billing billing = billing(FLAT);
        UsageRecord first = priced(row(UUID.randomUUID(), tenant.id(), 200, 3), billing);
        Cost cost = recorder.record(first);
        // again, alone and in a batch with other rows (the batch fails on the key, its rows go in one by one)
        assertThat(recorder.record(first), equalTo(cost));
        List<Future<Cost>> batch = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int i = 0; i < 8; i++) {
            UsageRecord record = i == 3 ? first : priced(row(UUID.randomUUID(), tenant.id(), 200, 3), billing);
            batch.add(pool.submit(() -> recorder.record(record)));
        }
        for (Future<Cost> f : batch) {
            assertThat(f.get(), equalTo(cost));
        }
        pool.shutdown();
        usage.one(first.requestId()).status(200).items(3);
        // counted once as well: 1 + 7 rows, in the period counters and the roll-ups alike
        assertThat(counter(tenant, "requests"), equalTo(8L));
        assertThat(counter(tenant, "cost_nanos"), equalTo(8 * cost.totalNanos()));
        assertThat(((Number) db.value("SELECT sum(requests) FROM usage_rollups WHERE tenant_id = ?", tenant.id()))
                .longValue(), equalTo(8L));
    }

    @Test
    void concurrentRowsOfAFlatPriceAddUpExactlyInRowsCountersAndRollups() throws Exception {
        Tenant tenant = fixtures.tenant();
        Billing billing = billing(FLAT);
        List<Cost> costs = recordConcurrently(tenant, billing, 300);
        long each = costs.get(0).totalNanos();
        assertThat(each, equalTo(7_000L + 3 * 11L));
        assertThat(costs.stream().allMatch(c -> c.totalNanos() == each), equalTo(true));
        assertThat(rowsOf(tenant), equalTo(300L));
        assertThat(counter(tenant, "requests"), equalTo(300L));
        assertThat(counter(tenant, "items"), equalTo(900L));
        assertThat(counter(tenant, "cost_nanos"), equalTo(300 * each));
        assertThat(((Number) db.value("SELECT sum(cost_nanos) FROM usage_records WHERE tenant_id = ?", tenant.id()))
                .longValue(), equalTo(300 * each));
        assertThat(((Number) db.value("SELECT sum(cost_nanos) FROM usage_rollups WHERE tenant_id = ?", tenant.id()))
                .longValue(), equalTo(300 * each));
    }

    @Test
    void concurrentRowsOfATieredPriceArePricedByTheirPositionExactlyOnce() throws Exception {
        Tenant tenant = fixtures.tenant();
        // the first 50 requests of the period at 1,000 micro-units per 1,000 (1,000 nanos each), the rest at 10
        List<Cost> costs = recordConcurrently(tenant, billing(TIERED), 300);
        long dear = costs.stream().filter(c -> c.requestNanos() == 1_000).count();
        long cheap = costs.stream().filter(c -> c.requestNanos() == 10).count();
        // two writers pricing from the same position would sell more than 50 at the first tier
        assertThat(dear, equalTo(50L));
        assertThat(cheap, equalTo(250L));
        assertThat(counter(tenant, "cost_nanos"), equalTo(50 * 1_000L + 250 * 10L));
        assertThat(db.count("SELECT count(*) FROM usage_records WHERE tenant_id = ? AND price_request = 1000",
                tenant.id()), equalTo(50L));
    }

    @Test
    void textWithTabsNewlinesAndBackslashesIsStoredAsItCame() {
        Tenant tenant = fixtures.tenant();
        UsageRecord template = row(UUID.randomUUID(), tenant.id(), 400, 1);
        String code = "a\tb\\N\nc\r\\d é";
        UsageRecord odd = new UsageRecord(template.requestId(), tenant.id(), null, null, null, null, "m\\1", 1,
                "infer", 400, false, 1, 1, 1, 1, "\\N", code, template.startedAt(), template.finishedAt());
        recorder.record(odd);
        assertThat(db.value("SELECT error_code FROM usage_records WHERE request_id = ?", odd.requestId()),
                equalTo(code));
        assertThat(db.value("SELECT device FROM usage_records WHERE request_id = ?", odd.requestId()),
                equalTo("\\N"));
        assertThat(db.value("SELECT model_name FROM usage_records WHERE request_id = ?", odd.requestId()),
                equalTo("m\\1"));
        // microseconds as the call's clock read them, truncated (never rounded up into the next microsecond)
        assertThat(db.value("SELECT extract(epoch FROM started_at) * 1000000 FROM usage_records WHERE request_id = ?",
                odd.requestId()).toString(), equalTo(Long.toString(odd.startedAt().getEpochSecond() * 1_000_000
                + odd.startedAt().getNano() / 1000) + ".000000"));
    }

    /**
     * The first writer takes rows as they come and the second helps only with a backlog: rows that trickle in while
     * the first writer is busy make its next batch (one transaction) instead of a transaction each on the second
     * writer; a backlog (16 rows by default) has the second writer write beside the first. The first writer is held
     * busy by a lock on its tenant's period counters, as a slow commit would.
     */
    @Test
    void aTrickleOfRowsWaitsForTheFirstWriterAndABacklogCallsTheSecond() throws Exception {
        Tenant busy = fixtures.tenant();
        Tenant other = fixtures.tenant();
        recorder.record(row(UUID.randomUUID(), busy.id(), 200, 1)); // its period counters exist from now on
        try (Connection lock = db.connection()) {
            lock.setAutoCommit(false);
            lockPeriodCounters(lock, busy);
            long commitsBefore = recorder.commits();
            CompletableFuture<Cost> held = recorder.recordAsync(row(UUID.randomUUID(), busy.id(), 200, 1));
            awaitLockWaiters(1);
            List<CompletableFuture<Cost>> trickle = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                trickle.add(recorder.recordAsync(row(UUID.randomUUID(), busy.id(), 200, 1)));
                Thread.sleep(50);
            }
            Thread.sleep(200);
            // the second writer did not take them (it would wait on the same lock: two waiters)
            assertThat(lockWaiters(), equalTo(1L));
            assertThat(trickle.stream().filter(CompletableFuture::isDone).count(), equalTo(0L));
            lock.commit();
            held.get(5, TimeUnit.SECONDS);
            for (CompletableFuture<Cost> f : trickle) {
                f.get(5, TimeUnit.SECONDS);
            }
            // the held row's transaction, then the three in one
            assertThat(recorder.commits() - commitsBefore, equalTo(2L));

            lockPeriodCounters(lock, busy);
            CompletableFuture<Cost> heldAgain = recorder.recordAsync(row(UUID.randomUUID(), busy.id(), 200, 1));
            awaitLockWaiters(1);
            List<CompletableFuture<Cost>> backlog = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                backlog.add(recorder.recordAsync(row(UUID.randomUUID(), other.id(), 200, 1)));
            }
            // the second writer writes what was waiting when it woke (at least the 16 that woke it), while the first
            // still waits; rows that came after it took its batch wait for a writer like any trickle
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (backlog.stream().filter(CompletableFuture::isDone).count() < 16 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(backlog.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).count(),
                    greaterThanOrEqualTo(16L));
            assertThat(heldAgain.isDone(), equalTo(false));
            lock.commit();
            heldAgain.get(5, TimeUnit.SECONDS);
            for (CompletableFuture<Cost> f : backlog) {
                f.get(5, TimeUnit.SECONDS);
            }
        }
        assertThat(rowsOf(busy), equalTo(6L));
        assertThat(rowsOf(other), equalTo(20L));
    }

    private static void lockPeriodCounters(Connection connection, Tenant tenant) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT requests FROM period_usage WHERE tenant_id = ? FOR UPDATE")) {
            s.setObject(1, tenant.id());
            s.executeQuery().close();
        }
    }

    private long lockWaiters() {
        return db.count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                + " AND datname = current_database()");
    }

    private void awaitLockWaiters(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (lockWaiters() < expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no usage writer waited on the held lock within 1 s");
            }
            Thread.sleep(10);
        }
    }

    private static final String FLAT = """
            {"model": null, "per_1k_requests": {"tiers": [{"up_to": null, "unit_micros": 7000}]},
             "per_1k_items": {"tiering": "volume", "tiers": [{"up_to": null, "unit_micros": 11}]}}""";
    private static final String TIERED = """
            {"model": null, "per_1k_requests": {"tiering": "graduated",
             "tiers": [{"up_to": 50, "unit_micros": 1000}, {"up_to": null, "unit_micros": 10}]}}""";

    private Billing billing(String price) throws Exception {
        String name = "writer-" + UUID.randomUUID().toString().substring(0, 8);
        String spec = """
                {"name": "%s", "currency": "USD", "monthly_fee_micros": 0, "included_credit_micros": 0,
                 "prices": [%s]}""".formatted(name, price);
        UUID planId = plans.create(name, "USD", spec);
        PlanSpec plan = json.readValue(spec, PlanSpec.class);
        return new Billing(planId, "USD", plan, plan.priceOf("m").orElseThrow(), null, List.of());
    }

    private static UsageRecord priced(UsageRecord r, Billing billing) {
        return new UsageRecord(r.requestId(), r.tenantId(), r.apiKeyId(), r.modelId(), r.modelVersionId(),
                r.workerId(), r.modelName(), r.modelVersion(), r.endpoint(), r.statusCode(), r.billable(),
                r.itemCount(), r.computeUs(), r.bytesIn(), r.bytesOut(), r.device(), r.errorCode(), r.startedAt(),
                r.finishedAt(), r.billingPeriod(), billing, null);
    }

    /** {@code n} billable rows of 3 items at once, from as many threads (so both writers get batches). */
    private List<Cost> recordConcurrently(Tenant tenant, Billing billing, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Cost>> done = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            done.add(pool.submit(() -> {
                start.await();
                return recorder.record(priced(row(UUID.randomUUID(), tenant.id(), 200, 3), billing));
            }));
        }
        start.countDown();
        List<Cost> costs = new ArrayList<>();
        for (Future<Cost> f : done) {
            costs.add(f.get());
        }
        pool.shutdown();
        return costs;
    }

    private long counter(Tenant tenant, String column) {
        return ((Number) db.value("SELECT " + column + " FROM period_usage WHERE tenant_id = ? AND scope = '*'",
                tenant.id())).longValue();
    }

    @Test
    void aBadRowFailsAloneAndTheOthersAreStillWritten() throws Exception {
        Tenant tenant = fixtures.tenant();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> good = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            good.add(pool.submit(() -> {
                start.await();
                recorder.record(row(UUID.randomUUID(), tenant.id(), 200, 1));
                return null;
            }));
        }
        // model_name is varchar(100): this row's insert fails, and with it the batch it lands in
        UsageRecord template = row(UUID.randomUUID(), tenant.id(), 200, 1);
        UsageRecord tooLong = new UsageRecord(template.requestId(), template.tenantId(), null, null, null, null,
                "x".repeat(101), 1, "infer", 200, true, 1, 1, 1, 1, "cpu", null, template.startedAt(),
                template.finishedAt());
        Future<?> bad = pool.submit(() -> {
            start.await();
            recorder.record(tooLong);
            return null;
        });
        start.countDown();
        for (Future<?> f : good) {
            f.get();
        }
        var failure = assertThrows(java.util.concurrent.ExecutionException.class, bad::get);
        assertThat(failure.getCause() instanceof ApiException e && e.status() == 503, equalTo(true));
        pool.shutdown();
        assertThat(rowsOf(tenant), equalTo(19L));
    }
}
