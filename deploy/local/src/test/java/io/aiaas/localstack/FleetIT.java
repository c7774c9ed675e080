package io.aiaas.localstack;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.onnx.builder.RealModels;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Fail-over and drain under load with three workers on one machine (issue 9): platform-api with its embedded
 * PostgreSQL and three workers as real processes (no Keycloak: the launcher signs the admin's token), a model that
 * computes for a few milliseconds per call READY on all three, and {@value #CALLERS} callers that call it without a
 * pause for the whole test. After a few seconds worker 1 (the one that finished the most calls in the last 1.5 s, so
 * the one most likely to have calls in flight) is killed with SIGKILL, a few seconds later worker 2 (the busier of the
 * other two) is sent SIGTERM, and the load goes on a few seconds more; worker 3 is the one left. Then:
 * <ol>
 *   <li>a call failed only if it was in flight when worker 1 was killed, and its row names worker 1 or says no worker
 *       answered; none failed around the SIGTERM (ideally none failed at all: the control plane moves a call whose
 *       connection broke to another worker);</li>
 *   <li>billing: billable rows = 2xx answers by request id, no request id twice, failed calls' rows not billable, the
 *       rows' cost = 2xx x the unit price = the x-aiaas-cost headers = the upcoming invoice;</li>
 *   <li>worker 2 leaves {@code GET /admin/v1/workers} (deregistered) when the control plane documents
 *       {@code DELETE /internal/v1/workers/{id}}, and is at least DOWN otherwise;</li>
 *   <li>calls started after worker 2 exited succeed, on worker 3.</li>
 * </ol>
 * It prints one {@code FLEET} line with the figures.
 */
class FleetIT {

    private static final String MODEL = "fleet-loop";
    private static final int WORKERS = 3;
    private static final int CALLERS = 24;
    /** What one call should compute on an idle worker: a few ms, so that calls are in flight when a worker dies. */
    private static final double CALL_COMPUTE_MS = 8;
    private static final Duration LOAD_BEFORE_KILL = Duration.ofSeconds(4);
    private static final Duration KILL_TO_SIGTERM = Duration.ofSeconds(4);
    private static final Duration LOAD_AFTER_EXIT = Duration.ofSeconds(4);
    /** A draining worker finishes its calls and deregisters well within this (its drain timeout is 30 s). */
    private static final Duration EXIT_AFTER_SIGTERM_WITHIN = Duration.ofSeconds(40);
    /** platform-api's aiaas.workers.down-after (10 s) plus a sweep (2 s) plus slack. */
    private static final Duration DOWN_WITHIN = Duration.ofSeconds(20);
    /** What a deregistration leaves to the routing tables: a refresh (1 s) plus slack. */
    private static final Duration DEREGISTERED_WITHIN = Duration.ofSeconds(5);

    /** Per 1,000 requests, so each call costs exactly the same. */
    private static final long PRICE_PER_1K_MICROS = 100_000;
    /** micro-units per 1,000 requests = nano-units per request. */
    private static final long REQUEST_NANOS = PRICE_PER_1K_MICROS;
    /** Error codes of a call that no worker answered: the control plane's own words for a dead worker. */
    private static final Set<String> NO_WORKER_ANSWERED = Set.of("worker_unreachable", "worker_failed", "no_worker");

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final AtomicReference<String> childDeath = new AtomicReference<>();
    private static LocalStack stack;
    private static StackDb db;
    private static Thread stopOnExit;
    private static String admin;
    private static long classStarted;
    private static int version;
    private static String key;
    private static UUID tenantId;
    private static String tenantSlug;
    private static long steps;
    private static String placementApi = "absent";

    @RegisterExtension
    static final TestWatcher CHILD_LOGS_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (stack != null) {
                System.err.println(context.getDisplayName() + " failed; the children:" + System.lineSeparator()
                        + stack.diagnostics(40));
            }
        }
    };

    /** One answer (status 0: none, the body says why), with client-side start and end (System.nanoTime). */
    private record Answer(int status, String body, Map<String, List<String>> headers, long startNanos, long endNanos) {

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

        boolean spans(long instant) {
            return startNanos < instant && endNanos > instant;
        }

        String kind() {
            return status == 0 ? "no answer" : status + (ok() ? "" : " " + code());
        }
    }

    /** A usage row of the tenant. */
    private record Row(String requestId, int status, boolean billable, long costNanos, String errorCode,
            String worker) {
    }

    @BeforeAll
    static void startStack() throws Exception {
        classStarted = System.nanoTime();
        Path state = Path.of("target", "fleet-" + System.currentTimeMillis());
        stack = LocalStack.start(LocalStackSettings.forTests(state), LocalStack.Topology.fleet(WORKERS), System.out,
                message -> {
                    childDeath.set(message);
                    System.err.println("CHILD DIED: " + message);
                });
        db = new StackDb(stack);
        stopOnExit = new Thread(stack::close, "fleet-stack-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        admin = stack.platformAdminToken();
        ApiClient api = stack.api();

        api.postJson("/admin/v1/models", admin, Map.of("name", MODEL, "description",
                "fleet test: a Loop whose trip count the input sets", "visibility", "public")).expect(201);
        Set<String> documented = documentedOperations();
        if (documented.contains("PUT /admin/v1/models/{name}/placement")) {
            // the placement policy may put a model on fewer workers by default: this test needs it on all three
            ApiClient.Response placed = api.putJson("/admin/v1/models/" + MODEL + "/placement", admin,
                    Map.of("min_replicas", WORKERS, "max_replicas", WORKERS));
            placementApi = "PUT placement " + placed.status();
            placed.expect(200, 204);
        }
        version = api.postBytes("/admin/v1/models/" + MODEL + "/versions", admin, RealModels.decodeLoop().onnx(),
                "application/octet-stream").expect(201).json().path("version").asInt();
        awaitReadyOnEveryWorker(Duration.ofSeconds(90));

        // a tenant without a plan times the model, so the measured tenant's rows are the load's alone
        api.postJson("/admin/v1/tenants", admin, Map.of("slug", "fleet-warm", "name", "fleet-warm")).expect(201);
        calibrate(newKey("fleet-warm"));
        tenantSlug = "fleet-co";
        tenantId = newTenant(tenantSlug);
        key = newKey(tenantSlug);
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
        System.out.printf("FleetIT: %d s in all%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - classStarted));
        assertNull(childDeath.get(), "no child may die unless the test killed or stopped it");
    }

    @Test
    void killedWorkerFailsOnlyItsInFlightCallsUnbilledAndDrainedWorkerFailsNone() throws Exception {
        List<LocalStack.Worker> workers = stack.workers();
        LocalStack.Worker killed;
        LocalStack.Worker drained;
        LocalStack.Worker survivor;
        Map<String, UUID> workerIds = workerIds();
        String body = loopBody(steps);

        List<Answer> answers = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean stopWatching = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS + 1);
        List<CompletableFuture<Void>> callers = new ArrayList<>();
        // how the control plane lists the workers, watched while the load runs
        WorkerWatch watch = new WorkerWatch(workers.stream().map(LocalStack.Worker::workerName).toList());
        long begin = System.nanoTime();
        long killedAt;
        long sigtermAt;
        long exitedAt;
        int exitCode;
        long endedAt;
        String drainedListed;
        boolean deregistration;
        try {
            for (int i = 0; i < CALLERS; i++) {
                callers.add(CompletableFuture.runAsync(() -> {
                    while (!stop.get()) {
                        Answer answer = call(key, body);
                        answers.add(answer);
                        if (!answer.ok()) {
                            sleep(20);
                        }
                    }
                }, pool));
            }
            CompletableFuture<Void> watching = CompletableFuture.runAsync(() -> watch.run(stopWatching), pool);
            Thread.sleep(LOAD_BEFORE_KILL.toMillis());
            // the busiest worker of the last moment dies: the one most likely to have calls in flight
            killed = busiestFirst(workers).get(0);
            killedAt = System.nanoTime();
            stack.kill(killed.name());
            Thread.sleep(KILL_TO_SIGTERM.toMillis());
            List<LocalStack.Worker> left = busiestFirst(workers.stream().filter(w -> w != killed).toList());
            drained = left.get(0);
            survivor = left.get(1);
            sigtermAt = System.nanoTime();
            exitCode = stack.terminate(drained.name()).get(EXIT_AFTER_SIGTERM_WITHIN.toSeconds(), TimeUnit.SECONDS);
            exitedAt = System.nanoTime();
            Thread.sleep(LOAD_AFTER_EXIT.toMillis());
            stop.set(true);
            CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new))
                    .get(CALL_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
            endedAt = System.nanoTime();
            // how the control plane lists worker 2 in the end: deregistered when it documents the endpoint for it
            deregistration = documentedOperations().contains("DELETE /internal/v1/workers/{id}");
            drainedListed = awaitListedAs(watch, drained.workerName(), deregistration ? Set.of("absent")
                    : Set.of("absent", "down"), deregistration ? DEREGISTERED_WITHIN : DOWN_WITHIN);
            stopWatching.set(true);
            watching.get(10, TimeUnit.SECONDS);
        } finally {
            stop.set(true);
            stopWatching.set(true);
            pool.shutdownNow();
        }
        long drainedGoneMs = watch.goneMs(drained.workerName(), sigtermAt);
        long killedGoneMs = watch.goneMs(killed.workerName(), killedAt);

        List<Answer> all = List.copyOf(answers);
        List<Answer> ok = all.stream().filter(Answer::ok).toList();
        List<Answer> failed = all.stream().filter(a -> !a.ok()).toList();
        Map<String, Row> rows = awaitRows(ok.size());
        Map<UUID, String> names = new HashMap<>();
        workerIds.forEach((name, id) -> names.put(id, name));

        // (a) failures: in flight at the kill, and pinned on worker 1 or on no worker answering
        Predicate<Answer> explained = a -> a.spans(killedAt) && a.requestId().map(rows::get)
                .map(r -> killed.workerName().equals(r.worker()) || NO_WORKER_ANSWERED.contains(r.errorCode()))
                .orElse(false);
        List<Answer> unexplained = failed.stream().filter(explained.negate()).toList();
        List<Answer> aroundSigterm = failed.stream().filter(a -> a.endNanos() > sigtermAt).toList();
        long spanningKill = all.stream().filter(a -> a.spans(killedAt)).count();
        long failedAtKill = failed.stream().filter(a -> a.spans(killedAt)).count();
        long spanningSigterm = all.stream().filter(a -> a.spans(sigtermAt)).count();
        // from the kill to the end of the last failed call: from then on every call succeeded
        long recoverMs = TimeUnit.NANOSECONDS.toMillis(failed.stream().mapToLong(a -> a.endNanos() - killedAt).max()
                .orElse(0));

        // (b) billing
        Set<String> okIds = ids(ok);
        List<String> idsAnsweredTwice = twice(all.stream().flatMap(a -> a.requestId().stream()).toList());
        List<Row> billable = rows.values().stream().filter(Row::billable).toList();
        Set<String> billableIds = billable.stream().map(Row::requestId).collect(Collectors.toSet());
        Set<String> okWithoutRow = new HashSet<>(okIds);
        okWithoutRow.removeAll(billableIds);
        Set<String> rowWithoutOk = new HashSet<>(billableIds);
        rowWithoutOk.removeAll(okIds);
        long billableCost = billable.stream().mapToLong(Row::costNanos).sum();
        long headerCost = ok.stream().mapToLong(Answer::costNanos).sum();
        List<String> rowIdsTwice = rowIdsTwice();
        List<String> failedBilled = failed.stream().flatMap(a -> a.requestId().stream())
                .filter(id -> rows.containsKey(id) && rows.get(id).billable()).toList();
        long withoutRequestId = all.stream().filter(a -> a.status() != 0 && a.requestId().isEmpty()).count();
        ApiClient.Response invoice = stack.api().get("/api/v1/tenants/" + tenantSlug + "/invoices/upcoming", admin);
        long invoiceNanos = invoice.json().path("total_nanos").asLong(-1);

        // (d) after worker 2 is gone, worker 3 serves
        List<Answer> afterExit = all.stream().filter(a -> a.startNanos() > exitedAt).toList();
        Map<String, Long> afterExitByWorker = countBy(afterExit.stream().filter(Answer::ok).toList(),
                a -> a.requestId().map(rows::get).map(Row::worker).orElse("no row"));
        Function<Answer, String> servedBy = a -> a.requestId().map(rows::get).map(Row::worker).orElse("no row");
        Map<String, Long> byWorker = countBy(ok, servedBy);
        Map<String, Long> beforeKillByWorker = countBy(ok.stream().filter(a -> a.endNanos() < killedAt).toList(),
                servedBy);
        // each is a kept-alive exchange with a worker that broke mid-call: the calls the kill and the SIGTERM cut off
        long resets = stack.logLines("platform-api", "Connection reset");

        System.out.printf("FLEET %d workers, %d callers, %.0f ms of load, ~%.0f ms compute per call (%d loop steps), "
                        + "placement %s: %d calls, %d 2xx (by worker %s; before the kill %s), failures %s; %d "
                        + "connection resets in platform-api's log; %d calls in flight at the SIGKILL of %s (its last heartbeat said %s outstanding), %d of them failed (%d failures in all, %d unexplained, %d ended after the "
                        + "SIGTERM); %d in flight at the SIGTERM of %s, which exited with %d after %d ms; recovered %d "
                        + "ms after the kill; %s out of GET /admin/v1/workers (down or absent) %s after the kill, %s "
                        + "%s after the SIGTERM (finally %s; deregistration endpoint %s); billable rows %d (2xx %d), "
                        + "cost %d nanos (2xx x %d = %d; x-aiaas-cost %d; upcoming invoice %d), failed billed %d, "
                        + "request ids twice: answers %d, rows %d; after the exit: %d calls, 2xx by worker %s; latency "
                        + "p50/max ms: before the kill %s, between %s, after the exit %s%n",
                WORKERS, CALLERS, (endedAt - begin) / 1e6, CALL_COMPUTE_MS, steps, placementApi, all.size(), ok.size(),
                byWorker, beforeKillByWorker, countBy(failed, Answer::kind), resets, spanningKill, killed.workerName(),
                watch.lastOutstanding(killed.workerName()), failedAtKill,
                failed.size(), unexplained.size(), aroundSigterm.size(), spanningSigterm, drained.workerName(),
                exitCode, TimeUnit.NANOSECONDS.toMillis(exitedAt - sigtermAt), recoverMs, killed.workerName(),
                killedGoneMs < 0 ? "never seen" : killedGoneMs + " ms", drained.workerName(),
                drainedGoneMs < 0 ? "never seen" : drainedGoneMs + " ms", drainedListed,
                deregistration ? "documented" : "absent", billable.size(), ok.size(), billableCost, REQUEST_NANOS,
                ok.size() * REQUEST_NANOS, headerCost, invoiceNanos, failedBilled.size(), idsAnsweredTwice.size(),
                rowIdsTwice.size(), afterExit.size(), afterExitByWorker,
                latency(all, a -> a.endNanos() < killedAt), latency(all, a -> a.startNanos() > killedAt
                        && a.endNanos() < sigtermAt), latency(afterExit, a -> true));
        System.out.printf("FLEET summary: calls %d, 2xx %d, failures %s, failed in flight at the kill %d of %d, failed "
                        + "after the SIGTERM %d, billed rows %d (= 2xx: %s), recovered %d ms after the kill, worker 1 out "
                        + "of routing after %d ms, worker 2 exited %d ms after SIGTERM and is %s%n",
                all.size(), ok.size(), countBy(failed, Answer::kind), failedAtKill, spanningKill, aroundSigterm.size(),
                billable.size(), billable.size() == ok.size() && okWithoutRow.isEmpty() && rowWithoutOk.isEmpty(),
                recoverMs, killedGoneMs, TimeUnit.NANOSECONDS.toMillis(exitedAt - sigtermAt), drainedListed);
        unexplained.stream().limit(5).forEach(a -> System.out.printf("FLEET unexplained failure: %s, %.0f-%.0f ms of "
                        + "the load, row %s: %s%n", a.kind(), (a.startNanos() - begin) / 1e6, (a.endNanos() - begin) / 1e6,
                a.requestId().map(rows::get).orElse(null), abbreviate(a.body())));

        assertAll(
                () -> assertTrue(spanningKill > 0, "calls were in flight when worker 1 was killed"),
                () -> assertTrue(byWorker.keySet().containsAll(List.of(killed.workerName(), drained.workerName(),
                        survivor.workerName())), "the load reached all three workers: " + byWorker),
                // (a)
                () -> assertEquals(List.of(), unexplained.stream().map(FleetIT::describe).toList(),
                        "only calls in flight at the SIGKILL, on worker 1 or on no worker, may fail"),
                () -> assertEquals(List.of(), aroundSigterm.stream().map(FleetIT::describe).toList(),
                        "no call fails around the SIGTERM"),
                () -> assertEquals(0, withoutRequestId, "every answer carries x-request-id"),
                // (b)
                () -> assertEquals(List.of(), idsAnsweredTwice, "no request id answered twice"),
                () -> assertEquals(List.of(), rowIdsTwice, "no request id twice in the rows"),
                () -> assertEquals(ok.size(), billable.size(), "billable rows = 2xx answers"),
                () -> assertEquals(Set.of(), okWithoutRow, "every 2xx has its billable row"),
                () -> assertEquals(Set.of(), rowWithoutOk, "every billable row is a 2xx answer"),
                () -> assertEquals(List.of(), failedBilled, "no failed call is billed"),
                () -> assertEquals(ok.size() * REQUEST_NANOS, billableCost, "cost = 2xx x the unit price"),
                () -> assertEquals(billableCost, headerCost, "x-aiaas-cost of the 2xx adds up to the rows"),
                () -> assertEquals(200, invoice.status(), "the upcoming invoice: " + invoice.body()),
                () -> assertEquals(billableCost, invoiceNanos, "the upcoming invoice's total = the rows' cost"),
                // (c)
                () -> assertTrue(deregistration ? drainedListed.equals("absent")
                                : Set.of("absent", "down").contains(drainedListed),
                        drained.workerName() + " after its SIGTERM is listed as " + drainedListed + " (deregistration "
                                + (deregistration ? "documented: it must be gone" : "not there yet: down is enough")
                                + ")"),
                // (d)
                () -> assertTrue(afterExitByWorker.getOrDefault(survivor.workerName(), 0L) > 0,
                        "calls started after worker 2 exited succeed on worker 3: " + afterExitByWorker),
                () -> assertEquals(Set.of(survivor.workerName()), afterExitByWorker.keySet(),
                        "only worker 3 serves after the other two are gone"),
                () -> assertEquals(List.of(), afterExit.stream().filter(a -> !a.ok()).map(FleetIT::describe).toList(),
                        "no call started after worker 2 exited fails"));
    }

    // ---- set-up --------------------------------------------------------------------------------------------------

    /** "METHOD /path" of every operation platform-api's OpenAPI document lists: which fleet endpoints exist. */
    private static Set<String> documentedOperations() {
        JsonNode paths = stack.api().get("/q/openapi?format=json", null).expect(200).json().path("paths");
        Set<String> operations = new HashSet<>();
        paths.fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(
                method -> operations.add(method.toUpperCase() + " " + path.getKey())));
        return operations;
    }

    /** Waits until every worker lists the version READY. */
    private static void awaitReadyOnEveryWorker(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        Set<String> ready;
        do {
            ready = new HashSet<>();
            for (JsonNode worker : stack.api().get("/admin/v1/workers", admin).expect(200).json()) {
                for (JsonNode placement : worker.path("placements")) {
                    if (MODEL.equals(placement.path("model").asText()) && placement.path("version").asInt() == version
                            && "ready".equalsIgnoreCase(placement.path("state").asText())
                            && "up".equalsIgnoreCase(worker.path("status").asText())) {
                        ready.add(worker.path("name").asText());
                    }
                }
            }
            if (ready.size() == WORKERS) {
                return;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(MODEL + " v" + version + " READY on " + ready + " only, after " + within.toSeconds()
                + " s; workers: " + stack.api().get("/admin/v1/workers", admin).body());
    }

    private static String newKey(String slug) {
        return stack.api().postJson("/api/v1/tenants/" + slug + "/keys", admin, Map.of("name", "fleet"))
                .expect(201).json().path("key").asText();
    }

    /** A tenant on its own plan: one flat price per request, no limits. */
    private static UUID newTenant(String slug) throws SQLException {
        ApiClient api = stack.api();
        Map<String, Object> tier = new LinkedHashMap<>();
        tier.put("up_to", null);
        tier.put("unit_micros", PRICE_PER_1K_MICROS);
        Map<String, Object> price = new LinkedHashMap<>();
        price.put("model", null);
        price.put("per_1k_requests", Map.of("tiering", "graduated", "tiers", List.of(tier)));
        price.put("per_1k_items", null);
        price.put("per_compute_second", null);
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("requests_per_minute_per_key", null);
        limits.put("requests_per_minute_per_tenant", null);
        limits.put("max_concurrent_requests", null);
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("name", "p-" + slug);
        plan.put("currency", "USD");
        plan.put("monthly_fee_micros", 0);
        plan.put("included_credit_micros", 0);
        plan.put("rate_limits", limits);
        plan.put("quotas", List.of());
        plan.put("budget", null);
        plan.put("prices", List.of(price));
        String planId = api.postJson("/admin/v1/plans", admin, plan).expect(201).json().path("id").asText();
        api.postJson("/admin/v1/tenants", admin, Map.of("slug", slug, "name", slug)).expect(201);
        api.patchJson("/admin/v1/tenants/" + slug, admin, Map.of("plan_id", planId)).expect(200);
        return db.tenantId(slug);
    }

    /**
     * Sets the loop's steps so that a call computes for about {@link #CALL_COMPUTE_MS}: from the compute time the
     * worker reports for three calls of a known number of steps (the rows' {@code compute_us}), not from the clients'
     * times, which a loaded machine stretches by whole seconds.
     */
    private static void calibrate(String warmKey) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Answer first;
        do {
            first = call(warmKey, loopBody(1));
            if (!first.ok()) {
                Thread.sleep(200);
            }
        } while (!first.ok() && System.nanoTime() < deadline);
        assertEquals(200, first.status(), "the model serves: " + first.body());
        long probe = 20_000;
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Answer answer = call(warmKey, loopBody(probe));
            assertEquals(200, answer.status(), "calibration at " + probe + " steps: " + answer.body());
            millis.add(computeUs(answer.requestId().orElseThrow()) / 1000.0);
        }
        Collections.sort(millis);
        double stepsPerMs = probe / Math.max(millis.get(1), 0.05);
        steps = Math.max(100, Math.min(200_000, Math.round(CALL_COMPUTE_MS * stepsPerMs)));
        System.out.printf("FLEET calibration: %d steps computed in %s ms on the worker: %.0f steps/ms, %d steps for "
                + "%.0f ms%n", probe, millis, stepsPerMs, steps, CALL_COMPUTE_MS);
    }

    /** The compute time the worker reported for a call, from its usage row (waited for up to 5 s). */
    private static long computeUs(String requestId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        do {
            List<Long> computed = db.list("SELECT compute_us FROM usage_records WHERE request_id = ?::uuid",
                    rs -> rs.getLong(1), requestId);
            if (!computed.isEmpty()) {
                return computed.get(0);
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no usage row for request " + requestId);
    }

    private static String loopBody(long loopSteps) {
        return RealModels.request(List.of(RealModels.Values.int64("steps", new long[0], loopSteps),
                RealModels.Values.fp32("state", new long[] {2}, 0f, 8f)));
    }

    // ---- load ----------------------------------------------------------------------------------------------------

    private static Answer call(String apiKey, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.apiUrl() + "/v2/models/" + MODEL + "/infer"))
                .timeout(CALL_TIMEOUT)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = HTTP.send(request, BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.headers().map(), start,
                    System.nanoTime());
        } catch (IOException e) {
            return new Answer(0, e.toString(), Map.of(), start, System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted", Map.of(), start, System.nanoTime());
        }
    }

    /**
     * Polls {@code GET /admin/v1/workers} while the load runs and remembers when each watched worker was first seen
     * not UP (DOWN, or no longer listed): when the control plane stopped routing to it.
     */
    private static final class WorkerWatch {
        private final List<String> watched;
        private final Map<String, Long> goneAt = new ConcurrentHashMap<>();
        private final Map<String, Integer> outstanding = new ConcurrentHashMap<>();

        WorkerWatch(List<String> names) {
            this.watched = List.copyOf(names);
        }

        void run(AtomicBoolean stop) {
            while (!stop.get()) {
                Map<String, JsonNode> listed = listed();
                long now = System.nanoTime();
                for (String name : watched) {
                    JsonNode worker = listed.get(name);
                    if (worker == null || !"up".equalsIgnoreCase(worker.path("status").asText())) {
                        goneAt.putIfAbsent(name, now);
                    } else if (!goneAt.containsKey(name)) {
                        outstanding.put(name, worker.path("outstanding").asInt());
                    }
                }
                sleep(200);
            }
        }

        /** Records that the worker was seen not UP at that instant, unless it was seen so before. */
        void gone(String name, long at) {
            goneAt.putIfAbsent(name, at);
        }

        /** The outstanding calls the worker reported in its last heartbeat seen while it was UP ("?" if none). */
        String lastOutstanding(String name) {
            Integer last = outstanding.get(name);
            return last == null ? "?" : last.toString();
        }

        /** Milliseconds from {@code since} to the first sighting of the worker not UP, or -1 if never seen so. */
        long goneMs(String name, long since) {
            Long at = goneAt.get(name);
            return at == null ? -1 : TimeUnit.NANOSECONDS.toMillis(at - since);
        }
    }

    /** The workers GET /admin/v1/workers lists, by name. */
    private static Map<String, JsonNode> listed() {
        Map<String, JsonNode> workers = new HashMap<>();
        for (JsonNode worker : stack.api().get("/admin/v1/workers", admin).expect(200).json()) {
            workers.put(worker.path("name").asText(), worker);
        }
        return workers;
    }

    /** Waits until the worker is listed with one of the states given ("absent" when not listed); the last seen. */
    private static String awaitListedAs(WorkerWatch watch, String name, Set<String> states, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String seen;
        do {
            JsonNode worker = listed().get(name);
            seen = worker == null ? "absent" : worker.path("status").asText().toLowerCase();
            if (!"up".equals(seen)) {
                watch.gone(name, System.nanoTime());
            }
            if (states.contains(seen)) {
                return seen;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return seen;
    }

    // ---- the database --------------------------------------------------------------------------------------------

    /**
     * The workers ordered by the calls of the tenant each finished in the last 1.5 s, most first (ties keep the order
     * given): under least-outstanding routing the busiest has the most calls in flight too.
     */
    private static List<LocalStack.Worker> busiestFirst(List<LocalStack.Worker> candidates) throws SQLException {
        Map<String, Long> recent = new HashMap<>();
        db.list("""
                SELECT w.name, count(*) FROM usage_records u JOIN workers w ON w.id = u.worker_id
                WHERE u.tenant_id = ? AND u.finished_at > now() - interval '1.5 seconds' GROUP BY w.name""",
                rs -> recent.put(rs.getString(1), rs.getLong(2)), tenantId);
        List<LocalStack.Worker> ordered = new ArrayList<>(candidates);
        ordered.sort((a, b) -> Long.compare(recent.getOrDefault(b.workerName(), 0L),
                recent.getOrDefault(a.workerName(), 0L)));
        System.out.printf("FLEET calls finished in the last 1.5 s by worker: %s%n", recent);
        return ordered;
    }

    /** Worker name to id, from the registry's table. */
    private static Map<String, UUID> workerIds() throws SQLException {
        Map<String, UUID> ids = new HashMap<>();
        db.list("SELECT name, id FROM workers", rs -> ids.put(rs.getString(1), rs.getObject(2, UUID.class)));
        return ids;
    }

    /**
     * The tenant's infer rows by request id (the worker named by its registered name), waited for (up to 10 s) until
     * at least {@code billable} of them are billable: a row may commit just after its answer went out.
     */
    private static Map<String, Row> awaitRows(int billable) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Map<String, Row> rows;
        do {
            rows = new HashMap<>();
            for (Row row : db.list("""
                    SELECT u.request_id::text, u.status_code, u.billable, u.cost_nanos, u.error_code, w.name
                    FROM usage_records u LEFT JOIN workers w ON w.id = u.worker_id
                    WHERE u.tenant_id = ? AND u.endpoint = 'infer'""", rs -> new Row(rs.getString(1), rs.getInt(2),
                    rs.getBoolean(3), rs.getLong(4), rs.getString(5), rs.getString(6)), tenantId)) {
                rows.put(row.requestId(), row);
            }
            if (rows.values().stream().filter(Row::billable).count() >= billable) {
                return rows;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return rows;
    }

    /** Request ids of the tenant with more than one row of any kind. */
    private static List<String> rowIdsTwice() throws SQLException {
        return db.list("""
                SELECT request_id::text FROM usage_records WHERE tenant_id = ?
                GROUP BY request_id HAVING count(*) > 1""", rs -> rs.getString(1), tenantId);
    }

    // ---- figures -------------------------------------------------------------------------------------------------

    private static String latency(List<Answer> answers, Predicate<Answer> which) {
        List<Long> millis = answers.stream().filter(Answer::ok).filter(which)
                .map(a -> TimeUnit.NANOSECONDS.toMillis(a.endNanos() - a.startNanos())).sorted().toList();
        return millis.isEmpty() ? "-" : millis.get(millis.size() / 2) + "/" + millis.get(millis.size() - 1);
    }

    private static String describe(Answer answer) {
        return answer.kind() + " " + answer.requestId().orElse("(no request id)") + ": " + abbreviate(answer.body());
    }

    private static Set<String> ids(List<Answer> answers) {
        return answers.stream().flatMap(a -> a.requestId().stream()).collect(Collectors.toSet());
    }

    private static List<String> twice(List<String> ids) {
        return countBy(ids, Function.identity()).entrySet().stream().filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey).toList();
    }

    private static <T> Map<String, Long> countBy(List<T> items, Function<T, String> key) {
        return items.stream().collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
