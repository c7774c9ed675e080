package io.aiaas.worker.metrics;

import io.aiaas.onnx.builder.TestModels;
import io.aiaas.worker.inference.InferenceService;
import io.aiaas.worker.inference.ModelQueue;
import io.aiaas.worker.model.ModelKey;
import io.aiaas.worker.support.BatchModels;
import io.aiaas.worker.support.Scrape;
import io.aiaas.worker.support.Worker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request-path meters at /q/metrics after a known load: names, tags and exact values. */
@QuarkusTest
class WorkerMetricsTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Inject
    InferenceService inference;

    static Scrape scrape() {
        // no token: Prometheus scrapes like a probe
        String text = RestAssured.given().accept("text/plain; version=0.0.4").get("/q/metrics").then().statusCode(200)
                .contentType(containsString("text/plain")).extract().asString();
        return Scrape.parse(text);
    }

    private static Response infer(String model, String body) {
        return Worker.authorized().contentType(ContentType.JSON).body(body).post("/v2/models/{m}/infer", model);
    }

    @Test
    void metricsNeedNoTokenWhileTheProtocolStillDoes() {
        RestAssured.given().get("/q/metrics").then().statusCode(200)
                .contentType(containsString("application/openmetrics-text"))
                .body(containsString("# TYPE jvm_memory_used_bytes gauge"));
        RestAssured.given().get("/v2/models/linear").then().statusCode(401);
        RestAssured.given().get("/q/metrics/anything").then().statusCode(401);
        RestAssured.given().get("/q/metricsx").then().statusCode(401);
    }

    @Test
    void successesItemsExecutionsAndRejectionsAreCountedPerVersion() {
        Worker.load("metered_linear", 1, TestModels.linear().onnx());
        long computeMicros = 0;
        for (int i = 0; i < 5; i++) {
            Response ok = infer("metered_linear", "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2,3],"
                    + "\"data\":[1,0," + i + ",0.5,0.5,0.5]}]}");
            ok.then().statusCode(200).header("x-aiaas-items", "2");
            computeMicros += Long.parseLong(ok.header("x-aiaas-compute-us"));
        }
        // an input the model does not have, and data that does not fit the shape
        infer("metered_linear", "{\"inputs\":[{\"name\":\"nope\",\"datatype\":\"FP32\",\"shape\":[1,3],"
                + "\"data\":[1,2,3]}]}").then().statusCode(400);
        infer("metered_linear", "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3],"
                + "\"data\":[1,2]}]}").then().statusCode(400);

        Scrape s = scrape();
        String[] version = {"model", "metered_linear", "version", "1"};
        assertEquals(5, s.value("aiaas_inference_request_success_total", tags(version, "device", "cpu")), s.text());
        assertEquals(10, s.value("aiaas_inference_count_total", tags(version, "device", "cpu")));
        assertEquals(5, s.value("aiaas_inference_exec_count_total", tags(version, "device", "cpu")));
        assertEquals(2, s.value("aiaas_inference_request_failure_total", tags(version, "reason", "rejected")));
        assertEquals(1, s.find("aiaas_inference_request_failure_total", version).size(), "no other reason");
        assertEquals(computeMicros, s.value("aiaas_inference_compute_infer_duration_us_total", version),
                "the sum of the answers' x-aiaas-compute-us");
        assertEquals(0, s.value("aiaas_inference_queue_duration_us_total", version), "unbatched calls never wait");
        assertEquals(0, s.value("aiaas_inference_pending_request_count", version));
        assertEquals(1, s.find("aiaas_inference_pending_request_count", version).size(), "the gauge is published");
    }

    /**
     * Loop steps of call A, which holds the only batcher while B waits and C is refused: about 6 s on an idle core
     * (some 250 steps per ms), so that B is still queued when the test looks, however fast the machine.
     */
    private static final long A_STEPS = 1_500_000;

    @Test
    void aFullQueueIsCountedAndAWaitingCallIsPending() throws Exception {
        Worker.load("batch_slow", 1, BatchModels.slowCounter());
        String[] version = {"model", "batch_slow", "version", "1"};
        Scrape before = scrape();
        long runsBefore = queue("batch_slow").map(ModelQueue::executions).orElse(0L);

        // A holds the only batcher, B waits (capacity 1), C is refused at once
        CompletableFuture<HttpResponse<String>> a = HTTP.sendAsync(slow(A_STEPS, 0f), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> queue("batch_slow").map(q -> q.executions() > runsBefore)
                .orElse(false));
        long bQueued = System.nanoTime();
        CompletableFuture<HttpResponse<String>> b = HTTP.sendAsync(slow(1, 100f), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> queue("batch_slow").orElseThrow().waiting() == 1);
        Scrape during = scrape();
        HttpResponse<String> c = HTTP.send(slow(1, 5f), HttpResponse.BodyHandlers.ofString());
        assertEquals(503, c.statusCode(), c.body());
        boolean aStillRan = !a.isDone();
        assertEquals(200, a.get(180, TimeUnit.SECONDS).statusCode());
        assertEquals(200, b.get(60, TimeUnit.SECONDS).statusCode());
        long bWaitedMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - bQueued);
        Scrape after = scrape();

        assertTrue(aStillRan, "A held the batcher while C was refused");
        assertEquals(1, during.value("aiaas_inference_pending_request_count", version), "B waits");
        assertEquals(0, after.value("aiaas_inference_pending_request_count", version));
        assertEquals(1, delta(before, after, "aiaas_inference_request_failure_total", tags(version, "reason",
                "queue_full")));
        assertEquals(2, delta(before, after, "aiaas_inference_request_success_total", tags(version, "device", "cpu")));
        assertEquals(2, delta(before, after, "aiaas_inference_exec_count_total", tags(version, "device", "cpu")));
        double queued = delta(before, after, "aiaas_inference_queue_duration_us_total", version);
        assertTrue(queued > 0 && queued <= bWaitedMicros, "B's wait behind A: " + queued + " us of at most "
                + bWaitedMicros);
    }

    @Test
    void aBatchIsOneExecution() throws Exception {
        Worker.load("batch_gather", 1, BatchModels.gather());
        String[] version = {"model", "batch_gather", "version", "1"};
        Scrape before = scrape();
        long runsBefore = queue("batch_gather").map(ModelQueue::executions).orElse(0L);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(HTTP.sendAsync(call("batch_gather", "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\","
                    + "\"shape\":[1,4],\"data\":[1,2,3,4]},{\"name\":\"idx\",\"datatype\":\"INT64\",\"shape\":[1,1],"
                    + "\"data\":[" + (i % 4) + "]}]}"), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            assertEquals(200, call.get(30, TimeUnit.SECONDS).statusCode());
        }
        Scrape after = scrape();
        long runs = queue("batch_gather").orElseThrow().executions() - runsBefore;
        assertEquals(6, delta(before, after, "aiaas_inference_request_success_total", tags(version, "device", "cpu")));
        assertEquals(runs, delta(before, after, "aiaas_inference_exec_count_total", tags(version, "device", "cpu")),
                "one per run of the model");
        System.out.printf("6 calls of batch_gather ran in %d execution(s)%n", runs);
        assertTrue(runs < 6, "6 calls sent at once within the 20 ms delay share runs: " + runs);
    }

    private java.util.Optional<ModelQueue> queue(String model) {
        return inference.queue(new ModelKey(model, 1));
    }

    private static String[] tags(String[] version, String... more) {
        String[] all = new String[version.length + more.length];
        System.arraycopy(version, 0, all, 0, version.length);
        System.arraycopy(more, 0, all, version.length, more.length);
        return all;
    }

    private static double delta(Scrape before, Scrape after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }

    private static HttpRequest slow(long steps, float state) {
        return call("batch_slow", "{\"inputs\":[{\"name\":\"steps\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":["
                + steps + "]},{\"name\":\"state\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[" + state + "]}]}");
    }

    private static HttpRequest call(String model, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + "/v2/models/" + model
                        + "/versions/1/infer"))
                .header("Authorization", "Bearer " + Worker.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
