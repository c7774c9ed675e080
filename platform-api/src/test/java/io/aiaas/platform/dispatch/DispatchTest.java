package io.aiaas.platform.dispatch;

import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.FakeWorker;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;

import io.aiaas.platform.testsupport.UsageRows;
import io.aiaas.platform.testsupport.Fixtures.Model;
import io.aiaas.platform.testsupport.Fixtures.Tenant;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Worker choice, retry, timeout and exactly-once metering under concurrency, through the public /v2 API. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class DispatchTest {

    static final String BODY = """
            {"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 3], "data": [1, 2, 3]}]}""";

    @Inject
    Fixtures fixtures;

    @Inject
    UsageRows usage;

    @Inject
    Dispatcher dispatcher;

    String key;
    Model model;
    final List<FakeWorker> workers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        Tenant tenant = fixtures.tenant();
        key = fixtures.key(tenant);
        model = fixtures.model("PUBLIC", null);
    }

    @AfterEach
    void tearDown() {
        workers.forEach(FakeWorker::close);
    }

    private FakeWorker worker() throws Exception {
        FakeWorker worker = FakeWorker.start()
                .hold(model.name(), 1, model.file()).join();
        workers.add(worker);
        return worker;
    }

    private Response infer() {
        return given().header("Authorization", "Bearer " + key).contentType("application/json").body(BODY)
                .post("/v2/models/" + model.name() + "/infer");
    }

    @Test
    void refusedConnectionIsRetriedOnAnotherWorker() throws Exception {
        FakeWorker refusing = worker();
        FakeWorker healthy = worker();
        refusing.stopServing();
        // Ties are broken at random, so call until the refusing worker was tried first once; each call must succeed.
        for (int i = 0; i < 30 && !dispatcher.isEjected(refusing.id()); i++) {
            infer().then().statusCode(200);
        }
        assertThat("the refusing worker was never tried", dispatcher.isEjected(refusing.id()), equalTo(true));
        List<Object> servedBy = usage.ofKey(key).stream().map(row -> row.get("worker_id")).toList();
        assertThat(servedBy, everyItem(equalTo(healthy.id())));
        assertThat(healthy.inferCalls(), equalTo(servedBy.size()));
    }

    @Test
    void refusedConnectionWithoutAlternativeIs503() throws Exception {
        FakeWorker refusing = worker();
        refusing.stopServing();
        infer().then().statusCode(503).header("Retry-After", "1").body("error", containsString("could be reached"));
        usage.ofKey(key).get(0).status(503).billable(false).errorCode("worker_unreachable").worker(refusing.id());
    }

    @Test
    void workerThatLostTheVersionIsSkipped() throws Exception {
        FakeWorker stale = FakeWorker.start()
                .pretend(model.name(), 1).join();
        workers.add(stale);
        // alone, it cannot serve: the client hears "not ready, retry", never the worker's 404
        infer().then().statusCode(503).header("Retry-After", "1").body("error", containsString("not ready"));
        usage.ofKey(key).get(0).status(503).billable(false).errorCode("no_worker");
        FakeWorker healthy = worker();
        for (int i = 0; i < 10; i++) {
            infer().then().statusCode(200);
        }
        assertThat(healthy.inferCalls(), equalTo(10));
    }

    @Test
    void stalledWorkerAnswers504AfterTheTimeout() throws Exception {
        FakeWorker stalled = worker();
        stalled.stall(Duration.ofSeconds(5));
        Duration timeout = ConfigProvider.getConfig().getValue("aiaas.dispatch.worker-timeout", Duration.class);
        long started = System.nanoTime();
        infer().then().statusCode(504).body("error", containsString("did not answer"));
        assertThat(System.nanoTime() - started, lessThan(timeout.toNanos() + 2_000_000_000L));
        usage.ofKey(key).get(0).status(504).billable(false).errorCode("worker_timeout").worker(stalled.id());
    }

    @Test
    void fiftyConcurrentCallsWriteExactlyFiftyRows() throws Exception {
        worker();
        worker();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://localhost:" + RestAssured.port + "/v2/models/" + model.name() + "/infer");
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key)
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> requestIds = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get();
            assertThat(response.body(), response.statusCode(), equalTo(200));
            requestIds.add(response.headers().firstValue("x-request-id").orElseThrow());
        }
        assertThat(requestIds, hasSize(50));
        List<UsageRows.Row> rows = usage.ofKey(key);
        assertThat(rows, hasSize(50));
        Set<String> metered = new HashSet<>();
        rows.forEach(row -> metered.add(row.requestId().toString()));
        assertThat(metered, equalTo(requestIds));
        rows.forEach(row -> row.status(200).billable(true).endpoint("infer"));
    }

    @Test
    void busyWorkerMovesTheCallToAnother() throws Exception {
        FakeWorker busy = worker().answer(503, "{\"error\": \"its queue is full: 64 requests are waiting\"}",
                Map.of("retry-after", "3"));
        FakeWorker healthy = worker();
        // ties go to a random worker: call until the busy one was tried first a few times; every call must succeed
        for (int i = 0; i < 40 && busy.inferCalls() < 3; i++) {
            infer().then().statusCode(200);
        }
        assertThat("the busy worker was never tried", busy.inferCalls(), greaterThanOrEqualTo(3));
        List<UsageRows.Row> rows = usage.ofKey(key);
        assertThat(healthy.inferCalls(), equalTo(rows.size()));
        rows.forEach(row -> row.status(200).billable(true).worker(healthy.id()));
    }

    @Test
    void busyOnEveryWorkerIs503WithTheWorkersRetryAfter() throws Exception {
        worker().answer(503, "{\"error\": \"its queue is full: 64 requests are waiting\"}",
                Map.of("retry-after", "3"));
        infer().then().statusCode(503).header("Retry-After", "3")
                .body("error", containsString("busy"))
                .body("error", containsString("its queue is full"));
        usage.ofKey(key).get(0).status(503).billable(false).errorCode("worker_busy");
    }

    /** Sends an infer call over a plain socket, so that the test decides when the client's connection closes. */
    private void sendInfer(java.net.Socket socket) throws java.io.IOException {
        byte[] body = BODY.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        socket.getOutputStream().write(("POST /v2/models/" + model.name() + "/infer HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + key + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        socket.getOutputStream().write(body);
        socket.getOutputStream().flush();
    }

    /** The classes a call passes through on its way to a worker (not the routing table's periodic reload). */
    private static final Set<String> CALL_PATH = Set.of("io.aiaas.platform.gateway.InferenceResource",
            "io.aiaas.platform.gateway.GatewayService", Dispatcher.class.getName(), WorkerClient.class.getName());

    /** The threads (other than this one) with a frame of the call path on their stack now. */
    private static Map<Thread, StackTraceElement[]> inCallPath() {
        Map<Thread, StackTraceElement[]> found = new java.util.HashMap<>();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread != Thread.currentThread() && Arrays.stream(stack).anyMatch(frame ->
                    CALL_PATH.contains(frame.getClassName()))) {
                found.put(thread, stack);
            }
        });
        return found;
    }

    /**
     * The gateway holds no thread while a worker computes: with calls held at the workers, no thread of the
     * platform is inside the gateway or the dispatcher (a blocking client would park one per call there).
     */
    @Test
    void noThreadWaitsForTheWorker() throws Exception {
        worker();
        infer().then().statusCode(200); // caches warm, connections open
        int calls = 16;
        FakeWorker.Gate gate = new FakeWorker.Gate(calls, Duration.ofMillis(900));
        workers.get(0).gate(gate);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://localhost:" + RestAssured.port + "/v2/models/" + model.name() + "/infer");
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            sent.add(http.sendAsync(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + key)
                    .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<String> waiting = new ArrayList<>();
        try {
            assertThat("all calls reached the worker", gate.awaitArrivals(Duration.ofSeconds(5)), equalTo(true));
            // A thread that waits for the worker is inside the call path at both looks, 200 ms apart (the gate
            // holds the calls for 900 ms); an event loop caught writing some other request at one look is not.
            Map<Thread, StackTraceElement[]> first = inCallPath();
            Thread.sleep(200);
            inCallPath().forEach((thread, stack) -> {
                if (first.containsKey(thread)) {
                    waiting.add(thread.getName() + " " + Arrays.toString(stack));
                }
            });
        } finally {
            gate.release();
        }
        for (CompletableFuture<HttpResponse<String>> call : sent) {
            HttpResponse<String> response = call.get();
            assertThat(response.body(), response.statusCode(), equalTo(200));
        }
        assertThat("threads in the gateway while the worker held " + calls + " calls", waiting, equalTo(List.of()));
        assertThat(usage.ofKey(key), hasSize(calls + 1));
    }

    @Test
    void clientThatGivesUpAbandonsTheWorkerCall() throws Exception {
        FakeWorker slow = worker();
        infer().then().statusCode(200);
        slow.stall(Duration.ofMillis(900));
        try (java.net.Socket socket = new java.net.Socket("localhost", RestAssured.port)) {
            sendInfer(socket);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (slow.inferCalls() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat("the call reached the worker", slow.inferCalls(), equalTo(2));
        } // the client gives up while the worker still computes
        long closed = System.nanoTime();
        long deadline = closed + 5_000_000_000L;
        while (usage.ofKey(key).size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long recordedAfterMillis = (System.nanoTime() - closed) / 1_000_000;
        UsageRows.Row row = usage.ofKey(key).stream().filter(r -> ((Number) r.get("status_code")).intValue() != 200)
                .findFirst().orElseThrow(() -> new AssertionError("no row for the abandoned call"));
        row.status(499).billable(false).errorCode("client_gone").worker(slow.id());
        assertThat("recorded before the worker's answer would have come", recordedAfterMillis, lessThan(800L));
        assertThat(dispatcher.inFlight(slow.id()), equalTo(0));
        assertThat("the worker is not blamed for it", dispatcher.isEjected(slow.id()), equalTo(false));
        assertThat("no other worker was tried", slow.inferCalls(), equalTo(2));
    }

    /**
     * A client connection that closes after its call was answered leaves the next call alone, even when that call
     * now uses the same pooled connection to the worker (a reset of the finished exchange used to close it).
     */
    @Test
    void clientLeavingAfterItsAnswerDoesNotBreakTheNextCall() throws Exception {
        FakeWorker slow = worker();
        try (java.net.Socket socket = new java.net.Socket("localhost", RestAssured.port)) {
            sendInfer(socket);
            java.io.BufferedReader answer = new java.io.BufferedReader(new java.io.InputStreamReader(
                    socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(answer.readLine(), containsString(" 200 "));
            slow.stall(Duration.ofMillis(600));
            CompletableFuture<Response> next = CompletableFuture.supplyAsync(this::infer);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (slow.inferCalls() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat("the next call reached the worker", slow.inferCalls(), equalTo(2));
            socket.close(); // the first client leaves while the next call is at the worker
            next.get().then().statusCode(200);
        }
        assertThat(usage.ofKey(key), hasSize(2));
        usage.ofKey(key).forEach(row -> row.status(200).billable(true));
    }
}
