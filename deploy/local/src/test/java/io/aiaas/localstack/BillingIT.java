package io.aiaas.localstack;

import static io.aiaas.localstack.BillingLedger.countBy;
import static io.aiaas.localstack.BillingLedger.requestIds;
import static io.aiaas.localstack.BillingLedger.servedSince;
import static io.aiaas.localstack.BillingLedger.wallNanos;
import static io.aiaas.localstack.BillingStack.BAD_BODY;
import static io.aiaas.localstack.BillingStack.CALL_TIMEOUT;
import static io.aiaas.localstack.BillingStack.INFER_BODY;
import static io.aiaas.localstack.BillingStack.MODEL;
import static io.aiaas.localstack.BillingStack.PRICE_PER_1K_MICROS;
import static io.aiaas.localstack.BillingStack.SLOW_MODEL;
import static io.aiaas.localstack.BillingStack.await;
import static io.aiaas.localstack.BillingStack.awaitPlanEverywhere;
import static io.aiaas.localstack.BillingStack.call;
import static io.aiaas.localstack.BillingStack.rateLimits;
import static io.aiaas.localstack.BillingStack.runCallers;
import static io.aiaas.localstack.BillingStack.sleep;
import static io.aiaas.localstack.BillingStack.slowBody;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.localstack.BillingLedger.Exactly;
import io.aiaas.localstack.BillingLedger.Rows;
import io.aiaas.localstack.BillingStack.Answer;
import io.aiaas.localstack.BillingStack.Key;
import io.aiaas.localstack.BillingStack.Tenant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The promises of the billing issue that need two control-plane processes on one PostgreSQL: a hard budget (and an API
 * key's monthly cap) that 64 concurrent callers over two replicas overshoot by at most one request, a per-tenant
 * rate limit that admits between 95% and 100% of itself across replicas, a concurrency limit shared by the replicas,
 * an idempotent retry billed once whichever replica it reaches, and exactly-once billing (billable rows = 2xx answers,
 * no request id twice, invoice = sum of row costs) under a mix of successes, client errors, 429s and a killed worker.
 * One stack for the class (Keycloak, platform-api A with its embedded PostgreSQL, replica B on it, one worker); each
 * test makes its own tenant, plan and key through the public APIs, reads rows over JDBC and prints {@code RESULT}
 * lines with its figures. The stack, the calls and the tenants are {@link BillingStack}'s; the rows, the invoice and
 * the exactly-once account are {@link BillingLedger}'s.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BillingIT {

    /** micro-units per 1,000 requests = nano-units per request. */
    private static final long REQUEST_NANOS = PRICE_PER_1K_MICROS;

    private static final int BUDGET_REQUESTS = 200;
    private static final int BUDGET_CALLERS_PER_REPLICA = 32;
    private static final int BUDGET_MAX_CALLS_PER_CALLER = 60;

    private static final int RATE_PER_MINUTE = 300;
    private static final int RATE_CALLERS_PER_REPLICA = 16;
    /** The rate test runs inside one clock minute: it waits for the next when less than this is left. */
    private static final Duration RATE_MINUTE_LEFT_AT_LEAST = Duration.ofSeconds(30);
    /** How long the load goes on after both replicas have refused a call. */
    private static final Duration RATE_REFUSED_FOR = Duration.ofSeconds(3);
    private static final double RATE_MIN_FRACTION = 0.95;

    private static final int MAX_CONCURRENT = 4;
    private static final int CONCURRENCY_CALLERS_PER_REPLICA = 8;
    private static final Duration CONCURRENCY_LOAD = Duration.ofSeconds(6);
    /** How long a call of the slow model takes: the calibration's target, and the concurrency test's calls. */
    private static final long SLOW_CALL_MS = 200;

    private static final long IN_PROGRESS_CALL_MS = 1500;

    private static final int ONCE_CALLERS_PER_REPLICA = 6;
    private static final int ONCE_LIMITED_CALLERS_PER_REPLICA = 2;
    private static final int ONCE_KEY_RATE_PER_MINUTE = 30;
    private static final Duration ONCE_LOAD_BEFORE_KILL = Duration.ofSeconds(2);
    private static final Duration ONCE_SERVING_AGAIN_WITHIN = Duration.ofSeconds(90);

    private static final AtomicReference<String> childDeath = new AtomicReference<>();
    private static BillingStack stack;
    private static BillingLedger ledger;
    private static long classStarted;
    private static String replicaA;
    private static String replicaB;

    /** Logs of every child when a test fails. */
    @RegisterExtension
    static final TestWatcher CHILD_LOGS_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (stack != null) {
                System.err.println(context.getDisplayName() + " failed; the children:" + System.lineSeparator()
                        + stack.diagnostics(30));
            }
        }
    };

    @BeforeAll
    static void startStack() throws Exception {
        classStarted = System.nanoTime();
        stack = BillingStack.start(message -> {
            childDeath.set(message);
            System.err.println("CHILD DIED: " + message);
        });
        replicaA = stack.replicaA();
        ledger = new BillingLedger(stack);
        // the models, replica B, the warm-up of both replicas and the slow model's RESULT line
        stack.prepare(SLOW_CALL_MS);
        replicaB = stack.replicaB();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
        System.out.printf("BillingIT: %d s in all%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - classStarted));
        assertNull(childDeath.get(), "no child may die unless a test killed it");
    }

    @Test
    @Order(1)
    void budgetNeverOvershootsByMoreThanOneRequestAcrossTwoReplicas() throws Exception {
        long budgetMicros = BUDGET_REQUESTS * REQUEST_NANOS / 1000;
        Tenant tenant = stack.newTenant("budget-co", rateLimits(null, null, null), budgetMicros);
        Key key = stack.newKey(tenant.slug());
        awaitPlanEverywhere();
        spendStopsAtTheCapAcrossTwoReplicas("hard budget", tenant, key, budgetMicros * 1000, "budget_exceeded");
    }

    @Test
    @Order(1)
    void aKeysMonthlyCapNeverOvershootsByMoreThanOneRequestAcrossTwoReplicas() throws Exception {
        long capMicros = BUDGET_REQUESTS * REQUEST_NANOS / 1000;
        Tenant tenant = stack.newTenant("key-cap-co", rateLimits(null, null, null), null);
        Key key = stack.newKey(tenant.slug(), Map.of("name", "capped", "monthly_budget_micros", capMicros));
        awaitPlanEverywhere();
        spendStopsAtTheCapAcrossTwoReplicas("key's monthly cap", tenant, key, capMicros * 1000,
                "key_budget_exceeded");
        assertEquals(ledger.periodUsage(tenant.id())[1], ledger.keyPeriodCostNanos(key.id()),
                "the key's own counter holds its spend");
    }

    /**
     * 64 callers, half through each replica, call with the key until refused: the spend stops within one request of
     * the cap ({@code capNanos}), every caller ends with 429 {@code code}, and the billable rows are exactly the 2xx
     * answers, priced as their headers said.
     */
    private void spendStopsAtTheCapAcrossTwoReplicas(String what, Tenant tenant, Key key, long capNanos,
            String code) throws Exception {
        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        Map<String, Integer> endedBy = new TreeMap<>();
        int callers = 2 * BUDGET_CALLERS_PER_REPLICA;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<CompletableFuture<String>> endings = new ArrayList<>();
        long begin = System.nanoTime();
        try {
            for (int i = 0; i < callers; i++) {
                String replica = i % 2 == 0 ? replicaA : replicaB;
                endings.add(CompletableFuture.supplyAsync(() -> {
                    await(go);
                    for (int n = 0; n < BUDGET_MAX_CALLS_PER_CALLER; n++) {
                        Answer answer = call(replica, key.secret(), MODEL, INFER_BODY, Map.of());
                        answers.add(answer);
                        if (answer.status() == 429 && code.equals(answer.code())) {
                            return code;
                        }
                    }
                    return "gave up after " + BUDGET_MAX_CALLS_PER_CALLER + " calls";
                }, pool));
            }
            go.countDown();
            for (CompletableFuture<String> ending : endings) {
                endedBy.merge(ending.get(120, TimeUnit.SECONDS), 1, Integer::sum);
            }
        } finally {
            pool.shutdownNow();
        }
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);

        List<Answer> ok = answers.stream().filter(Answer::ok).toList();
        Set<String> okIds = requestIds(ok);
        Rows rows = ledger.billableRows(tenant.id());
        long overshoot = rows.costNanos() - capNanos;
        long headerCost = ok.stream().mapToLong(Answer::costNanos).sum();
        long[] period = ledger.periodUsage(tenant.id());
        List<Answer> refusals = answers.stream().filter(a -> a.status() == 429).toList();
        Map<String, Long> kinds = countBy(answers, Answer::kind);
        Map<String, Long> admittedBy = countBy(ok, Answer::replica);
        System.out.printf("RESULT %s across two replicas: %d callers (%d per replica), cap %d nanos (%d "
                        + "requests of %d nanos); %d admitted (2xx; by replica %s), %d billable rows costing %d nanos: "
                        + "overshoot %d nanos (%.2f requests; allowed %d); spend %.1f%% of the budget; answers %s; "
                        + "callers ended by %s; x-aiaas-cost total %d nanos; period_usage requests %d, cost %d; "
                        + "%d ms%n",
                what, callers, BUDGET_CALLERS_PER_REPLICA, capNanos, BUDGET_REQUESTS, REQUEST_NANOS, ok.size(),
                stack.replicaNames(admittedBy), rows.count(), rows.costNanos(), overshoot,
                overshoot / (double) REQUEST_NANOS, REQUEST_NANOS, 100.0 * rows.costNanos() / capNanos, kinds, endedBy,
                headerCost, period[0], period[1], tookMs);
        assertAll(
                () -> assertTrue(ok.size() > 0, "some calls are admitted"),
                () -> assertTrue(rows.costNanos() <= capNanos + REQUEST_NANOS, "spend " + rows.costNanos()
                        + " nanos exceeds the " + what + " " + capNanos + " by more than one request ("
                        + REQUEST_NANOS + ")"),
                () -> assertEquals(ok.size(), rows.count(), "billable rows = 2xx answers"),
                () -> assertEquals(okIds, rows.ids(), "the billable rows are exactly the 2xx answers (by request id)"),
                () -> assertEquals(List.of(), rows.duplicates(), "no request id twice"),
                () -> assertEquals(Map.of(code, callers), endedBy,
                        "every caller, on either replica, ends with 429 " + code),
                () -> assertEquals(Set.of("200", "429 " + code), kinds.keySet(), "only 200 and 429 " + code + ": "
                        + kinds),
                () -> assertTrue(refusals.stream().allMatch(a -> a.header("retry-after").isPresent()),
                        "every 429 carries retry-after"),
                () -> assertTrue(ok.stream().allMatch(a -> a.costNanos() == REQUEST_NANOS),
                        "every 2xx carries x-aiaas-cost of one request: " + countBy(ok, a -> a.header("x-aiaas-cost")
                                .orElse("none"))),
                () -> assertEquals(rows.costNanos(), headerCost, "x-aiaas-cost of the 2xx adds up to the rows' cost"),
                () -> assertEquals(rows.count(), period[0], "period_usage counts the billable requests"),
                () -> assertEquals(rows.costNanos(), period[1], "period_usage holds the rows' cost"));
    }

    @Test
    @Order(2)
    void rateLimitAdmitsAtLeast95PercentAcrossReplicas() throws Exception {
        Tenant tenant = stack.newTenant("rate-co", rateLimits(null, RATE_PER_MINUTE, null), null);
        Key key = stack.newKey(tenant.slug());
        awaitPlanEverywhere();
        // The whole load inside one clock minute, whatever the window's alignment (clock minute or first call): it
        // starts after the next boundary when too little of this minute is left, and ends before the minute does.
        long leftMs = 60_000 - System.currentTimeMillis() % 60_000;
        if (leftMs < RATE_MINUTE_LEFT_AT_LEAST.toMillis()) {
            Thread.sleep(leftMs + 300);
        }
        long minuteEndsMs = (System.currentTimeMillis() / 60_000 + 1) * 60_000 - 1_000;

        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> firstRefusal = new ConcurrentHashMap<>();
        int callers = 2 * RATE_CALLERS_PER_REPLICA;
        long begin = System.nanoTime();
        // Demand has exceeded the limit once both replicas refuse; the load goes on a little longer so that capacity
        // still held by one replica shows up as a shortfall.
        BooleanSupplier over = () -> System.currentTimeMillis() >= minuteEndsMs
                || firstRefusal.size() == 2 && System.nanoTime() - Collections.max(firstRefusal.values())
                        > RATE_REFUSED_FOR.toNanos();
        runCallers(callers, i -> i % 2 == 0 ? replicaA : replicaB, (replica, n) -> {
            while (!over.getAsBoolean()) {
                Answer answer = call(replica, key.secret(), MODEL, INFER_BODY, Map.of());
                answers.add(answer);
                if (answer.status() == 429) {
                    firstRefusal.putIfAbsent(replica, answer.endNanos());
                    // demand stays far above the limit; the pause keeps spinning callers from starving the servers
                    sleep(5);
                }
            }
        }, Duration.ofSeconds(120));
        long endedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);

        List<Answer> ok = answers.stream().filter(Answer::ok).toList();
        List<Answer> refused = answers.stream().filter(a -> a.status() == 429).toList();
        List<Long> okTimes = ok.stream().map(a -> TimeUnit.NANOSECONDS.toMillis(a.endNanos() - begin)).sorted()
                .toList();
        long reach95Ms = okTimes.size() >= (int) Math.ceil(RATE_MIN_FRACTION * RATE_PER_MINUTE)
                ? okTimes.get((int) Math.ceil(RATE_MIN_FRACTION * RATE_PER_MINUTE) - 1) : -1;
        double fraction = ok.size() / (double) RATE_PER_MINUTE;
        Rows rows = ledger.billableRows(tenant.id());
        List<Answer> withoutHeaders = answers.stream().filter(a -> a.status() == 200 || a.status() == 429)
                .filter(a -> !a.header("x-ratelimit-limit-requests")
                        .equals(Optional.of(String.valueOf(RATE_PER_MINUTE)))
                        || a.header("x-ratelimit-remaining-requests").isEmpty()
                        || a.header("x-ratelimit-reset-requests").isEmpty())
                .toList();
        long refusedRows = ledger.awaitRows(tenant.id(), "NOT billable AND status_code = 429", refused.size());
        System.out.printf("RESULT rate limit across two replicas: %d requests/minute per tenant, %d callers (%d per "
                        + "replica) for %d ms: %d admitted = %.1f%% of the limit (by replica %s; 95%% reached after %d "
                        + "ms; first refusal after %s ms), %d refused 429 (codes %s; retry-after seen %s), answers %s, "
                        + "%d billable rows, %d refused rows; rate-limit headers missing or wrong on %d answers (first "
                        + "429's: limit %s, remaining %s, reset %s)%n",
                RATE_PER_MINUTE, callers, RATE_CALLERS_PER_REPLICA, endedMs, ok.size(), 100 * fraction,
                stack.replicaNames(countBy(ok, Answer::replica)), reach95Ms,
                stack.replicaNames(firstRefusal.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                        e -> TimeUnit.NANOSECONDS.toMillis(e.getValue() - begin)))), refused.size(),
                countBy(refused, Answer::code),
                countBy(refused, a -> a.header("retry-after").orElse("none")).keySet(), countBy(answers, Answer::kind),
                rows.count(), refusedRows, withoutHeaders.size(),
                refused.isEmpty() ? "-" : refused.get(0).header("x-ratelimit-limit-requests").orElse("none"),
                refused.isEmpty() ? "-" : refused.get(0).header("x-ratelimit-remaining-requests").orElse("none"),
                refused.isEmpty() ? "-" : refused.get(0).header("x-ratelimit-reset-requests").orElse("none"));
        assertAll(
                () -> assertTrue(ok.size() <= RATE_PER_MINUTE, ok.size() + " admitted within one minute, over the "
                        + "limit of " + RATE_PER_MINUTE),
                () -> assertTrue(fraction >= RATE_MIN_FRACTION, String.format("only %d admitted (%.1f%% of %d) while "
                        + "demand exceeded the limit", ok.size(), 100 * fraction, RATE_PER_MINUTE)),
                () -> assertEquals(2, firstRefusal.size(), "demand exceeded the limit on both replicas: refused on "
                        + stack.replicaNames(firstRefusal.entrySet().stream()
                                .collect(Collectors.toMap(Map.Entry::getKey, e -> 1L))).keySet()),
                () -> assertTrue(refused.stream().allMatch(a -> "rate_limited".equals(a.code())),
                        "every 429 says rate_limited: " + countBy(refused, Answer::code)),
                () -> assertTrue(refused.stream().allMatch(a -> a.header("retry-after").map(BillingStack::seconds)
                        .filter(s -> s >= 0 && s <= 60).isPresent()), "every 429 carries retry-after of 0-60 s"),
                () -> assertEquals(answers.size(), ok.size() + refused.size(), "only 2xx and 429: "
                        + countBy(answers, Answer::kind)),
                () -> assertEquals(requestIds(ok), rows.ids(), "billable rows = the admitted calls"),
                () -> assertEquals(Map.of(), countBy(withoutHeaders, Answer::kind), "every answer carries "
                        + "x-ratelimit-limit-requests " + RATE_PER_MINUTE + ", x-ratelimit-remaining-requests and "
                        + "x-ratelimit-reset-requests; answers without, by status"),
                () -> assertEquals(refused.size(), refusedRows, "each refusal is recorded, not billable"));
    }

    @Test
    @Order(3)
    void idempotentRetryIsBilledOnce() throws Exception {
        Tenant tenant = stack.newTenant("idem-co", rateLimits(null, null, null), null);
        Key key = stack.newKey(tenant.slug());
        awaitPlanEverywhere();

        String idemKey = "idem-" + UUID.randomUUID();
        Answer first = call(replicaA, key.secret(), MODEL, INFER_BODY, Map.of("Idempotency-Key", idemKey));
        Answer retry = call(replicaB, key.secret(), MODEL, INFER_BODY, Map.of("Idempotency-Key", idemKey));

        // a retry while the first call still runs (a slow call through A, the retry through B)
        String slowKey = "idem-slow-" + UUID.randomUUID();
        String slowBody = slowBody(stack.stepsFor(IN_PROGRESS_CALL_MS));
        CompletableFuture<Answer> slowFirst = CompletableFuture.supplyAsync(
                () -> call(replicaA, key.secret(), SLOW_MODEL, slowBody, Map.of("Idempotency-Key", slowKey)));
        Thread.sleep(IN_PROGRESS_CALL_MS / 4);
        Answer whileRunning = call(replicaB, key.secret(), SLOW_MODEL, slowBody, Map.of("Idempotency-Key", slowKey));
        boolean firstStillRunning = !slowFirst.isDone();
        Answer slowDone = slowFirst.get(60, TimeUnit.SECONDS);
        Answer slowRetry = call(replicaB, key.secret(), SLOW_MODEL, slowBody, Map.of("Idempotency-Key", slowKey));

        Rows rows = ledger.billableRows(tenant.id());
        Map<String, Long> byIdemKey = ledger.billableRowsByIdempotencyKey(tenant.id());
        System.out.printf("RESULT idempotent retry: first through A %d (replay header %s, request id %s), retry "
                        + "through B %d (replay header %s, request id %s, same body %s); retry while the first (%d ms) "
                        + "still ran: %s (first still running then: %s), first %d, retry after it %d (replay %s, same "
                        + "body %s); billable rows %d costing %d nanos, by idempotency key %s%n",
                first.status(), first.header("x-aiaas-idempotent-replay").orElse("none"),
                first.requestId().orElse("none"), retry.status(), retry.header("x-aiaas-idempotent-replay")
                        .orElse("none"), retry.requestId().orElse("none"), first.body().equals(retry.body()),
                slowDone.millis(), whileRunning.kind(), firstStillRunning, slowDone.status(), slowRetry.status(),
                slowRetry.header("x-aiaas-idempotent-replay").orElse("none"), slowDone.body().equals(slowRetry.body()),
                rows.count(), rows.costNanos(), byIdemKey);
        assertAll(
                () -> assertEquals(200, first.status(), "first call: " + first.body()),
                () -> assertNotEquals(Optional.of("true"), first.header("x-aiaas-idempotent-replay"),
                        "the first call is no replay"),
                () -> assertEquals(200, retry.status(), "retry: " + retry.body()),
                () -> assertEquals(Optional.of("true"), retry.header("x-aiaas-idempotent-replay"),
                        "the retry through the other replica says it is a replay"),
                () -> assertEquals(first.body(), retry.body(), "the retry gets the same body"),
                () -> assertEquals(200, slowDone.status(), "the slow first call: " + slowDone.body()),
                () -> assertTrue(!firstStillRunning || (whileRunning.status() == 409
                        && "idempotency_in_progress".equals(whileRunning.code())), "a retry while the first runs gets "
                        + "409 idempotency_in_progress: " + whileRunning.status() + " " + whileRunning.body()),
                () -> assertTrue(firstStillRunning, "the first call (" + slowDone.millis() + " ms) still ran when "
                        + "the retry came " + IN_PROGRESS_CALL_MS / 4 + " ms after it"),
                () -> assertEquals(Optional.of("true"), slowRetry.header("x-aiaas-idempotent-replay"),
                        "the retry after the slow call completed is a replay"),
                () -> assertEquals(slowDone.body(), slowRetry.body(), "and gets the same body"),
                () -> assertEquals(2, rows.count(), "one billable row per idempotency key"),
                () -> assertEquals(2 * REQUEST_NANOS, rows.costNanos(), "each key billed one request"),
                () -> assertEquals(Map.of(idemKey, 1L, slowKey, 1L), byIdemKey,
                        "the billable rows carry their idempotency key, once each"));
    }

    @Test
    @Order(4)
    void concurrencyLimitHoldsAcrossReplicas() throws Exception {
        Tenant tenant = stack.newTenant("concurrency-co", rateLimits(null, null, MAX_CONCURRENT), null);
        Key key = stack.newKey(tenant.slug());
        awaitPlanEverywhere();
        long steps = stack.stepsFor(SLOW_CALL_MS);
        String body = slowBody(steps);

        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        int callers = 2 * CONCURRENCY_CALLERS_PER_REPLICA;
        long begin = System.nanoTime();
        long deadline = begin + CONCURRENCY_LOAD.toNanos();
        runCallers(callers, i -> i % 2 == 0 ? replicaA : replicaB, (replica, n) -> {
            while (System.nanoTime() < deadline) {
                Answer answer = call(replica, key.secret(), SLOW_MODEL, body, Map.of());
                answers.add(answer);
                if (!answer.ok()) {
                    // still far more demand than 4 slots; spinning refusals would only slow the admitted calls down
                    sleep(50);
                }
            }
        }, CONCURRENCY_LOAD.plusSeconds(60));

        List<Answer> ok = answers.stream().filter(Answer::ok).toList();
        List<Answer> refused = answers.stream().filter(a -> a.status() == 429).toList();
        Map<String, long[]> rowTimes = ledger.billableTimes(tenant.id());
        // A call holds its slot from its admission to its release. Neither instant is recorded, but the worker's
        // computation lies between them: it starts after the admission and ends before the row's finished_at, which
        // comes before the release. So [finished_at - compute_us, finished_at] lies inside the slot, and more than
        // the limit of such intervals at one instant proves more calls in flight than the limit. The outer intervals
        // (the row's started_at, or the client's start, to the client's end) contain the slot but also the wait for
        // admission, so they only bound it from above: printed, not checked.
        List<Overlap.Span> inner = rowTimes.entrySet().stream().map(e -> new Overlap.Span(e.getKey().substring(0, 8),
                e.getValue()[1] - e.getValue()[2], e.getValue()[1])).toList();
        Overlap inFlight = Overlap.of(inner, MAX_CONCURRENT);
        Overlap outer = Overlap.of(ok.stream().filter(a -> a.requestId().map(rowTimes::containsKey).orElse(false))
                .map(a -> new Overlap.Span(stack.replicaName(a.replica()) + " " + a.requestId().get().substring(0, 8),
                        rowTimes.get(a.requestId().get())[0], wallNanos(a.endNanos())))
                .toList(), MAX_CONCURRENT);
        Overlap client = Overlap.of(ok.stream().map(a -> new Overlap.Span(stack.replicaName(a.replica()),
                wallNanos(a.startNanos()), wallNanos(a.endNanos()))).toList(), MAX_CONCURRENT);
        long origin = rowTimes.values().stream().mapToLong(t -> t[0]).min().orElse(0);
        Rows rows = ledger.billableRows(tenant.id());
        double medianMs = ok.stream().mapToLong(Answer::millis).sorted().skip(ok.size() / 2).findFirst()
                .orElse(-1);
        System.out.printf("RESULT concurrency limit across two replicas: max %d concurrent per tenant, %d callers (%d "
                        + "per replica) for %d s on a %d-step loop (median 2xx %.0f ms): %d admitted (by replica %s), "
                        + "%d refused (codes %s), answers %s; 2xx computing on the worker at once (checked): %s; "
                        + "for comparison, from the row's started_at to the client's end: %s; from client times "
                        + "alone: %s; %d billable rows%n",
                MAX_CONCURRENT, callers, CONCURRENCY_CALLERS_PER_REPLICA, CONCURRENCY_LOAD.toSeconds(), steps, medianMs,
                ok.size(), stack.replicaNames(countBy(ok, Answer::replica)), refused.size(),
                countBy(refused, Answer::code), countBy(answers, Answer::kind), inFlight.describe(origin),
                outer.describe(origin), client.describe(origin), rows.count());
        assertAll(
                () -> assertTrue(ok.size() >= MAX_CONCURRENT, "calls are admitted: " + ok.size()),
                () -> assertTrue(inFlight.most() <= MAX_CONCURRENT, inFlight.most() + " admitted calls computing "
                        + "at once, over the limit of " + MAX_CONCURRENT + ": " + inFlight.describe(origin)),
                () -> assertTrue(inFlight.most() >= 2, "the check sees calls in flight together (else it could not "
                        + "fail): " + inFlight.describe(origin)),
                () -> assertTrue(refused.size() > 0, callers + " callers exceed the limit of " + MAX_CONCURRENT),
                () -> assertTrue(refused.stream().allMatch(a -> "concurrency_limited".equals(a.code())),
                        "every 429 says concurrency_limited: " + countBy(refused, Answer::code)),
                () -> assertTrue(refused.stream().allMatch(a -> a.header("retry-after").isPresent()),
                        "every 429 carries retry-after"),
                () -> assertEquals(answers.size(), ok.size() + refused.size(), "only 2xx and 429: "
                        + countBy(answers, Answer::kind)),
                () -> assertEquals(requestIds(ok), rows.ids(), "billable rows = the admitted calls"));
    }

    @Test
    @Order(5)
    void exactlyOnceUnderLoadWithKilledWorker() throws Exception {
        Tenant open = stack.newTenant("once-co", rateLimits(null, null, null), null);
        Tenant limited = stack.newTenant("once-limited-co", rateLimits(ONCE_KEY_RATE_PER_MINUTE, null, null), null);
        Key openKey = stack.newKey(open.slug());
        Key limitedKey = stack.newKey(limited.slug());
        awaitPlanEverywhere();

        List<Answer> openAnswers = Collections.synchronizedList(new ArrayList<>());
        List<Answer> limitedAnswers = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong restartedAt = new AtomicLong(Long.MAX_VALUE);
        int openCallers = 2 * ONCE_CALLERS_PER_REPLICA;
        int limitedCallers = 2 * ONCE_LIMITED_CALLERS_PER_REPLICA;
        ExecutorService pool = Executors.newFixedThreadPool(openCallers + limitedCallers);
        List<CompletableFuture<Void>> running = new ArrayList<>();
        long begin = System.nanoTime();
        long killedAt;
        long restartMs;
        long servingAgainMs;
        try {
            for (int i = 0; i < openCallers; i++) {
                String replica = i % 2 == 0 ? replicaA : replicaB;
                running.add(CompletableFuture.runAsync(() -> {
                    for (int n = 0; !stop.get(); n++) {
                        // every fifth call of each caller is a client error
                        Answer answer = call(replica, openKey.secret(), MODEL, n % 5 == 4 ? BAD_BODY : INFER_BODY,
                                Map.of());
                        openAnswers.add(answer);
                        if (answer.status() >= 500 || answer.status() == 0) {
                            sleep(25);
                        }
                    }
                }, pool));
            }
            for (int i = 0; i < limitedCallers; i++) {
                String replica = i % 2 == 0 ? replicaA : replicaB;
                running.add(CompletableFuture.runAsync(() -> {
                    while (!stop.get()) {
                        Answer answer = call(replica, limitedKey.secret(), MODEL, INFER_BODY, Map.of());
                        limitedAnswers.add(answer);
                        if (!answer.ok()) {
                            sleep(10);
                        }
                    }
                }, pool));
            }
            Thread.sleep(ONCE_LOAD_BEFORE_KILL.toMillis());
            killedAt = System.nanoTime();
            stack.kill("inference-worker");
            Thread.sleep(1000);
            stack.restart("inference-worker");
            restartedAt.set(System.nanoTime());
            restartMs = TimeUnit.NANOSECONDS.toMillis(restartedAt.get() - killedAt);
            long servingDeadline = System.nanoTime() + ONCE_SERVING_AGAIN_WITHIN.toNanos();
            while (System.nanoTime() < servingDeadline && !servedSince(openAnswers, restartedAt.get())) {
                Thread.sleep(50);
            }
            servingAgainMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt.get());
            // a little load on the served-again worker as well
            Thread.sleep(1000);
        } finally {
            stop.set(true);
            for (CompletableFuture<Void> caller : running) {
                try {
                    caller.get(CALL_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    System.err.println("a caller did not end: " + e);
                }
            }
            pool.shutdownNow();
        }
        long loadMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        long okAfterRestart = openAnswers.stream().filter(a -> a.ok() && a.startNanos() > restartedAt.get()).count();
        long okDuringOutage = openAnswers.stream().filter(a -> a.ok() && a.startNanos() > killedAt
                && a.startNanos() < restartedAt.get()).count();

        Exactly openCheck = ledger.exactly(open, openAnswers);
        Exactly limitedCheck = ledger.exactly(limited, limitedAnswers);
        System.out.printf("RESULT exactly once with a killed worker: %d ms of load, %d + %d callers over both "
                        + "replicas; worker killed after %d ms, ready again %d ms after the kill, tenant served "
                        + "again %d ms after that (%d 2xx after the restart, %d 2xx started during the outage)%n",
                loadMs, openCallers, limitedCallers, ONCE_LOAD_BEFORE_KILL.toMillis(), restartMs, servingAgainMs,
                okAfterRestart, okDuringOutage);
        System.out.println(openCheck.line("once-co (no limit, every 5th call a bad input)"));
        System.out.println(limitedCheck.line("once-limited-co (" + ONCE_KEY_RATE_PER_MINUTE
                + " requests/minute on its key)"));
        assertAll(
                () -> openCheck.assertHolds("once-co"),
                () -> limitedCheck.assertHolds("once-limited-co"),
                () -> assertTrue(openCheck.byKind().getOrDefault("400", 0L) > 0, "client errors in the mix"),
                () -> assertTrue(openCheck.byKind().keySet().stream().anyMatch(k -> k.startsWith("5")),
                        "errors from the killed worker in the mix: " + openCheck.byKind()),
                () -> assertTrue(limitedCheck.byKind().getOrDefault("429 rate_limited", 0L) > 0,
                        "429 rate_limited in the mix: " + limitedCheck.byKind()),
                () -> assertTrue(okAfterRestart > 0, "the restarted worker serves again"));
    }
}
