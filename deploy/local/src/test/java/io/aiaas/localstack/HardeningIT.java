package io.aiaas.localstack;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.internalauth.CachedTokenSource;
import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.Issuers;
import io.aiaas.onnx.builder.RealModels;
import io.aiaas.onnx.builder.TestModels;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.function.Executable;

/**
 * The promises of the hardening issue that only show with real processes: Keycloak, platform-api with its embedded
 * PostgreSQL, a worker, and platform-api replicas on that PostgreSQL started, killed and restarted by the tests.
 * The first tests put the platform under stress (a durable database, kill -9 under load, revocation across replicas,
 * slow clients, an upload larger than the heap); the last ones take every real-model pattern of onnx-builder's
 * {@link RealModels} through upload, warm-up, placement, inference and examples, and call a model of unknown input
 * rank with several ranks. One stack for the class, and two replicas A and B shared by the tests that need them (a
 * JVM start is the dearest step on two cores); each test makes its own tenant and prints {@code RESULT} lines with
 * its figures. Everything goes through the public APIs (and the worker's repository index, with a worker token);
 * usage rows and server settings are read over JDBC.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HardeningIT {

    private static final String MODEL = "resilience-linear";
    private static final TestModels.Linear LINEAR = TestModels.linear();
    private static final String INFER_BODY = Json.write(Map.of("inputs", List.of(Map.of(
            "name", TestModels.Linear.INPUT, "datatype", "FP32", "shape", List.of(1, LINEAR.inputs()),
            "data", List.of(1.0, 2.0, 3.0)))));

    private static final int CALLERS = 32;
    /** The load runs this long before the kill, and longer until each caller could have had an answer. */
    private static final Duration LOAD_BEFORE_KILL = Duration.ofSeconds(2);
    private static final Duration LOAD_AT_MOST = Duration.ofSeconds(15);
    private static final int NOTIFY_REPETITIONS = 5;
    private static final long NOTIFY_TARGET_MS = 100;
    private static final Duration POLL_LIMIT = Duration.ofSeconds(1);
    private static final int LATENCY_CALLS = 200;
    private static final int SLOW_CLIENTS = 300;
    private static final double MAX_DELAY_MS = 5;
    private static final Duration CUT_OFF_WITHIN = Duration.ofSeconds(5);
    private static final int HEAP_MB = 96;
    /**
     * Replicas A and B: a key cache far longer than the revocation target, so that only a message between replicas
     * can explain a fast refusal; and the slow-body
     * limits. Neither changes what the other tests look at.
     */
    private static final Map<String, String> REPLICA_SETTINGS = Map.of(
            "AIAAS_API_KEYS_CACHE_TTL", "60s",
            "AIAAS_HTTP_BODY_STALL_TIMEOUT", "2s",
            "AIAAS_HTTP_MIN_BODY_BYTES_PER_SECOND", "1024");
    private static final int LARGE_N = 8192;
    private static final int LARGE_K = 9216;

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final AtomicReference<String> childDeath = new AtomicReference<>();
    private static LocalStack stack;
    private static StackDb db;
    private static Thread stopOnExit;
    private static Path stateDir;
    private static String admin;
    private static long classStarted;
    private static LocalStack.Replica replicaA;
    private static LocalStack.Replica replicaB;
    private static RealModelFlow.Stack realModels;

    /** Logs of every child when a test fails: the answer is usually in one of them. */
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

    /** A tenant's API key. */
    private record TenantKey(String slug, String key, UUID keyId) {
    }

    @BeforeAll
    static void startStack() {
        classStarted = System.nanoTime();
        stateDir = Path.of("target", "hardening-" + System.currentTimeMillis());
        stack = SharedKeycloak.stack(stateDir, message -> {
            childDeath.set(message);
            System.err.println("CHILD DIED: " + message);
        });
        db = new StackDb(stack);
        stopOnExit = new Thread(stack::close, "hardening-stack-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        admin = stack.userToken("admin", "admin");
        ApiClient api = stack.api();
        api.postJson("/admin/v1/models", admin, Map.of("name", MODEL, "description", "resilience tests",
                "visibility", "public")).expect(201);
        int version = api.postBytes("/admin/v1/models/" + MODEL + "/versions", admin, LINEAR.onnx(),
                "application/octet-stream").expect(201).json().path("version").asInt();
        DemoSeeder.awaitReady(api, admin, MODEL, version, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopStack() throws IOException {
        if (stack != null) {
            stack.close();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook does the same
            }
        }
        removeLargeFiles(stateDir);
        System.out.printf("HardeningIT: %d s in all%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - classStarted));
        assertNull(childDeath.get(), "no child may die unless a test killed or stopped it");
    }

    @Test
    @Order(1)
    void embeddedPostgresIsDurable() throws SQLException {
        String fsync = db.list("SHOW fsync", rs -> rs.getString(1)).get(0);
        String synchronousCommit = db.list("SHOW synchronous_commit", rs -> rs.getString(1)).get(0);
        System.out.printf("RESULT embedded PostgreSQL: fsync=%s, synchronous_commit=%s%n", fsync, synchronousCommit);
        assertAll(
                () -> assertEquals("on", fsync, "fsync of the embedded PostgreSQL"),
                () -> assertEquals("on", synchronousCommit, "synchronous_commit of the embedded PostgreSQL"));
    }

    @Test
    @Order(2)
    void killNineDuringLoadLosesNoBilledCall() throws Exception {
        TenantKey caller = newTenantWithKey("kill-co");
        LocalStack.Replica b = replicaB();
        // request id -> status of every answer a client received through B
        Map<String, Integer> answered = new ConcurrentHashMap<>();
        AtomicInteger withoutRequestId = new AtomicInteger();
        AtomicInteger failedBeforeKill = new AtomicInteger();
        AtomicInteger cutByKill = new AtomicInteger();
        AtomicInteger refusedAfterKill = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        int inFlightAtKill;
        long loadMillis;
        try {
            awaitServing(b.url(), caller.key(), answered);
            HttpRequest infer = inferRequest(b.url(), caller.key(), Duration.ofSeconds(10));
            for (int i = 0; i < CALLERS; i++) {
                callers.submit(() -> {
                    while (!stop.get()) {
                        long started = System.nanoTime();
                        inFlight.incrementAndGet();
                        try {
                            HttpResponse<String> response = HTTP.send(infer, BodyHandlers.ofString());
                            Optional<String> id = response.headers().firstValue("x-request-id");
                            if (id.isPresent()) {
                                answered.put(id.get(), response.statusCode());
                            } else {
                                withoutRequestId.incrementAndGet();
                            }
                        } catch (IOException e) {
                            long kill = killedAt.get();
                            AtomicInteger kind = started >= kill ? refusedAfterKill
                                    : System.nanoTime() > kill ? cutByKill : failedBeforeKill;
                            kind.incrementAndGet();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        } finally {
                            inFlight.decrementAndGet();
                        }
                    }
                });
            }
            long loadStarted = System.nanoTime();
            while (System.nanoTime() - loadStarted < LOAD_AT_MOST.toNanos()
                    && (System.nanoTime() - loadStarted < LOAD_BEFORE_KILL.toNanos() || answered.size() <= CALLERS)) {
                Thread.sleep(50);
            }
            loadMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loadStarted);
            inFlightAtKill = inFlight.get();
            killedAt.set(System.nanoTime());
            stack.kill(b.name());
            stop.set(true);
            callers.shutdown();
            assertTrue(callers.awaitTermination(30, TimeUnit.SECONDS), "the callers stop once B is gone");

            stack.restart(b.name());
            HttpResponse<String> afterRestart = awaitServing(b.url(), caller.key(), answered);
            assertEquals(200, afterRestart.statusCode(), "the restarted replica serves again");
        } finally {
            stop.set(true);
            callers.shutdownNow();
        }

        Map<String, Integer> billableRows = billableInferRows(caller.keyId());
        List<String> ok = answered.entrySet().stream().filter(e -> e.getValue() / 100 == 2).map(Map.Entry::getKey)
                .toList();
        List<String> okWithoutRow = ok.stream().filter(id -> !billableRows.containsKey(id)).toList();
        List<String> billedTwice = billableRows.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey).toList();
        List<String> billedButAnsweredAnError = billableRows.keySet().stream()
                .filter(id -> answered.containsKey(id) && answered.get(id) / 100 != 2).toList();
        List<String> billedButUnanswered = billableRows.keySet().stream().filter(id -> !answered.containsKey(id))
                .toList();
        Map<String, Long> foundByRequestId = new TreeMap<>();
        for (String id : billedButUnanswered) {
            foundByRequestId.put(id, rowsWithRequestId(UUID.fromString(id)));
        }
        Map<Integer, Long> statuses = answered.values().stream()
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));

        System.out.printf("RESULT kill -9 under load: %d callers through replica B for %d ms; %d 2xx seen, %d billable "
                        + "rows, %d billable-but-unanswered (each found by its request id: %s); %d calls in flight at "
                        + "the kill, %d cut off by it; answers by status %s; 2xx without a billable row %d, billed "
                        + "twice %d, billed but answered with an error %d; errors before the kill %d, answers without "
                        + "x-request-id %d%n",
                CALLERS, loadMillis, ok.size(), billableRows.size(), billedButUnanswered.size(),
                foundByRequestId.values().stream().allMatch(n -> n == 1), inFlightAtKill, cutByKill.get(), statuses,
                okWithoutRow.size(), billedTwice.size(), billedButAnsweredAnError.size(), failedBeforeKill.get(),
                withoutRequestId.get());
        assertAll(
                () -> assertTrue(ok.size() >= CALLERS, "the load ran: " + ok.size() + " 2xx"),
                () -> assertEquals(0, failedBeforeKill.get(), "no call failed before the kill"),
                () -> assertEquals(0, withoutRequestId.get(), "every answer carries x-request-id"),
                () -> assertEquals(List.of(), okWithoutRow, "every 2xx has a billable row"),
                () -> assertEquals(List.of(), billedTwice, "no call is billed twice"),
                () -> assertEquals(List.of(), billedButAnsweredAnError, "no call answered with an error is billed"),
                () -> assertTrue(billedButUnanswered.size() <= Math.min(cutByKill.get(), CALLERS),
                        billedButUnanswered.size() + " billable rows without an answer, but only " + cutByKill.get()
                                + " calls were in flight at the kill"),
                () -> assertTrue(foundByRequestId.values().stream().allMatch(n -> n == 1),
                        "each unanswered billable row is found by its request id: " + foundByRequestId));
    }

    @Test
    @Order(3)
    void revocationAndSuspensionReachTheOtherReplicaWithin100ms() throws Exception {
        LocalStack.Replica b = replicaB();
        ApiClient viaA = new ApiClient(replicaA().url());
        String slug = "notify-co";
        viaA.postJson("/admin/v1/tenants", admin, Map.of("slug", slug, "name", slug)).expect(201);

        List<Long> revocations = new ArrayList<>();
        while (undecided(revocations)) {
            TenantKey key = newKey(viaA, slug);
            assertEquals(200, awaitServing(b.url(), key.key(), null).statusCode(), "the key works on B");
            viaA.delete("/api/v1/tenants/" + slug + "/keys/" + key.keyId(), admin).expect(204);
            revocations.add(millisUntilStatus(b.url(), key.key(), 401));
        }
        List<Long> suspensions = new ArrayList<>();
        while (undecided(suspensions)) {
            // a new key each time: B looks it up afresh, so it starts from the tenant's current (active) status
            TenantKey key = newKey(viaA, slug);
            assertEquals(200, awaitServing(b.url(), key.key(), null).statusCode(), "the key works on B");
            viaA.patchJson("/admin/v1/tenants/" + slug, admin, Map.of("status", "suspended")).expect(200);
            suspensions.add(millisUntilStatus(b.url(), key.key(), 403));
            viaA.patchJson("/admin/v1/tenants/" + slug, admin, Map.of("status", "active")).expect(200);
        }
        long revocationMedian = median(revocations);
        long suspensionMedian = median(suspensions);
        System.out.printf("RESULT across replicas (key cache 60 s): revocation through A refused on B after %s ms "
                        + "(median %s), suspension through A refused on B after %s ms (median %s); target <= %d ms%n",
                millisList(revocations), millis(revocationMedian), millisList(suspensions),
                millis(suspensionMedian), NOTIFY_TARGET_MS);
        assertAll(
                () -> assertTrue(revocationMedian <= NOTIFY_TARGET_MS, "a key revoked through A must be refused "
                        + "by B within " + NOTIFY_TARGET_MS + " ms: " + millisList(revocations)),
                () -> assertTrue(suspensionMedian <= NOTIFY_TARGET_MS, "a tenant suspended through A must be "
                        + "refused by B within " + NOTIFY_TARGET_MS + " ms: " + millisList(suspensions)));
    }

    /** More repetitions are due until there are enough, or until the misses alone decide the median. */
    private static boolean undecided(List<Long> millis) {
        long misses = millis.stream().filter(m -> m == Long.MAX_VALUE).count();
        return millis.size() < NOTIFY_REPETITIONS && misses <= NOTIFY_REPETITIONS / 2;
    }

    @Test
    @Order(4)
    void slowClientsDoNotDelayOthers() throws Exception {
        TenantKey caller = newTenantWithKey("slow-co");
        LocalStack.Replica s = replicaB();
        TricklingClients slow = null;
        try {
            awaitServing(s.url(), caller.key(), null);
            latencies(s.url(), caller.key(), 50);
            Latencies alone = latencies(s.url(), caller.key(), LATENCY_CALLS);

            String head = "POST /v2/models/" + MODEL + "/infer HTTP/1.1\r\n"
                    + "Host: " + stack.settings().host() + ":" + s.port() + "\r\n"
                    + "Authorization: Bearer " + caller.key() + "\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Content-Length: 100000\r\n\r\n";
            long opening = System.nanoTime();
            slow = TricklingClients.open(stack.settings().host(), s.port(), SLOW_CLIENTS, head, Duration.ofSeconds(1));
            long openedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opening);
            Latencies crowded = latencies(s.url(), caller.key(), LATENCY_CALLS);
            int stillTrickling = slow.open();
            slow.awaitAllEnded(CUT_OFF_WITHIN.plusSeconds(1).minusNanos(System.nanoTime() - opening));
            List<TricklingClients.Outcome> outcomes = slow.outcomes();

            List<Long> cutOff408 = outcomes.stream().filter(o -> o != null && o.status() == 408)
                    .map(TricklingClients.Outcome::millis).sorted().toList();
            Map<String, Long> otherEndings = outcomes.stream().filter(o -> o == null || o.status() != 408)
                    .collect(Collectors.groupingBy(o -> o == null ? "still open" : o.how(), TreeMap::new,
                            Collectors.counting()));
            double delay = crowded.median() - alone.median();
            System.out.printf("RESULT slow clients: median infer latency %.2f ms alone, %.2f ms while %d connections "
                            + "trickle 1 byte/s (%+.2f ms; %d calls, %d timed out, %d errors; %d of %d still "
                            + "trickling when the calls ended; opened in %d ms); 408 for %d of %d (after %s ms, "
                            + "median %s); other endings %s%n",
                    alone.median(), crowded.median(), SLOW_CLIENTS, delay, crowded.millis().size(), crowded.timeouts(),
                    crowded.errors(), stillTrickling, SLOW_CLIENTS, openedMs, cutOff408.size(), SLOW_CLIENTS,
                    cutOff408.isEmpty() ? "-" : cutOff408.get(0) + "-" + cutOff408.get(cutOff408.size() - 1),
                    cutOff408.isEmpty() ? "-" : String.valueOf(cutOff408.get(cutOff408.size() / 2)), otherEndings);
            assertAll(
                    () -> assertEquals(0, crowded.timeouts() + crowded.errors(), "every call succeeds while others "
                            + "trickle"),
                    () -> assertTrue(delay <= MAX_DELAY_MS, "trickling clients delay other calls by "
                            + String.format("%.2f ms (median %.2f -> %.2f)", delay, alone.median(), crowded.median())
                            + ", at most " + MAX_DELAY_MS + " ms allowed"),
                    () -> assertEquals(SLOW_CLIENTS, cutOff408.size(), "every trickling connection is cut off with "
                            + "408; other endings: " + otherEndings),
                    () -> assertTrue(cutOff408.isEmpty() || cutOff408.get(cutOff408.size() - 1)
                            <= CUT_OFF_WITHIN.toMillis(), "cut off within " + CUT_OFF_WITHIN.toSeconds() + " s"));
        } finally {
            // closing the connections also frees whatever the replica still holds for them
            if (slow != null) {
                slow.close();
            }
        }
    }

    @Test
    @Order(5)
    void uploadLargerThanTheHeapIsValidatedWithinTheHeap() throws Exception {
        String model = "resilience-large";
        Path file = Path.of("target", "resilience-large-matmul.onnx").toAbsolutePath();
        Path gcLog = stack.settings().logDir().resolve("large-upload-gc.log").toAbsolutePath();
        try {
            long size = LargeMatMulModel.write(file, LARGE_N, LARGE_K);
            stack.api().postJson("/admin/v1/models", admin, Map.of("name", model, "description",
                    "larger than the heap", "visibility", "public")).expect(201);
            LocalStack.Replica h = stack.startReplica(Map.of(),
                    List.of("-Xmx" + HEAP_MB + "m", "-Xlog:gc:file=" + gcLog));
            try (HeapSampler heap = HeapSampler.start(stack.pid(h.name()))) {
                heap.awaitSamples(3, Duration.ofSeconds(10));
                double idleMb = heap.peakMb();
                HttpRequest upload = HttpRequest.newBuilder(URI.create(h.url() + "/admin/v1/models/" + model
                                + "/versions"))
                        .timeout(Duration.ofSeconds(90))
                        .header("Authorization", "Bearer " + admin)
                        .header("Content-Type", "application/octet-stream")
                        .header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofFile(file))
                        .build();
                long begin = System.nanoTime();
                int status;
                String body;
                try {
                    HttpResponse<String> response = HTTP.send(upload, BodyHandlers.ofString());
                    status = response.statusCode();
                    body = response.body();
                } catch (IOException e) {
                    status = 0;
                    body = "no answer: " + e;
                }
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
                Thread.sleep(300);
                boolean alive = stack.isAlive(h.name());
                double sampledMb = heap.peakMb();
                long beforeGcMb = HeapSampler.peakBeforeGcMb(gcLog);
                double peakMb = Math.max(sampledMb, beforeGcMb);
                System.out.printf("RESULT upload larger than the heap: %d MB file (%d MB of FP32 weights) to a replica "
                                + "at -Xmx%dm: HTTP %d in %d ms; peak used heap %.1f MB (sampled every 100 ms: %.1f MB "
                                + "in %d samples, %.1f MB before the upload; before a GC: %d MB in %d collections); "
                                + "replica alive afterwards: %s%n",
                        size / 1_000_000, LargeMatMulModel.weightBytes(LARGE_N, LARGE_K) / 1_000_000, HEAP_MB,
                        status, tookMs, peakMb, sampledMb, heap.samples(), idleMb, beforeGcMb,
                        HeapSampler.collections(gcLog), alive);
                if (status == 201) {
                    // READY versions are pulled by every worker: this one only had to be accepted
                    stack.api().delete("/admin/v1/models/" + model + "/versions/"
                            + Json.parse(body).path("version").asInt(), admin).expect(204);
                }
                int finalStatus = status;
                String finalBody = body;
                assertAll(
                        () -> assertEquals(201, finalStatus, "the upload is accepted: " + abbreviate(finalBody)),
                        () -> assertTrue(alive, "the replica survives the upload"),
                        () -> assertTrue(peakMb <= HEAP_MB, "the heap stays within -Xmx" + HEAP_MB + "m"));
            } finally {
                stack.stop(h.name());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    @Order(6)
    void everyRealModelPatternIsAcceptedPlacedAndServedWithAndWithoutAnExample() throws Exception {
        RealModelFlow.Stack flowStack = realModelStack();
        List<RealModels.Pattern> patterns = RealModels.all();
        // one thread per pattern: most of each flow waits for the worker's heartbeats, so they overlap well
        ExecutorService pool = Executors.newFixedThreadPool(patterns.size());
        long begin = System.nanoTime();
        List<RealModelFlow.Outcome> outcomes = new ArrayList<>();
        try {
            List<Future<RealModelFlow.Outcome>> running = new ArrayList<>();
            for (RealModels.Pattern pattern : patterns) {
                running.add(pool.submit(() -> RealModelFlow.run(flowStack, pattern)));
            }
            for (Future<RealModelFlow.Outcome> outcome : running) {
                outcomes.add(outcome.get(4 * RealModelFlow.READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        outcomes.forEach(o -> System.out.println(o.line()));
        System.out.printf("RESULT real models: %d patterns, in parallel, in %d ms; %d with all checks passed%n",
                outcomes.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin),
                outcomes.stream().filter(o -> o.problems.isEmpty()).count());
        assertAll(outcomes.stream().map(o -> (Executable) () -> assertEquals(List.of(), o.problems, o.pattern)));
    }

    @Test
    @Order(7)
    void inputOfUnknownRankTakesAnyRank() throws Exception {
        RealModelFlow.Stack flowStack = realModelStack();
        ApiClient api = stack.api();
        String model = "real-any_rank";
        api.postJson("/admin/v1/models", admin, Map.of("name", model, "description", "input of unknown rank",
                "visibility", "public")).expect(201);
        JsonNode uploaded = api.postBytes("/admin/v1/models/" + model + "/versions", admin, RealModels.anyRank(),
                "application/octet-stream").expect(201).json();
        long begin = System.nanoTime();
        DemoSeeder.awaitReady(api, admin, model, 1, RealModelFlow.READY_TIMEOUT);
        long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        JsonNode metadata = api.get("/v2/models/" + model, flowStack.apiKey()).expect(200).json();

        Map<String, String> answers = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (long[] shape : List.of(new long[] {}, new long[] {3}, new long[] {2, 2}, new long[] {1, 2, 3})) {
            int count = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            float[] x = new float[count];
            float[] y = new float[count];
            for (int i = 0; i < count; i++) {
                x[i] = i * 1.5f - 2f;
                y[i] = x[i] + x[i];
            }
            ApiClient.Response answer = api.postJson("/v2/models/" + model + "/infer", flowStack.apiKey(),
                    RealModels.request(List.of(RealModels.Values.fp32("x", shape, x))));
            List<String> mismatches = answer.status() == 200
                    ? OipOutputs.mismatches(List.of(RealModels.Values.fp32("y", shape, y)), answer.json().path("outputs"))
                    : List.of("HTTP " + answer.status() + " " + RealModelFlow.abbreviate(answer.body(), 300));
            answers.put(Arrays.toString(shape), answer.status() + (mismatches.isEmpty() ? "" : " " + mismatches));
            mismatches.forEach(m -> problems.add("rank " + shape.length + ": " + m));
        }
        System.out.printf("RESULT unknown rank: upload warm-up %s, READY %d ms after the 201; metadata input shape %s; "
                        + "x of shape -> answer: %s%n", uploaded.path("warmup"), readyMs,
                metadata.path("inputs").path(0).path("shape"), answers);
        assertAll(
                () -> assertTrue(metadata.path("inputs").path(0).path("shape").isNull(),
                        "an input of unknown rank has \"shape\": null in the metadata: " + metadata.path("inputs")),
                () -> assertEquals(List.of(), problems, "every rank is answered with y = x + x"));
    }

    // ---- the replicas and calls ------------------------------------------------------------------------------------

    /** Replica A, started on first use. */
    private static synchronized LocalStack.Replica replicaA() {
        if (replicaA == null) {
            replicaA = stack.startReplica(REPLICA_SETTINGS, List.of());
        }
        return replicaA;
    }

    /** Replica B, started on first use, and started again if a test left it dead. */
    private static synchronized LocalStack.Replica replicaB() {
        if (replicaB == null) {
            replicaB = stack.startReplica(REPLICA_SETTINGS, List.of());
        } else if (!stack.isAlive(replicaB.name())) {
            stack.restart(replicaB.name());
        }
        return replicaB;
    }

    /** The real-model tests' tenant, key, worker token and database, made on first use. */
    private static synchronized RealModelFlow.Stack realModelStack() {
        if (realModels == null) {
            TenantKey caller = newTenantWithKey("realmodels-co");
            realModels = new RealModelFlow.Stack(stack.api(), admin, caller.slug(), caller.key(),
                    new ApiClient(stack.workerUrl()),
                    new CachedTokenSource(new InternalTokens(),
                            () -> new CachedTokenSource.Signer("hardening-it", stack.signingKey()), Issuers.PLATFORM,
                            stack.workerIdentityId(), InternalTokens.DEFAULT_TTL),
                    db);
        }
        return realModels;
    }

    private static TenantKey newTenantWithKey(String slug) {
        ApiClient api = stack.api();
        api.postJson("/admin/v1/tenants", admin, Map.of("slug", slug, "name", slug)).expect(201);
        return newKey(api, slug);
    }

    private static TenantKey newKey(ApiClient api, String slug) {
        JsonNode created = api.postJson("/api/v1/tenants/" + slug + "/keys", admin, Map.of("name", "resilience"))
                .expect(201).json();
        return new TenantKey(slug, created.path("key").asText(), UUID.fromString(created.path("id").asText()));
    }

    private static HttpRequest inferRequest(String baseUrl, String key, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(baseUrl + "/v2/models/" + MODEL + "/infer"))
                .timeout(timeout)
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(INFER_BODY))
                .build();
    }

    /**
     * Infers until the answer is 200, for a replica that has just become ready and may not have loaded its routing
     * table yet (or whose previous process left dead connections in the client's pool); every answer's request id
     * and status go into {@code answered} when given.
     */
    private static HttpResponse<String> awaitServing(String baseUrl, String key, Map<String, Integer> answered)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String last = "no answer yet";
        do {
            try {
                HttpResponse<String> response = HTTP.send(inferRequest(baseUrl, key, Duration.ofSeconds(10)),
                        BodyHandlers.ofString());
                if (answered != null) {
                    response.headers().firstValue("x-request-id")
                            .ifPresent(id -> answered.put(id, response.statusCode()));
                }
                if (response.statusCode() == 200) {
                    return response;
                }
                last = "HTTP " + response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no 200 from " + baseUrl + " within 20 s; last: " + last);
    }

    /**
     * Polls the model's metadata with the key as fast as one client can, from now until the status wanted: the
     * milliseconds that took, or {@link Long#MAX_VALUE} when it did not come within {@link #POLL_LIMIT}.
     */
    private static long millisUntilStatus(String baseUrl, String key, int wanted) throws Exception {
        HttpRequest metadata = HttpRequest.newBuilder(URI.create(baseUrl + "/v2/models/" + MODEL))
                .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + key).GET().build();
        long begin = System.nanoTime();
        long deadline = begin + POLL_LIMIT.toNanos();
        do {
            if (HTTP.send(metadata, BodyHandlers.discarding()).statusCode() == wanted) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            }
        } while (System.nanoTime() < deadline);
        return Long.MAX_VALUE;
    }

    /** Latencies of sequential calls, in milliseconds; gives up after two calls that time out (1 s each). */
    private record Latencies(List<Double> millis, int timeouts, int errors) {
        double median() {
            List<Double> sorted = millis.stream().sorted().toList();
            return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
        }
    }

    private static Latencies latencies(String baseUrl, String key, int calls) throws InterruptedException {
        HttpRequest infer = inferRequest(baseUrl, key, Duration.ofSeconds(1));
        List<Double> millis = new ArrayList<>(calls);
        int timeouts = 0;
        int errors = 0;
        for (int i = 0; i < calls && timeouts < 2; i++) {
            long begin = System.nanoTime();
            try {
                int status = HTTP.send(infer, BodyHandlers.ofString()).statusCode();
                if (status != 200) {
                    errors++;
                }
                millis.add((System.nanoTime() - begin) / 1e6);
            } catch (IOException e) {
                timeouts++;
                millis.add((System.nanoTime() - begin) / 1e6);
            }
        }
        return new Latencies(millis, timeouts, errors);
    }

    // ---- the database ----------------------------------------------------------------------------------------------

    /** Billable infer rows of one key: request id -> number of rows. */
    private static Map<String, Integer> billableInferRows(UUID keyId) throws SQLException {
        Map<String, Integer> rows = new HashMap<>();
        db.list("""
                SELECT request_id::text, count(*) FROM usage_records
                WHERE api_key_id = ? AND billable AND endpoint = 'infer' GROUP BY request_id""",
                rs -> rows.put(rs.getString(1), rs.getInt(2)), keyId);
        return rows;
    }

    private static long rowsWithRequestId(UUID requestId) throws SQLException {
        return db.number("SELECT count(*) FROM usage_records WHERE request_id = ?", requestId);
    }

    // ---- figures ---------------------------------------------------------------------------------------------------

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String millis(long value) {
        return value == Long.MAX_VALUE ? ">" + POLL_LIMIT.toMillis() : Long.toString(value);
    }

    private static String millisList(Collection<Long> values) {
        return values.stream().map(HardeningIT::millis).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }

    /** The stored copies of the large model (hundreds of MB) go; logs and the rest of the state stay for reading. */
    private static void removeLargeFiles(Path dir) throws IOException {
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (Files.size(f) > 50_000_000L) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
