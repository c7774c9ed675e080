package io.aiaas.platform.limits.service;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.platform.billing.pricing.BillingPeriods;
import io.aiaas.platform.common.error.ApiException;
import io.aiaas.platform.limits.LimitsConfig;
import io.aiaas.platform.limits.service.Admission.Consumption;
import io.aiaas.platform.plan.service.ActivePlan;
import io.aiaas.platform.plan.service.PlanSpec;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.Plans;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.usage.service.UsageRecord;
import io.aiaas.platform.usage.service.UsageRecorder;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas' limit engines (two {@link Limits} with their own holder ids, as two control-plane processes have)
 * sharing one real PostgreSQL, under many concurrent callers: rate limits, concurrency and a hard budget hold exactly,
 * and demand above a rate limit gets (nearly) all of it. The process-level version is deploy/local's BillingIT.
 */
@QuarkusTest
class LimitsAcrossReplicasTest {

    /** Nano-units a billed call costs in the budget tests: 3,000,000 micro-units per 1,000 requests. */
    private static final long PER_CALL = 3_000_000L;

    @Inject
    LeaseStore store;
    @Inject
    LimitsConfig config;
    @Inject
    UsageRecorder recorder;
    @Inject
    Fixtures fixtures;
    @Inject
    TestDb db;
    @Inject
    ObjectMapper json;

    Limits a;
    Limits b;
    ExecutorService pool;

    @BeforeEach
    void replicas() {
        a = new Limits(store, config);
        b = new Limits(store, config);
        a.start(null);
        b.start(null);
        pool = Executors.newFixedThreadPool(64);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        a.stop(null);
        b.stop(null);
    }

    private ActivePlan plan(String spec) throws Exception {
        PlanSpec parsed = json.readValue(spec, PlanSpec.class);
        return new ActivePlan(UUID.randomUUID(), parsed.name(), 1, parsed, ZoneOffset.UTC, Instant.EPOCH, null);
    }

    /** Waits, if needed, so that the next {@code seconds} lie in one clock minute (one rate-limit window). */
    private static void sameMinuteFor(int seconds) throws InterruptedException {
        long intoMinute = Instant.now().getEpochSecond() % 60;
        if (intoMinute > 60 - seconds) {
            Thread.sleep((61 - intoMinute) * 1000);
        }
    }

    /**
     * The counters' names are what replicas share in limit_leases: a replica that named one differently (a rolling
     * upgrade, say) would take the same capacity again under another name. They stay exactly these.
     */
    @Test
    void everyKindOfCounterKeepsTheNameEveryReplicaUses() throws Exception {
        ActivePlan plan = plan(Plans.spec("names", """
                {"requests_per_minute_per_key": 1000, "requests_per_minute_per_tenant": 1000,
                 "max_concurrent_requests": 10}""", """
                [{"metric": "items", "model": "m", "limit": 1000, "enforcement": "hard"},
                 {"metric": "compute_seconds", "model": null, "limit": 1000, "enforcement": "hard"}]""",
                """
                {"limit_micros": 1000000, "enforcement": "hard"}""", Plans.perRequest(10)));
        UUID tenant = fixtures.tenant().id();
        UUID key = UUID.randomUUID();
        Instant now = Instant.now();
        long minute = Math.floorDiv(now.getEpochSecond(), 60);
        LocalDate period = BillingPeriods.periodOf(now, ZoneOffset.UTC);

        for (int i = 0; i < 2; i++) { // the second call takes the names from the first one's
            admit(a, tenant, key, plan, now).finish(Consumption.NOTHING);
        }

        List<String> counters = db.query("SELECT counter FROM limit_leases WHERE counter LIKE ? ORDER BY counter",
                "%" + tenant + "%").stream().map(r -> (String) r.get("counter")).toList();
        List<String> keyCounters = db.query("SELECT counter FROM limit_leases WHERE counter LIKE ?", "%" + key + "%")
                .stream().map(r -> (String) r.get("counter")).toList();
        assertEquals(List.of("c:" + tenant, "q:" + tenant + ":" + period + ":compute_us:*",
                "q:" + tenant + ":" + period + ":cost:*", "q:" + tenant + ":" + period + ":items:m",
                "r:t:" + tenant + ":" + minute), counters);
        assertEquals(List.of("r:k:" + key + ":" + minute), keyCounters);
    }

    @Test
    void tenantRateLimitIsExactAndFullyUsedAcrossTwoReplicas() throws Exception {
        ActivePlan plan = plan(Plans.spec("rate", """
                {"requests_per_minute_per_tenant": 300}""", null, null, Plans.perRequest(0)));
        UUID tenant = fixtures.tenant().id();
        sameMinuteFor(25);
        Instant window = Instant.now();
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<Future<?>> callers = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            Limits replica = i % 2 == 0 ? a : b;
            callers.add(pool.submit(() -> {
                for (int call = 0; call < 25; call++) {
                    try {
                        admit(replica, tenant, UUID.randomUUID(), plan, window).finish(Consumption.NOTHING);
                        admitted.incrementAndGet();
                    } catch (ApiException e) {
                        assertEquals("rate_limited", e.code());
                        assertThat(e.retryAfterSeconds(), greaterThanOrEqualTo(1));
                        refused.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> caller : callers) {
            caller.get(60, TimeUnit.SECONDS);
        }
        System.out.printf("RESULT rate limit 300/min over 2 replicas, 800 calls: admitted %d, refused %d%n",
                admitted.get(), refused.get());
        assertThat(admitted.get(), lessThanOrEqualTo(300));
        // Demand (800) is well above the limit: at least 95% of the limit is admitted.
        assertThat(admitted.get(), greaterThanOrEqualTo(285));
    }

    @Test
    void concurrencyLimitHoldsAcrossTwoReplicas() throws Exception {
        ActivePlan plan = plan(Plans.spec("conc", """
                {"max_concurrent_requests": 4}""", null, null, Plans.perRequest(0)));
        UUID tenant = fixtures.tenant().id();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger admitted = new AtomicInteger();
        List<Future<?>> callers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Limits replica = i % 2 == 0 ? a : b;
            callers.add(pool.submit(() -> {
                for (int call = 0; call < 20; call++) {
                    Admission admission;
                    try {
                        admission = admit(replica, tenant, UUID.randomUUID(), plan, Instant.now());
                    } catch (ApiException e) {
                        assertEquals("concurrency_limited", e.code());
                        continue;
                    }
                    int now = inFlight.incrementAndGet();
                    most.accumulateAndGet(now, Math::max);
                    admitted.incrementAndGet();
                    try {
                        Thread.sleep(5);
                    } finally {
                        inFlight.decrementAndGet();
                        admission.finish(Consumption.NOTHING);
                    }
                }
                return null;
            }));
        }
        for (Future<?> caller : callers) {
            caller.get(60, TimeUnit.SECONDS);
        }
        System.out.printf("RESULT concurrency limit 4 over 2 replicas: most in flight %d, admitted %d of 320%n",
                most.get(), admitted.get());
        assertThat(most.get(), lessThanOrEqualTo(4));
        assertThat(admitted.get(), greaterThanOrEqualTo(20));
    }

    @Test
    void hardBudgetIsNeverOvershotByMoreThanOneCallUnder64CallersOnTwoReplicas() throws Exception {
        spendsExactly600000MicroUnits(plan(Plans.spec("budget", null, null, """
                {"limit_micros": 600000, "enforcement": "hard"}""", Plans.perRequest(PER_CALL))), null,
                "budget_exceeded");
    }

    /** The tenant's own cap, tighter than a hard plan budget, on the same counter: held as exactly. */
    @Test
    void theTenantsOwnBudgetIsNeverOvershotByMoreThanOneCallUnder64CallersOnTwoReplicas() throws Exception {
        spendsExactly600000MicroUnits(plan(Plans.spec("own-budget", null, null, """
                {"limit_micros": 6000000, "enforcement": "hard"}""", Plans.perRequest(PER_CALL))), 600_000L,
                "tenant_budget_exceeded");
    }

    private void spendsExactly600000MicroUnits(ActivePlan plan, Long tenantCap, String refusal) throws Exception {
        UUID tenant = fixtures.tenant().id();
        LocalDate period = BillingPeriods.periodOf(Instant.now(), ZoneOffset.UTC);
        AtomicLong ok = new AtomicLong();
        ConcurrentHashMap<String, AtomicInteger> codes = new ConcurrentHashMap<>();
        burst(64, 20, plan, tenantCap, tenant, period, ok, codes);
        // Capacity a replica took but did not use goes back after idle-return; a later caller gets it.
        Thread.sleep(config.idleReturn().toMillis() + config.maintainInterval().toMillis() * 3);
        burst(8, 5, plan, tenantCap, tenant, period, ok, codes);
        long spent = ((Number) db.value("SELECT coalesce(sum(cost_nanos), 0) FROM usage_records"
                + " WHERE tenant_id = ? AND billable", tenant)).longValue();
        long budget = 600_000_000L;
        System.out.printf("RESULT %s %d nano-units, 64 callers over 2 replicas: admitted %d, spent %d,"
                + " overshoot %d, refusals %s%n", refusal, budget, ok.get(), spent, spent - budget, codes);
        assertThat(spent, lessThanOrEqualTo(budget + PER_CALL));
        assertEquals(spent, ok.get() * PER_CALL);
        assertEquals(spent, ((Number) db.value("SELECT cost_nanos FROM period_usage WHERE tenant_id = ?"
                + " AND scope = '*'", tenant)).longValue());
        // 200 calls fit; all of the budget is used in the end (nothing stays stranded in a replica's lease).
        assertEquals(200, budget / PER_CALL);
        assertEquals(budget / PER_CALL, ok.get());
        assertEquals(java.util.Set.of(refusal), codes.keySet());
    }

    /**
     * Far from its limits a call's consumption leaves its replica's lease after the usage row commits, not in the
     * row's transaction (one statement fewer per batch on the hot path). It must still leave exactly once: when the
     * replicas have given back what they did not use, their leases' rows hold nothing, and period usage counts every
     * call.
     */
    @Test
    void farFromTheLimitsLeasesAreSettledAfterTheCommitExactlyOnce() throws Exception {
        ActivePlan plan = plan(Plans.spec("far", null, """
                [{"metric": "requests", "model": null, "limit": 1000000, "enforcement": "hard"}]""", """
                {"limit_micros": 1000000000, "enforcement": "hard"}""", Plans.perRequest(PER_CALL)));
        UUID tenant = fixtures.tenant().id();
        LocalDate period = BillingPeriods.periodOf(Instant.now(), ZoneOffset.UTC);
        AtomicLong ok = new AtomicLong();
        AtomicInteger settledLater = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Limits replica = i % 2 == 0 ? a : b;
            running.add(pool.submit(() -> {
                for (int call = 0; call < 40; call++) {
                    Admission admission = billedCall(replica, plan, null, tenant, period);
                    if (admission.charges().size() < 2) { // the quota's and the budget's, unless settled later
                        settledLater.incrementAndGet();
                    }
                    ok.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> caller : running) {
            caller.get(120, TimeUnit.SECONDS);
        }
        // What the replicas hold goes back after idle-return; what they settled later, within a maintenance round.
        Thread.sleep(config.idleReturn().toMillis() + config.maintainInterval().toMillis() * 3);

        List<java.util.Map<String, Object>> leases = db.query("SELECT counter, holder, amount FROM limit_leases"
                + " WHERE counter LIKE ?", "q:" + tenant + "%");
        System.out.printf("RESULT far from the limits, 640 calls over 2 replicas: %d settled after the commit; "
                + "leases %s%n", settledLater.get(), leases);
        assertEquals(640, ok.get());
        assertThat("most calls leave the writer's transaction alone", settledLater.get(), greaterThanOrEqualTo(320));
        assertThat(leases.size(), greaterThanOrEqualTo(2));
        for (java.util.Map<String, Object> lease : leases) {
            assertEquals(0L, ((Number) lease.get("amount")).longValue(), "nothing left on " + lease);
        }
        assertEquals(640L, ((Number) db.value("SELECT requests FROM period_usage WHERE tenant_id = ? AND scope = '*'",
                tenant)).longValue());
        assertEquals(640L * PER_CALL, ((Number) db.value("SELECT cost_nanos FROM period_usage WHERE tenant_id = ?"
                + " AND scope = '*'", tenant)).longValue());
    }

    private void burst(int callers, int calls, ActivePlan plan, Long tenantCap, UUID tenant, LocalDate period,
            AtomicLong ok, ConcurrentHashMap<String, AtomicInteger> codes) throws Exception {
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            Limits replica = i % 2 == 0 ? a : b;
            running.add(pool.submit(() -> {
                for (int call = 0; call < calls; call++) {
                    try {
                        billedCall(replica, plan, tenantCap, tenant, period);
                    } catch (ApiException e) {
                        codes.computeIfAbsent(e.code(), c -> new AtomicInteger()).incrementAndGet();
                        continue;
                    }
                    ok.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> caller : running) {
            caller.get(120, TimeUnit.SECONDS);
        }
    }

    /**
     * One call as the gateway makes it: admitted by {@code replica} (or refused with ApiException), its billable row
     * (one item, 10 us of compute) committed with the admission's charges, then the admission finished with what
     * the row cost, under the tenant's own cap {@code tenantCap} (micro-units, null: none). Answers the admission.
     */
    private Admission billedCall(Limits replica, ActivePlan plan, Long tenantCap, UUID tenant, LocalDate period) {
        Instant at = Instant.now();
        Admission admission = replica.admit(tenant, null, null, null, tenantCap, plan, "m", at,
                BillingPeriods.periodOf(at, plan.zone()));
        Instant now = Instant.now();
        UsageRecord row = new UsageRecord(UUID.randomUUID(), tenant, null, null, null, null, "m", 1, "infer", 200,
                true, 1, 10, 0, 0, "cpu", null, now, now, period, new UsageRecord.Billing(plan.planId(), "USD",
                        plan.spec(), plan.spec().priceOf("m").orElseThrow(), admission.holder(),
                        admission.charges()), null);
        long cost = recorder.record(row).totalNanos();
        admission.finish(new Consumption(1, 1, 10, cost));
        return admission;
    }

    /** Model "m", in the billing period of {@code now} in the plan's zone, as the gateway computes it. */
    private static Admission admit(Limits replica, UUID tenant, UUID key, ActivePlan plan, Instant now) {
        return replica.admit(tenant, key, null, null, null, plan, "m", now, BillingPeriods.periodOf(now, plan.zone()));
    }
}
