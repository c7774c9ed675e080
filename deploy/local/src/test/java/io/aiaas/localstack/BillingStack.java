package io.aiaas.localstack;

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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The stack of {@link BillingIT} and what its tests do with it: the full {@link LocalStack} (Keycloak, platform-api
 * A with its embedded PostgreSQL, one worker, the console) with replica B on A's database, the two public models
 * (a linear one, and a Loop whose trip count sets how long a call takes, calibrated on the machine at hand), tenants
 * on plans of one flat price per request made as the realm's admin, their API keys, and inference calls to either
 * replica kept as {@link Answer}s with client-side times. State and logs go to {@code target/billing-<millis>/}.
 */
final class BillingStack {

    static final String MODEL = "billing-linear";
    static final String SLOW_MODEL = "billing-loop";
    private static final TestModels.Linear LINEAR = TestModels.linear();
    static final String INFER_BODY = Json.write(Map.of("inputs", List.of(Map.of(
            "name", TestModels.Linear.INPUT, "datatype", "FP32", "shape", List.of(1, LINEAR.inputs()),
            "data", List.of(1.0, 2.0, 3.0)))));
    /** Data that does not fill the shape: the gateway answers 400, never billable. */
    static final String BAD_BODY = Json.write(Map.of("inputs", List.of(Map.of(
            "name", TestModels.Linear.INPUT, "datatype", "FP32", "shape", List.of(1, LINEAR.inputs()),
            "data", List.of(1.0)))));

    /** The one price of every plan here: per 1,000 requests, so each call costs exactly the same. */
    static final long PRICE_PER_1K_MICROS = 100_000;

    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final LocalStack stack;
    private final StackDb db;
    private final Thread stopOnExit;
    private final String replicaA;
    private String admin;
    private String replicaB;
    /** The slow model: Loop steps per millisecond of a call, and the fixed cost of a call in ms (calibrated). */
    private double stepsPerMs;
    private double slowBaseMs;

    /** A tenant on its own plan. */
    record Tenant(String slug, UUID id, String planId) {
    }

    /** An API key: the secret and its id. */
    record Key(String secret, UUID id) {
    }

    /** One answer a client received (status 0: no answer, the body says why), with client-side times. */
    record Answer(String replica, int status, String body, Map<String, List<String>> headers,
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

        /** From sending to the answer, client-side. */
        long millis() {
            return TimeUnit.NANOSECONDS.toMillis(endNanos - startNanos);
        }
    }

    private BillingStack(LocalStack stack) {
        this.stack = stack;
        this.db = new StackDb(stack);
        this.stopOnExit = new Thread(stack::close, "billing-stack-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        this.replicaA = stack.apiUrl();
    }

    /**
     * Starts the stack (stopped as the JVM exits if {@link #close} is not called first); a child that dies later
     * calls {@code onChildDeath}. Then {@link #prepare} it.
     */
    static BillingStack start(Consumer<String> onChildDeath) {
        Path state = Path.of("target", "billing-" + System.currentTimeMillis());
        return new BillingStack(SharedKeycloak.stack(state, onChildDeath));
    }

    /**
     * Signs in as the realm's admin, uploads both models, starts replica B while the worker loads them, warms both
     * replicas up with a tenant without a plan ({@code billing-warm}) and times the slow model around
     * {@code slowCallMs}.
     */
    void prepare(long slowCallMs) throws Exception {
        admin = stack.userToken("admin", "admin");
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
        calibrateSlowModel(warm.secret(), slowCallMs);
    }

    /** Stops every child and drops the shutdown hook. */
    void close() {
        stack.close();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook does the same
        }
    }

    /** For a failed test: every child's pid, state and the last lines of its log. */
    String diagnostics(int lines) {
        return stack.diagnostics(lines);
    }

    void kill(String child) {
        stack.kill(child);
    }

    void restart(String child) {
        stack.restart(child);
    }

    ApiClient api() {
        return stack.api();
    }

    String admin() {
        return admin;
    }

    StackDb db() {
        return db;
    }

    String replicaA() {
        return replicaA;
    }

    String replicaB() {
        return replicaB;
    }

    /** "A" or "B" for a replica's URL. */
    String replicaName(String url) {
        return url.equals(replicaA) ? "A" : url.equals(replicaB) ? "B" : url;
    }

    /** Counts by replica URL, by replica name instead. */
    Map<String, Long> replicaNames(Map<String, Long> byUrl) {
        Map<String, Long> named = new TreeMap<>();
        byUrl.forEach((url, n) -> named.put(url.equals(replicaA) ? "A" : url.equals(replicaB) ? "B" : url, n));
        return named;
    }

    // ---- tenants, plans, keys --------------------------------------------------------------------------------------

    static Map<String, Object> rateLimits(Integer perKey, Integer perTenant, Integer concurrent) {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("requests_per_minute_per_key", perKey);
        limits.put("requests_per_minute_per_tenant", perTenant);
        limits.put("max_concurrent_requests", concurrent);
        return limits;
    }

    /** A new tenant on a new plan: one flat price per request, the limits given, a hard budget when given. */
    Tenant newTenant(String slug, Map<String, Object> rateLimits, Long hardBudgetMicros) throws SQLException {
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

    /** A new API key of the tenant, named billing. */
    Key newKey(String slug) {
        return newKey(slug, Map.of("name", "billing"));
    }

    /** A new API key of the tenant, as {@code request} asks for it (its name, a monthly cap). */
    Key newKey(String slug, Map<String, Object> request) {
        JsonNode created = stack.api().postJson("/api/v1/tenants/" + slug + "/keys", admin, request).expect(201)
                .json();
        return new Key(created.path("key").asText(), UUID.fromString(created.path("id").asText()));
    }

    /**
     * A plan assigned through A reaches B's plan cache by a database notification (the hardening tests measured such
     * messages at a few milliseconds); the tests' first calls must not beat it.
     */
    static void awaitPlanEverywhere() throws InterruptedException {
        Thread.sleep(500);
    }

    // ---- calls -----------------------------------------------------------------------------------------------------

    static Answer call(String replica, String key, String model, String body, Map<String, String> headers) {
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
    interface CallerLoop {
        void run(String replica, int index);
    }

    /** Runs the callers, all released at once, and waits for them to end. */
    static void runCallers(int callers, Function<Integer, String> replicaOf, CallerLoop loop, Duration limit)
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

    /** A header's whole seconds (retry-after), or -1 when not a number. */
    static long seconds(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the slow model --------------------------------------------------------------------------------------------

    /** The slow model's request: {@code steps} iterations of its Loop. */
    static String slowBody(long steps) {
        return RealModels.request(List.of(RealModels.Values.int64("steps", new long[0], steps),
                RealModels.Values.fp32("state", new long[] {2}, 0f, 8f)));
    }

    /**
     * Times the slow model at two trip counts through A: the fixed cost of a call and the steps per millisecond, then
     * once more at the steps for {@code targetMs}.
     */
    private void calibrateSlowModel(String key, long targetMs) {
        long few = 1;
        long many = 50_000;
        double fewMs = typical(key, few);
        double manyMs = typical(key, many);
        slowBaseMs = fewMs;
        stepsPerMs = (many - few) / Math.max(manyMs - fewMs, 0.01);
        // once more at the target itself: the two points alone are off by half on a loaded machine
        long first = stepsFor(targetMs);
        double firstMs = typical(key, first);
        stepsPerMs = first / Math.max(firstMs - fewMs, 1);
        long target = stepsFor(targetMs);
        System.out.printf("RESULT slow model: %.1f ms at %d step, %.1f ms at %d steps, %.1f ms at %d steps: %.0f "
                        + "steps/ms; %d steps for %d ms, measured %.1f ms%n", fewMs, few, manyMs, many, firstMs, first,
                stepsPerMs, target, targetMs, typical(key, target));
    }

    /** The median of three calls at this many steps, in ms: one lucky or unlucky call on a loaded machine is noise. */
    private double typical(String key, long steps) {
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

    /** The slow model's steps for a call of about this many milliseconds (calibrated). */
    long stepsFor(long millis) {
        return Math.max(1, Math.min(2_000_000, Math.round((millis - slowBaseMs) * stepsPerMs)));
    }
}
