package io.aiaas.platform.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.platform.billing.pricing.BillingPeriods;
import io.aiaas.platform.billing.pricing.Pricing;
import io.aiaas.platform.limits.service.Admission;
import io.aiaas.platform.limits.service.LeaseStore.PeriodColumn;
import io.aiaas.platform.plan.service.PlanSpec;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.Fixtures.Tenant;
import io.aiaas.platform.testsupport.Plans;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.usage.service.UsageRecord;
import io.aiaas.platform.usage.service.UsageRecorder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Throughput of the durable usage writer alone ({@link UsageRecorder}): a fixed number of rows in flight, each
 * recorded with {@code recordAsync} and replaced when its commit completes it, as the gateway's calls do (or, with
 * {@code -Daiaas.bench.callers=blocking}, that many threads blocked in {@code record}); the writers commit them in
 * batches. Rows priced by a plan
 * (period counters, prices, roll-ups and lease settlement) and unpriced rows (a tenant without a plan) take turns in
 * rounds, so the machine's noise lands on both alike. Prints rows/s, commits, mean batch size and the callers' wait;
 * asserts only that every row was stored and priced exactly. Runs only when asked: {@code -Daiaas.bench=true}
 * (docs/benchmark.md); the class name does not match surefire's default test patterns either, so a plain
 * {@code mvn test} never runs it.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class UsageWriterBenchmark {

    /** The plan of docs/benchmark.md: every limit kind, three price components, nothing ever refused. */
    static final String PLAN = """
            {"name": "%s", "currency": "USD", "monthly_fee_micros": 0, "included_credit_micros": 0,
             "rate_limits": {"requests_per_minute_per_key": 10000000, "requests_per_minute_per_tenant": 10000000,
                             "max_concurrent_requests": 1000},
             "quotas": [{"metric": "requests", "model": null, "limit": 1000000000, "enforcement": "hard"}],
             "budget": {"limit_micros": 1000000000000, "enforcement": "hard"},
             "prices": [{"model": null,
                         "per_1k_requests": {"tiering": "graduated", "tiers": [{"up_to": null, "unit_micros": 100}]},
                         "per_1k_items": {"tiers": [{"up_to": null, "unit_micros": 10}]},
                         "per_compute_second": {"tiers": [{"up_to": null, "unit_micros": 1000}]}}]}""";

    private static final String MODEL = "bench-model";
    private static final int ITEMS = 1;
    private static final long COMPUTE_US = 120;
    private static final long LEASE = Long.MAX_VALUE / 4;

    private final int rows = Integer.getInteger("aiaas.bench.rows", 200_000);
    private final int threads = Integer.getInteger("aiaas.bench.threads", 64);
    private final int rounds = Integer.getInteger("aiaas.bench.rounds", 10);
    private final int warmUp = Integer.getInteger("aiaas.bench.warmup", 100_000);
    private final boolean blocking = "blocking".equals(System.getProperty("aiaas.bench.callers", "async"));

    @Inject
    UsageRecorder recorder;
    @Inject
    Fixtures fixtures;
    @Inject
    Plans plans;
    @Inject
    TestDb db;
    @Inject
    ObjectMapper json;

    /** What the rounds of one kind of row did. */
    static final class Kind {
        final String name;
        final Function<Instant, UsageRecord> rowAt;
        final List<Double> roundRates = new ArrayList<>();
        final long[] waits;
        int measured;
        long nanos;
        long commits;

        Kind(String name, Function<Instant, UsageRecord> rowAt, int rows) {
            this.name = name;
            this.rowAt = rowAt;
            this.waits = new long[rows];
        }

        double medianRoundRate() {
            List<Double> sorted = roundRates.stream().sorted().toList();
            return sorted.get((sorted.size() - 1) / 2);
        }

        double waitUs(double p) {
            long[] sorted = Arrays.copyOf(waits, measured);
            Arrays.sort(sorted);
            return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)] / 1e3;
        }

        String line(int threads) {
            return String.format(Locale.ROOT, "RESULT usage writer, %s rows: %d rows from %d threads in %d rounds,"
                    + " %.2f s in all = %.0f rows/s (median round %.0f rows/s, slowest %.0f, fastest %.0f); %d commits,"
                    + " mean batch %.1f rows; a caller waits p50 %.0f us, p99 %.0f us", name, measured, threads,
                    roundRates.size(), nanos / 1e9, measured / (nanos / 1e9), medianRoundRate(),
                    roundRates.stream().mapToDouble(d -> d).min().orElse(0),
                    roundRates.stream().mapToDouble(d -> d).max().orElse(0), commits,
                    (double) measured / Math.max(1, commits), waitUs(0.5), waitUs(0.99));
        }
    }

    @BeforeEach
    void onlyWhenAsked() {
        Assumptions.assumeTrue(Boolean.getBoolean("aiaas.bench"),
                "a benchmark: runs only with -Daiaas.bench=true (docs/benchmark.md)");
    }

    @Test
    void pricedAndUnpricedRowsAreCommittedInBatches() throws Exception {
        Tenant billed = fixtures.tenant();
        String name = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        String spec = PLAN.formatted(name);
        UUID planId = plans.create(name, "USD", spec);
        plans.assign(billed.id(), planId);
        PlanSpec plan = json.readValue(spec, PlanSpec.class);
        PlanSpec.ModelPrice price = plan.priceOf(MODEL).orElseThrow();
        LocalDate period = BillingPeriods.periodOf(Instant.now(), ZoneOffset.UTC);

        // The gateway's rows carry the reservations of the hard quota and budget on this replica's leases; the
        // writer settles them in the row's transaction. Leases large enough for every row, as a busy replica has.
        UUID holder = UUID.randomUUID();
        String requests = "q:" + billed.id() + ":" + period + ":requests:*";
        String cost = "q:" + billed.id() + ":" + period + ":cost:*";
        for (String counter : List.of(requests, cost)) {
            db.update("INSERT INTO limit_leases (counter, holder, amount, expires_at) VALUES (?, ?, ?, ?)", counter,
                    holder, LEASE, OffsetDateTime.now(ZoneOffset.UTC).plusHours(1));
        }
        UsageRecord.Billing billing = new UsageRecord.Billing(planId, "USD", plan, price, holder,
                List.of(new Admission.Charge(requests, PeriodColumn.REQUESTS),
                        new Admission.Charge(cost, PeriodColumn.COST_NANOS)));
        Tenant unbilled = fixtures.tenant();
        Kind priced = new Kind("priced", at -> row(billed, at, period, billing), rows);
        Kind unpriced = new Kind("unpriced", at -> row(unbilled, at, period, null), rows);

        System.out.printf("RESULT usage writer: %d priced and %d unpriced rows in %d interleaved rounds, %d in flight"
                + " (%s callers) (after %d of each unmeasured); load average at the start %s%n", rows, rows, rounds,
                threads, blocking ? "blocking" : "async", warmUp, loadAverage());
        push(priced.rowAt, warmUp, null, 0);
        push(unpriced.rowAt, warmUp, null, 0);
        for (int round = 0; round < rounds; round++) {
            int n = rows / rounds + (round < rows % rounds ? 1 : 0);
            for (Kind kind : round % 2 == 0 ? List.of(priced, unpriced) : List.of(unpriced, priced)) {
                long commitsBefore = recorder.commits();
                long started = System.nanoTime();
                push(kind.rowAt, n, kind.waits, kind.measured);
                long took = System.nanoTime() - started;
                kind.nanos += took;
                kind.commits += recorder.commits() - commitsBefore;
                kind.measured += n;
                kind.roundRates.add(n / (took / 1e9));
            }
        }
        System.out.println(priced.line(threads));
        System.out.println(unpriced.line(threads));
        System.out.printf(Locale.ROOT, "RESULT usage writer: priced/unpriced = %.2fx (medians of the rounds' rows/s);"
                + " load average at the end %s%n", priced.medianRoundRate() / unpriced.medianRoundRate(),
                loadAverage());

        long perRow = Pricing.price(price, Pricing.Position.ZERO, ITEMS, COMPUTE_US).totalNanos();
        long all = rows + warmUp;
        assertEquals(all, db.count("SELECT count(*) FROM usage_records WHERE tenant_id = ? AND plan_id = ?"
                + " AND cost_nanos = ?", billed.id(), planId, perRow));
        assertEquals(all * perRow, ((Number) db.value("SELECT cost_nanos FROM period_usage WHERE tenant_id = ?"
                + " AND scope = '*'", billed.id())).longValue());
        assertEquals(all * perRow, ((Number) db.value("SELECT sum(cost_nanos) FROM usage_rollups"
                + " WHERE tenant_id = ?", billed.id())).longValue());
        assertEquals(LEASE - all, ((Number) db.value("SELECT amount FROM limit_leases WHERE counter = ?"
                + " AND holder = ?", requests, holder)).longValue());
        assertEquals(all, db.count("SELECT count(*) FROM usage_records WHERE tenant_id = ? AND plan_id IS NULL"
                + " AND cost_nanos = 0", unbilled.id()));
        assertEquals(all, ((Number) db.value("SELECT requests FROM period_usage WHERE tenant_id = ?"
                + " AND scope = '*'", unbilled.id())).longValue());
    }

    private static UsageRecord row(Tenant tenant, Instant at, LocalDate period, UsageRecord.Billing billing) {
        return new UsageRecord(UUID.randomUUID(), tenant.id(), null, null, null, null, MODEL, 1, "infer", 200, true,
                ITEMS, COMPUTE_US, 120, 80, "cpu", null, at, at, period, billing, null);
    }

    /** {@code n} rows, {@code threads} at a time; each call's wait lands in {@code waits} from {@code offset}. */
    private void push(Function<Instant, UsageRecord> rowAt, int n, long[] waits, int offset) throws Exception {
        if (blocking) {
            pushBlocking(rowAt, n, waits, offset);
            return;
        }
        // As the gateway does: no thread waits for a commit; each row's stage completes when its batch commits.
        Semaphore inFlight = new Semaphore(threads);
        CountDownLatch done = new CountDownLatch(n);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        for (int i = 0; i < n; i++) {
            inFlight.acquire();
            int index = i;
            UsageRecord row = rowAt.apply(Instant.now());
            long begin = System.nanoTime();
            recorder.recordAsync(row).whenComplete((cost, failure) -> {
                if (failure != null) {
                    failed.compareAndSet(null, failure);
                } else if (waits != null) {
                    waits[offset + index] = System.nanoTime() - begin;
                }
                inFlight.release();
                done.countDown();
            });
        }
        done.await(30, TimeUnit.MINUTES);
        if (failed.get() != null) {
            throw new AssertionError("a row was not recorded", failed.get());
        }
    }

    /** {@code n} rows from {@code threads} threads, each blocked until its row commits. */
    private void pushBlocking(Function<Instant, UsageRecord> rowAt, int n, long[] waits, int offset)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            AtomicInteger next = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> callers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                callers.add(pool.submit(() -> {
                    start.await();
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        UsageRecord row = rowAt.apply(Instant.now());
                        long begin = System.nanoTime();
                        recorder.record(row);
                        if (waits != null) {
                            waits[offset + i] = System.nanoTime() - begin;
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> caller : callers) {
                caller.get(30, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
