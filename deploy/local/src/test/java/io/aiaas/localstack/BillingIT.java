package io.aiaas.localstack;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.onnx.builder.RealModels;
import io.aiaas.onnx.builder.TestModels;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
import java.util.function.Function;
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
 * lines with its figures.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BillingIT {

    private static final String MODEL = "billing-linear";
    private static final String SLOW_MODEL = "billing-loop";
    private static final TestModels.Linear LINEAR = TestModels.linear();
    private static final String INFER_BODY = Json.write(Map.of("inputs", List.of(Map.of(
            "name", TestModels.Linear.INPUT, "datatype", "FP32", "shape", List.of(1, LINEAR.inputs()),
            "data", List.of(1.0, 2.0, 3.0)))));
    /** Data that does not fill the shape: the gateway answers 400, never billable. */
    private static final String BAD_BODY = Json.write(Map.of("inputs", List.of(Map.of(
            "name", TestModels.Linear.INPUT, "datatype", "FP32", "shape", List.of(1, LINEAR.inputs()),
            "data", List.of(1.0)))));

    /** The one price of every plan here: per 1,000 requests, so each call costs exactly the same. */
    private static final long PRICE_PER_1K_MICROS = 100_000;
    /** micro-units per 1,000 requests = nano-units per request. */
    private static final long REQUEST_NANOS = PRICE_PER_1K_MICROS;
    /** USD has cents: an invoice's total_minor is in them. */
    private static final long NANOS_PER_CENT = 10_000_000L;

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
    private static final long SLOW_CALL_MS = 200;

    private static final long IN_PROGRESS_CALL_MS = 1500;

    private static final int ONCE_CALLERS_PER_REPLICA = 6;
    private static final int ONCE_LIMITED_CALLERS_PER_REPLICA = 2;
    private static final int ONCE_KEY_RATE_PER_MINUTE = 30;
    private static final Duration ONCE_LOAD_BEFORE_KILL = Duration.ofSeconds(2);
    private static final Duration ONCE_SERVING_AGAIN_WITHIN = Duration.ofSeconds(90);

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** One instant on both clocks: client times (System.nanoTime) become comparable with the rows' timestamps. */
    private static final long NANO_BASE = System.nanoTime();
    private static final long WALL_BASE_NANOS = epochNanos(Instant.now());
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final AtomicReference<String> childDeath = new AtomicReference<>();
    private static LocalStack stack;
    private static StackDb db;
    private static Thread stopOnExit;
    private static String admin;
    private static long classStarted;
    private static String replicaA;
    private static String replicaB;
    /** The slow model: Loop steps per millisecond of a call, and the fixed cost of a call in ms (calibrated). */
    private static double stepsPerMs;
    private static double slowBaseMs;

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

    /** A tenant on its own plan. */
    private record Tenant(String slug, UUID id, String planId) {
    }

    /** An API key: the secret and its id. */
    private record Key(String secret, UUID id) {
    }

    /** One answer a client received (status 0: no answer, the body says why), with client-side times. */
    private record Answer(String replica, int status, String body, Map<String, List<String>> headers,
            long startNanos, long endNanos) {

        boolean ok() {
            return status / 100 == 2;
        }

        String code() {
            return Json.parse(body).path("code").asText("");
        }

        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                    .map(e -> e.getValue().get(0)).findFirst();
        }

        Optional<String> requestId() {
            return header("x-request-id");
        }

        /** x-aiaas-cost in nano-units, or -1 when absent or not a decimal. */
        long costNanos() {
            try {
                return header("x-aiaas-cost").map(c -> new BigDecimal(c.trim()).movePointRight(9).longValueExact())
                        .orElse(-1L);
            } catch (ArithmeticException | NumberFormatException e) {
                return -1;
            }
        }

        String kind() {
            return status + (status == 429 || status == 409 ? " " + code() : "");
        }
    }

    @BeforeAll
    static void startStack() throws Exception {
        classStarted = System.nanoTime();
        Path state = Path.of("target", "billing-" + System.currentTimeMillis());
        stack = LocalStack.start(LocalStackSettings.forTests(state), System.out, message -> {
            childDeath.set(message);
            System.err.println("CHILD DIED: " + message);
        });
        db = new StackDb(stack);
        stopOnExit = new Thread(stack::close, "billing-stack-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        admin = stack.userToken("admin", "admin");
        replicaA = stack.apiUrl();
        ApiClient api = stack.api();
        api.postJson("/admin/v1/models", admin, Map.of("name", MODEL, "description", "billing tests",
                "visibility", "public")).expect(201);
        int linear = api.postBytes("/admin/v1/models/" + MODEL + "/versions", admin, LINEAR.onnx(),
                "application/octet-stream").expect(201).json().path("version").asInt();
        api.postJson("/admin/v1/models", admin, Map.of("name", SLOW_MODEL, "description",
                "billing tests: a Loop whose trip count the input sets", "visibility", "public")).expect(201);
        int slow = api.postBytes("/admin/v1/models/" + SLOW_MODEL + "/versions", admin,
                RealModels.decodeLoop().onnx(), "application/octet-stream").expect(201).json().path("version").asInt();
        // B starts while the worker loads the versions
        replicaB = stack.startReplica(Map.of(), List.of()).url();
        DemoSeeder.awaitReady(api, admin, MODEL, linear, Duration.ofSeconds(60));
        DemoSeeder.awaitReady(api, admin, SLOW_MODEL, slow, Duration.ofSeconds(60));

        // a tenant without a plan warms both replicas up (routing tables, connections) and times the slow model
        api.postJson("/admin/v1/tenants", admin, Map.of("slug", "billing-warm", "name", "billing-warm")).expect(201);
        Key warm = newKey("billing-warm");
        for (String replica : List.of(replicaA, replicaB)) {
            awaitServing(replica, warm.secret(), MODEL, INFER_BODY);
            awaitServing(replica, warm.secret(), SLOW_MODEL, slowBody(1));
        }
        calibrateSlowModel(warm.secret());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook does the same
            }
        }
        System.out.printf("BillingIT: %d s in all%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - classStarted));
        assertNull(childDeath.get(), "no child may die unless a test killed it");
    }

    @Test
    @Order(1)
    void budgetNeverOvershootsByMoreThanOneRequestAcrossTwoReplicas() throws Exception {
        long budgetMicros = BUDGET_REQUESTS * REQUEST_NANOS / 1000;
        Tenant tenant = newTenant("budget-co", rateLimits(null, null, null), budgetMicros);
        Key key = newKey(tenant.slug());
        awaitPlanEverywhere();
        spendStopsAtTheCapAcrossTwoReplicas("hard budget", tenant, key, budgetMicros * 1000, "budget_exceeded");
    }

    @Test
    @Order(1)
    void aKeysMonthlyCapNeverOvershootsByMoreThanOneRequestAcrossTwoReplicas() throws Exception {
        long capMicros = BUDGET_REQUESTS * REQUEST_NANOS / 1000;
        Tenant tenant = newTenant("key-cap-co", rateLimits(null, null, null), null);
        JsonNode created = stack.api().postJson("/api/v1/tenants/" + tenant.slug() + "/keys", admin,
                Map.of("name", "capped", "monthly_budget_micros", capMicros)).expect(201).json();
        Key key = new Key(created.path("key").asText(), UUID.fromString(created.path("id").asText()));
        awaitPlanEverywhere();
        spendStopsAtTheCapAcrossTwoReplicas("key's monthly cap", tenant, key, capMicros * 1000,
                "key_budget_exceeded");
        assertEquals(periodUsage(tenant.id())[1], db.list("SELECT cost_nanos FROM period_usage WHERE scope = ?",
                rs -> rs.getLong(1), "key:" + key.id()).get(0), "the key's own counter holds its spend");
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
        Rows rows = billableRows(tenant.id());
        long overshoot = rows.costNanos() - capNanos;
        long headerCost = ok.stream().mapToLong(Answer::costNanos).sum();
        long[] period = periodUsage(tenant.id());
        List<Answer> refusals = answers.stream().filter(a -> a.status() == 429).toList();
        Map<String, Long> kinds = countBy(answers, Answer::kind);
        Map<String, Long> admittedBy = countBy(ok, Answer::replica);
        System.out.printf("RESULT %s across two replicas: %d callers (%d per replica), cap %d nanos (%d "
                        + "requests of %d nanos); %d admitted (2xx; by replica %s), %d billable rows costing %d nanos: "
                        + "overshoot %d nanos (%.2f requests; allowed %d); spend %.1f%% of the budget; answers %s; "
                        + "callers ended by %s; x-aiaas-cost total %d nanos; period_usage requests %d, cost %d; "
                        + "%d ms%n",
                what, callers, BUDGET_CALLERS_PER_REPLICA, capNanos, BUDGET_REQUESTS, REQUEST_NANOS, ok.size(),
                replicaNames(admittedBy), rows.count(), rows.costNanos(), overshoot, overshoot / (double) REQUEST_NANOS,
                REQUEST_NANOS, 100.0 * rows.costNanos() / capNanos, kinds, endedBy, headerCost, period[0], period[1],
                tookMs);
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
        Tenant tenant = newTenant("rate-co", rateLimits(null, RATE_PER_MINUTE, null), null);
        Key key = newKey(tenant.slug());
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
        Rows rows = billableRows(tenant.id());
        List<Answer> withoutHeaders = answers.stream().filter(a -> a.status() == 200 || a.status() == 429)
                .filter(a -> !a.header("x-ratelimit-limit-requests")
                        .equals(Optional.of(String.valueOf(RATE_PER_MINUTE)))
                        || a.header("x-ratelimit-remaining-requests").isEmpty()
                        || a.header("x-ratelimit-reset-requests").isEmpty())
                .toList();
        long refusedRows = awaitRows(tenant.id(), "NOT billable AND status_code = 429", refused.size());
        System.out.printf("RESULT rate limit across two replicas: %d requests/minute per tenant, %d callers (%d per "
                        + "replica) for %d ms: %d admitted = %.1f%% of the limit (by replica %s; 95%% reached after %d "
                        + "ms; first refusal after %s ms), %d refused 429 (codes %s; retry-after seen %s), answers %s, "
                        + "%d billable rows, %d refused rows; rate-limit headers missing or wrong on %d answers (first "
                        + "429's: limit %s, remaining %s, reset %s)%n",
                RATE_PER_MINUTE, callers, RATE_CALLERS_PER_REPLICA, endedMs, ok.size(), 100 * fraction,
                replicaNames(countBy(ok, Answer::replica)), reach95Ms, replicaNames(firstRefusal.entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> TimeUnit.NANOSECONDS.toMillis(e.getValue()
                                - begin)))), refused.size(), countBy(refused, Answer::code),
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
                        + replicaNames(firstRefusal.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                                e -> 1L))).keySet()),
                () -> assertTrue(refused.stream().allMatch(a -> "rate_limited".equals(a.code())),
                        "every 429 says rate_limited: " + countBy(refused, Answer::code)),
                () -> assertTrue(refused.stream().allMatch(a -> a.header("retry-after").map(BillingIT::seconds)
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
        Tenant tenant = newTenant("idem-co", rateLimits(null, null, null), null);
        Key key = newKey(tenant.slug());
        awaitPlanEverywhere();

        String idemKey = "idem-" + UUID.randomUUID();
        Answer first = call(replicaA, key.secret(), MODEL, INFER_BODY, Map.of("Idempotency-Key", idemKey));
        Answer retry = call(replicaB, key.secret(), MODEL, INFER_BODY, Map.of("Idempotency-Key", idemKey));

        // a retry while the first call still runs (a slow call through A, the retry through B)
        String slowKey = "idem-slow-" + UUID.randomUUID();
        String slowBody = slowBody(stepsFor(IN_PROGRESS_CALL_MS));
        CompletableFuture<Answer> slowFirst = CompletableFuture.supplyAsync(
                () -> call(replicaA, key.secret(), SLOW_MODEL, slowBody, Map.of("Idempotency-Key", slowKey)));
        Thread.sleep(IN_PROGRESS_CALL_MS / 4);
        Answer whileRunning = call(replicaB, key.secret(), SLOW_MODEL, slowBody, Map.of("Idempotency-Key", slowKey));
        boolean firstStillRunning = !slowFirst.isDone();
        Answer slowDone = slowFirst.get(60, TimeUnit.SECONDS);
        Answer slowRetry = call(replicaB, key.secret(), SLOW_MODEL, slowBody, Map.of("Idempotency-Key", slowKey));

        Rows rows = billableRows(tenant.id());
        Map<String, Long> byIdemKey = billableRowsByIdempotencyKey(tenant.id());
        System.out.printf("RESULT idempotent retry: first through A %d (replay header %s, request id %s), retry "
                        + "through B %d (replay header %s, request id %s, same body %s); retry while the first (%d ms) "
                        + "still ran: %s (first still running then: %s), first %d, retry after it %d (replay %s, same "
                        + "body %s); billable rows %d costing %d nanos, by idempotency key %s%n",
                first.status(), first.header("x-aiaas-idempotent-replay").orElse("none"),
                first.requestId().orElse("none"), retry.status(), retry.header("x-aiaas-idempotent-replay")
                        .orElse("none"), retry.requestId().orElse("none"), first.body().equals(retry.body()),
                millis(slowDone), whileRunning.kind(), firstStillRunning, slowDone.status(), slowRetry.status(),
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
                () -> assertTrue(firstStillRunning, "the first call (" + millis(slowDone) + " ms) still ran when "
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
        Tenant tenant = newTenant("concurrency-co", rateLimits(null, null, MAX_CONCURRENT), null);
        Key key = newKey(tenant.slug());
        awaitPlanEverywhere();
        long steps = stepsFor(SLOW_CALL_MS);
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
        Map<String, long[]> rowTimes = billableTimes(tenant.id());
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
                .map(a -> new Overlap.Span(replicaName(a.replica()) + " " + a.requestId().get().substring(0, 8),
                        rowTimes.get(a.requestId().get())[0], wallNanos(a.endNanos())))
                .toList(), MAX_CONCURRENT);
        Overlap client = Overlap.of(ok.stream().map(a -> new Overlap.Span(replicaName(a.replica()), wallNanos(a.startNanos()),
                wallNanos(a.endNanos()))).toList(), MAX_CONCURRENT);
        long origin = rowTimes.values().stream().mapToLong(t -> t[0]).min().orElse(0);
        Rows rows = billableRows(tenant.id());
        double medianMs = ok.stream().mapToLong(BillingIT::millis).sorted().skip(ok.size() / 2).findFirst()
                .orElse(-1);
        System.out.printf("RESULT concurrency limit across two replicas: max %d concurrent per tenant, %d callers (%d "
                        + "per replica) for %d s on a %d-step loop (median 2xx %.0f ms): %d admitted (by replica %s), "
                        + "%d refused (codes %s), answers %s; 2xx computing on the worker at once (checked): %s; "
                        + "for comparison, from the row's started_at to the client's end: %s; from client times "
                        + "alone: %s; %d billable rows%n",
                MAX_CONCURRENT, callers, CONCURRENCY_CALLERS_PER_REPLICA, CONCURRENCY_LOAD.toSeconds(), steps, medianMs,
                ok.size(), replicaNames(countBy(ok, Answer::replica)), refused.size(), countBy(refused, Answer::code),
                countBy(answers, Answer::kind), inFlight.describe(origin), outer.describe(origin),
                client.describe(origin), rows.count());
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
        Tenant open = newTenant("once-co", rateLimits(null, null, null), null);
        Tenant limited = newTenant("once-limited-co", rateLimits(ONCE_KEY_RATE_PER_MINUTE, null, null), null);
        Key openKey = newKey(open.slug());
        Key limitedKey = newKey(limited.slug());
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

        Exactly openCheck = exactly(open, openAnswers);
        Exactly limitedCheck = exactly(limited, limitedAnswers);
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

    // ---- exactly once ----------------------------------------------------------------------------------------------

    /** What one tenant's answers and rows say about exactly-once billing. */
    private record Exactly(int answers, List<Answer> ok, Map<String, Long> byKind, int noAnswer, int withoutRequestId,
            List<String> idsAnsweredTwice, Rows rows, List<String> rowIdsTwice, Set<String> okWithoutRow,
            Set<String> rowWithoutOk, long headerCost, int invoiceStatus, long invoiceTotal, long invoiceLines,
            long invoiceMinor, String invoiceError) {

        String line(String tenant) {
            return String.format("RESULT exactly once, %s: %d answers %s, %d without an answer, %d without "
                            + "x-request-id; %d 2xx vs %d billable rows (2xx without a row %d, rows without a 2xx %d); "
                            + "request ids answered twice %d, in the rows twice %d; cost of the rows %d nanos, "
                            + "x-aiaas-cost total %d, upcoming invoice: HTTP %d, total %d nanos (%d minor units), "
                            + "lines %d nanos%s",
                    tenant, answers, byKind, noAnswer, withoutRequestId, ok.size(), rows.count(), okWithoutRow.size(),
                    rowWithoutOk.size(), idsAnsweredTwice.size(), rowIdsTwice.size(), rows.costNanos(), headerCost,
                    invoiceStatus, invoiceTotal, invoiceMinor, invoiceLines,
                    invoiceError == null ? "" : " (" + invoiceError + ")");
        }

        void assertHolds(String tenant) {
            assertAll(tenant,
                    () -> assertTrue(ok.size() > 0, "calls succeeded"),
                    () -> assertEquals(0, noAnswer, "every call is answered (the control plane never died)"),
                    () -> assertEquals(0, withoutRequestId, "every answer carries x-request-id"),
                    () -> assertEquals(List.of(), idsAnsweredTwice, "no request id answered twice"),
                    () -> assertEquals(List.of(), rowIdsTwice, "no request id twice in the rows"),
                    () -> assertEquals(ok.size(), rows.count(), "billable rows = 2xx answers"),
                    () -> assertEquals(Set.of(), okWithoutRow, "every 2xx has its billable row"),
                    () -> assertEquals(Set.of(), rowWithoutOk, "every billable row is a 2xx answer"),
                    () -> assertEquals(rows.costNanos(), headerCost, "x-aiaas-cost of the 2xx adds up to the rows"),
                    () -> assertEquals(200, invoiceStatus, "the upcoming invoice: " + invoiceError),
                    () -> assertEquals(rows.costNanos(), invoiceTotal, "the upcoming invoice's total (no fee, no "
                            + "credit) = the rows' cost to the nano-unit"),
                    () -> assertEquals(rows.costNanos(), invoiceLines, "its lines add up to the rows' cost"),
                    () -> assertTrue(invoiceMinor < 0
                                    || Math.abs(invoiceMinor * NANOS_PER_CENT - rows.costNanos()) < NANOS_PER_CENT,
                            "its total in cents (" + invoiceMinor + ") is the rows' cost rounded to a cent"));
        }
    }

    private static Exactly exactly(Tenant tenant, List<Answer> all) throws SQLException {
        List<Answer> answers = List.copyOf(all);
        List<Answer> answered = answers.stream().filter(a -> a.status() != 0).toList();
        List<Answer> ok = answered.stream().filter(Answer::ok).toList();
        List<String> ids = answered.stream().flatMap(a -> a.requestId().stream()).toList();
        List<String> idsTwice = countBy(ids, Function.identity()).entrySet().stream().filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey).toList();
        Rows rows = billableRows(tenant.id());
        Set<String> okIds = requestIds(ok);
        Set<String> okWithoutRow = new HashSet<>(okIds);
        okWithoutRow.removeAll(rows.ids());
        Set<String> rowWithoutOk = new HashSet<>(rows.ids());
        rowWithoutOk.removeAll(okIds);

        ApiClient.Response invoice = stack.api().get("/api/v1/tenants/" + tenant.slug() + "/invoices/upcoming", admin);
        JsonNode json = invoice.json();
        long lines = 0;
        for (JsonNode line : json.path("lines")) {
            lines += line.path("amount_nanos").asLong();
        }
        String error = invoice.status() == 200 ? null : abbreviate(invoice.body());
        if (invoice.status() == 200 && !json.path("total_nanos").canConvertToLong()) {
            error = "no total_nanos in " + abbreviate(invoice.body());
        }
        return new Exactly(answers.size(), ok, countBy(answered, Answer::kind), answers.size() - answered.size(),
                (int) answered.stream().filter(a -> a.requestId().isEmpty()).count(), idsTwice, rows,
                allRowIdsTwice(tenant.id()), okWithoutRow, rowWithoutOk, ok.stream().mapToLong(Answer::costNanos).sum(),
                invoice.status(), json.path("total_nanos").asLong(-1), lines, json.path("total_minor").asLong(-1),
                error);
    }

    private static boolean servedSince(List<Answer> answers, long since) {
        synchronized (answers) {
            return answers.stream().anyMatch(a -> a.ok() && a.startNanos() > since);
        }
    }

    // ---- tenants, plans, keys --------------------------------------------------------------------------------------

    private static Map<String, Object> rateLimits(Integer perKey, Integer perTenant, Integer concurrent) {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("requests_per_minute_per_key", perKey);
        limits.put("requests_per_minute_per_tenant", perTenant);
        limits.put("max_concurrent_requests", concurrent);
        return limits;
    }

    /** A new tenant on a new plan: one flat price per request, the limits given, a hard budget when given. */
    private static Tenant newTenant(String slug, Map<String, Object> rateLimits, Long hardBudgetMicros)
            throws SQLException {
        ApiClient api = stack.api();
        Map<String, Object> price = new LinkedHashMap<>();
        price.put("model", null);
        price.put("per_1k_requests", Map.of("tiering", "graduated",
                "tiers", List.of(nullable("up_to", null, "unit_micros", PRICE_PER_1K_MICROS))));
        price.put("per_1k_items", null);
        price.put("per_compute_second", null);
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("name", "p-" + slug);
        plan.put("currency", "USD");
        plan.put("monthly_fee_micros", 0);
        plan.put("included_credit_micros", 0);
        plan.put("rate_limits", rateLimits);
        plan.put("quotas", List.of());
        plan.put("budget", hardBudgetMicros == null ? null
                : Map.of("limit_micros", hardBudgetMicros, "enforcement", "hard"));
        plan.put("prices", List.of(price));
        String planId = api.postJson("/admin/v1/plans", admin, plan).expect(201).json().path("id").asText();
        api.postJson("/admin/v1/tenants", admin, Map.of("slug", slug, "name", slug)).expect(201);
        api.patchJson("/admin/v1/tenants/" + slug, admin, Map.of("plan_id", planId)).expect(200);
        return new Tenant(slug, db.tenantId(slug), planId);
    }

    private static Map<String, Object> nullable(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }

    private static Key newKey(String slug) {
        JsonNode created = stack.api().postJson("/api/v1/tenants/" + slug + "/keys", admin, Map.of("name", "billing"))
                .expect(201).json();
        return new Key(created.path("key").asText(), UUID.fromString(created.path("id").asText()));
    }

    /**
     * A plan assigned through A reaches B's plan cache by a database notification (the hardening tests measured such
     * messages at a few milliseconds); the tests' first calls must not beat it.
     */
    private static void awaitPlanEverywhere() throws InterruptedException {
        Thread.sleep(500);
    }

    // ---- calls -----------------------------------------------------------------------------------------------------

    private static Answer call(String replica, String key, String model, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(replica + "/v2/models/" + model + "/infer"))
                .timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = HTTP.send(request.build(), BodyHandlers.ofString());
            return new Answer(replica, response.statusCode(), response.body(), response.headers().map(), start,
                    System.nanoTime());
        } catch (IOException e) {
            return new Answer(replica, 0, e.toString(), Map.of(), start, System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(replica, 0, "interrupted", Map.of(), start, System.nanoTime());
        }
    }

    /** One caller's loop: its replica and its index. */
    @FunctionalInterface
    private interface CallerLoop {
        void run(String replica, int index);
    }

    /** Runs the callers, all released at once, and waits for them to end. */
    private static void runCallers(int callers, Function<Integer, String> replicaOf, CallerLoop loop, Duration limit)
            throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<CompletableFuture<Void>> running = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                int index = i;
                running.add(CompletableFuture.runAsync(() -> {
                    await(go);
                    loop.run(replicaOf.apply(index), index);
                }, pool));
            }
            go.countDown();
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(limit.toSeconds(), TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Calls until the answer is 200: a replica's first call of a model may find its routing table not loaded yet. */
    private static void awaitServing(String replica, String key, String model, String body)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Answer last;
        do {
            last = call(replica, key, model, body, Map.of());
            if (last.status() == 200) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no 200 from " + replica + " for " + model + " within 30 s; last: " + last.status()
                + " " + last.body());
    }

    /** The slow model's request: {@code steps} iterations of its Loop. */
    private static String slowBody(long steps) {
        return RealModels.request(List.of(RealModels.Values.int64("steps", new long[0], steps),
                RealModels.Values.fp32("state", new long[] {2}, 0f, 8f)));
    }

    /** Times the slow model at two trip counts through A: the fixed cost of a call and the steps per millisecond. */
    private static void calibrateSlowModel(String key) {
        long few = 1;
        long many = 50_000;
        double fewMs = typical(key, few);
        double manyMs = typical(key, many);
        slowBaseMs = fewMs;
        stepsPerMs = (many - few) / Math.max(manyMs - fewMs, 0.01);
        // once more at the target itself: the two points alone are off by half on a loaded machine
        long first = stepsFor(SLOW_CALL_MS);
        double firstMs = typical(key, first);
        stepsPerMs = first / Math.max(firstMs - fewMs, 1);
        long target = stepsFor(SLOW_CALL_MS);
        System.out.printf("RESULT slow model: %.1f ms at %d step, %.1f ms at %d steps, %.1f ms at %d steps: %.0f "
                        + "steps/ms; %d steps for %d ms, measured %.1f ms%n", fewMs, few, manyMs, many, firstMs, first,
                stepsPerMs, target, SLOW_CALL_MS, typical(key, target));
    }

    /** The median of three calls at this many steps, in ms: one lucky or unlucky call on a loaded machine is noise. */
    private static double typical(String key, long steps) {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Answer answer = call(replicaA, key, SLOW_MODEL, slowBody(steps), Map.of());
            if (answer.status() != 200) {
                throw new AssertionError("the slow model at " + steps + " steps: " + answer.status() + " "
                        + answer.body());
            }
            millis.add((answer.endNanos() - answer.startNanos()) / 1e6);
        }
        Collections.sort(millis);
        return millis.get(1);
    }

    private static long stepsFor(long millis) {
        return Math.max(1, Math.min(2_000_000, Math.round((millis - slowBaseMs) * stepsPerMs)));
    }

    // ---- the database ----------------------------------------------------------------------------------------------

    /** A tenant's billable rows: how many, their cost, their request ids, ids with more than one billable row. */
    private record Rows(int count, long costNanos, Set<String> ids, List<String> duplicates) {
    }

    private static Rows billableRows(UUID tenantId) throws SQLException {
        int count = 0;
        long cost = 0;
        Set<String> ids = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (Object[] row : db.list("""
                SELECT request_id::text, count(*), sum(cost_nanos) FROM usage_records
                WHERE tenant_id = ? AND billable GROUP BY request_id""",
                rs -> new Object[] {rs.getString(1), rs.getInt(2), rs.getLong(3)}, tenantId)) {
            ids.add((String) row[0]);
            count += (int) row[1];
            cost += (long) row[2];
            if ((int) row[1] > 1) {
                duplicates.add((String) row[0]);
            }
        }
        return new Rows(count, cost, ids, duplicates);
    }

    /** Request ids with more than one row of any kind. */
    private static List<String> allRowIdsTwice(UUID tenantId) throws SQLException {
        return db.list("""
                SELECT request_id::text FROM usage_records WHERE tenant_id = ?
                GROUP BY request_id HAVING count(*) > 1""", rs -> rs.getString(1), tenantId);
    }

    private static Map<String, Long> billableRowsByIdempotencyKey(UUID tenantId) throws SQLException {
        Map<String, Long> rows = new TreeMap<>();
        db.list("""
                SELECT coalesce(idempotency_key, '(none)'), count(*) FROM usage_records
                WHERE tenant_id = ? AND billable GROUP BY 1""", rs -> rows.put(rs.getString(1), rs.getLong(2)),
                tenantId);
        return rows;
    }

    /** The billable rows' started_at, finished_at (nanoseconds of the epoch) and compute time (ns), by request id. */
    private static Map<String, long[]> billableTimes(UUID tenantId) throws SQLException {
        Map<String, long[]> times = new HashMap<>();
        db.list("""
                SELECT request_id::text, started_at, finished_at, compute_us FROM usage_records
                WHERE tenant_id = ? AND billable""", rs -> times.put(rs.getString(1), new long[] {
                    epochNanos(rs.getObject(2, OffsetDateTime.class).toInstant()),
                    epochNanos(rs.getObject(3, OffsetDateTime.class).toInstant()),
                    TimeUnit.MICROSECONDS.toNanos(rs.getLong(4))}), tenantId);
        return times;
    }

    private static long epochNanos(Instant instant) {
        return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
    }

    /** A client-side System.nanoTime() as nanoseconds of the epoch, to set beside the rows' times. */
    private static long wallNanos(long nanoTime) {
        return WALL_BASE_NANOS + (nanoTime - NANO_BASE);
    }

    /** period_usage of the tenant, scope '*', over its periods: {requests, cost_nanos}. */
    private static long[] periodUsage(UUID tenantId) throws SQLException {
        return db.list("""
                SELECT coalesce(sum(requests), 0), coalesce(sum(cost_nanos), 0) FROM period_usage
                WHERE tenant_id = ? AND scope = '*'""", rs -> new long[] {rs.getLong(1), rs.getLong(2)}, tenantId)
                .get(0);
    }

    /** Rows of the tenant matching the condition, waited for (up to 5 s) until there are {@code expected}. */
    private static long awaitRows(UUID tenantId, String condition, long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long count;
        do {
            count = db.number("SELECT count(*) FROM usage_records WHERE tenant_id = ? AND " + condition, tenantId);
            if (count >= expected) {
                return count;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return count;
    }

    // ---- figures ---------------------------------------------------------------------------------------------------

    private static Set<String> requestIds(List<Answer> answers) {
        return answers.stream().flatMap(a -> a.requestId().stream()).collect(Collectors.toSet());
    }

    private static <T> Map<String, Long> countBy(List<T> items, Function<T, String> key) {
        return items.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
    }

    private static String replicaName(String url) {
        return url.equals(replicaA) ? "A" : url.equals(replicaB) ? "B" : url;
    }

    private static Map<String, Long> replicaNames(Map<String, Long> byUrl) {
        Map<String, Long> named = new TreeMap<>();
        byUrl.forEach((url, n) -> named.put(url.equals(replicaA) ? "A" : url.equals(replicaB) ? "B" : url, n));
        return named;
    }

    private static long millis(Answer answer) {
        return TimeUnit.NANOSECONDS.toMillis(answer.endNanos() - answer.startNanos());
    }

    private static long seconds(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
