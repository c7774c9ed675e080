package io.aiaas.worker.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.onnx.builder.RealModels;
import io.aiaas.onnx.builder.TestModels;
import io.aiaas.engine.OnnxEngine;
import io.aiaas.worker.inference.InferenceService;
import io.aiaas.worker.lifecycle.WorkerDrain;
import io.aiaas.worker.lifecycle.WorkerLifecycle;
import io.aiaas.worker.support.BatchModels;
import io.aiaas.worker.support.FakeControlPlane;
import io.aiaas.worker.support.Worker;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.aiaas.worker.support.Worker.authorized;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@TestProfile(ControlPlaneLinkTest.LinkEnabled.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlPlaneLinkTest {

    static final long HOST_BUDGET = 1L << 30;

    /**
     * Turns the link on, pointed at the fake control plane; a 1 GiB host budget; and device=cuda with the CPU fallback
     * allowed, which on these CPU-only machines runs on CPU and says so.
     */
    public static class LinkEnabled implements QuarkusTestProfile {
        private static final String IDENTITY_DIR = "target/worker-identity/link-" + java.util.UUID.randomUUID();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "aiaas.worker.control-plane.enabled", "true",
                    "aiaas.worker.control-plane.url", "http://127.0.0.1:" + FakeControlPlane.linkPort(),
                    "aiaas.worker.control-plane.max-retry-interval", "PT0.5S",
                    "aiaas.worker.name", "link-test-worker",
                    "aiaas.worker.device", "cuda",
                    "aiaas.worker.cuda.allow-cpu-fallback", "true",
                    "aiaas.worker.memory.host-budget-bytes", Long.toString(HOST_BUDGET),
                    // its own identity, enrolled with the linked fake control plane
                    "aiaas.worker.identity-dir", IDENTITY_DIR);
        }
    }

    @Inject
    OnnxEngine engine;
    @Inject
    WorkerLifecycle lifecycle;
    @Inject
    WorkerDrain drain;
    @Inject
    InferenceService inference;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The inference-worker readiness check's JSON from /q/health/ready, with its HTTP status. */
    private static Response readiness() {
        return RestAssured.given().get("/q/health/ready");
    }

    @Test
    @Order(1)
    void notReadyUntilRegisteredAndThePlacedVersionsAreSettled() {
        // Nothing answers on the control plane's port yet: not registered.
        readiness().then().statusCode(503)
                .body("checks.find { it.name == 'inference-worker' }.data.reason",
                        equalTo("not registered with the control plane"));
        RestAssured.given().get("/v2/health/ready").then().statusCode(503).body("ready", equalTo(false));

        // The control plane comes up with a version placed here whose download takes a while.
        byte[] onnx = TestModels.linear().onnx();
        FakeControlPlane cp = FakeControlPlane.linked(c -> {
            c.publish("settle", 1, onnx);
            c.delay("settle", 1, 2500);
            c.desire("settle", 1);
        });
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> !cp.heartbeats().isEmpty());
            readiness().then().statusCode(503)
                    .body("checks.find { it.name == 'inference-worker' }.data.reason",
                            equalTo("loading the model versions placed on it"));
            await().atMost(Duration.ofSeconds(20)).until(() -> readiness().statusCode() == 200);
            assertTrue(reported("settle", 1, "READY"));
            RestAssured.given().get("/v2/health/ready").then().statusCode(200).body("ready", equalTo(true));
        } finally {
            cp.undesire("settle", 1);
        }
        // Ready stays true while later placements load, and after this one is unloaded.
        await().atMost(Duration.ofSeconds(10)).until(() -> placement("settle", 1).isMissingNode());
        readiness().then().statusCode(200);
    }

    private static boolean reported(String model, int version, String state) {
        List<JsonNode> beats = FakeControlPlane.linked().heartbeats();
        if (beats.isEmpty()) {
            return false;
        }
        for (JsonNode p : beats.get(beats.size() - 1).path("placements")) {
            if (p.path("model").asText().equals(model) && p.path("version").asInt() == version
                    && p.path("state").asText().equals(state)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void registersHeartbeatsAndFollowsTheDesiredList() throws Exception {
        FakeControlPlane cp = FakeControlPlane.linked();
        await().atMost(Duration.ofSeconds(10)).until(() -> !cp.registrations().isEmpty() && !cp.heartbeats().isEmpty());
        JsonNode registration = cp.registrations().get(0);
        assertEquals("link-test-worker", registration.path("name").asText());
        assertTrue(registration.path("url").asText().matches("http://127\\.0\\.0\\.1:\\d+"), registration.toString());
        assertTrue(registration.path("url").asText().endsWith(":" + io.restassured.RestAssured.port), registration.toString());
        assertEquals(engine.defaultDevice(), registration.path("device").asText());
        assertEquals(HOST_BUDGET, registration.path("memory").path("host_bytes").asLong(), registration.toString());
        assertEquals(0, registration.path("memory").path("device_bytes").asLong(), registration.toString());
        assertEquals(0, cp.heartbeats().get(0).path("outstanding").asInt());
        assertEquals(false, cp.heartbeats().get(cp.heartbeats().size() - 1).path("draining").asBoolean(true));

        cp.publish("desired", 1, TestModels.linear().onnx());
        cp.desire("desired", 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> reported("desired", 1, "READY"));
        authorized().get("/v2/models/desired/versions/1/ready").then().statusCode(200).body("ready", equalTo(true));
        assertTrue(placement("desired", 1).path("memory_bytes").asLong() > 0, placement("desired", 1).toString());
        // the file it holds, so that the control plane never takes another file of the same name and number for it
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(TestModels.linear().onnx())), placement("desired", 1).path("sha256").asText());

        cp.undesire("desired", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !reported("desired", 1, "READY")
                && authorized().get("/v2/models/desired").statusCode() == 404);
        String metrics = authorized().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("aiaas_model_unload_total{model=\"desired\",reason=\"undesired\",version=\"1\"} 1.0"),
                metrics);
        assertTrue(metrics.contains("aiaas_model_load_total{model=\"desired\",outcome=\"success\",version=\"1\"} 1.0"),
                metrics);
        assertTrue(metrics.contains("aiaas_worker_memory_budget_bytes{kind=\"host\"} 1.073741824E9"), metrics);
    }

    @Test
    void cudaWithTheCpuFallbackAllowedAnswersOnCpuAndSaysSo() {
        org.junit.jupiter.api.Assumptions.assumeTrue(engine.fallbackReason() != null,
                "CUDA works here: the fallback is not taken");
        FakeControlPlane cp = FakeControlPlane.linked();
        cp.publish("fallback", 1, TestModels.linear().onnx());
        cp.desire("fallback", 1);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> reported("fallback", 1, "READY"));
            authorized().contentType(ContentType.JSON)
                    .body("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[1,2,3]}]}")
                    .post("/v2/models/fallback/versions/1/infer")
                    .then().statusCode(200).header("x-aiaas-device", "cpu");
            assertEquals("cpu", cp.registrations().get(cp.registrations().size() - 1).path("device").asText());
            readiness().then().body("checks.find { it.name == 'inference-worker' }.data.cuda_fallback",
                    startsWith("this ONNX Runtime build has no CUDA execution provider"));
            String metrics = authorized().get("/q/metrics").then().extract().asString();
            assertTrue(metrics.contains("aiaas_worker_device_fallback_total{asked=\"cuda\",used=\"cpu\"} 1.0"), metrics);
        } finally {
            cp.undesire("fallback", 1);
        }
    }

    private static HttpRequest slowCall(long steps) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port
                        + "/v2/models/drain_slow/versions/1/infer"))
                .header("Authorization", "Bearer " + Worker.token())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[{\"name\":\"steps\",\"datatype\":\"INT64\","
                        + "\"shape\":[1],\"data\":[" + steps + "]},{\"name\":\"state\",\"datatype\":\"FP32\","
                        + "\"shape\":[1],\"data\":[0]}]}"))
                .build();
    }

    /** What a drain test does while a slow call runs on the worker (the call's answer, still to come). */
    interface WithSlowCall {
        void run(FakeControlPlane cp, CompletableFuture<HttpResponse<String>> slow) throws Exception;
    }

    /**
     * Places the slow model, starts one call of about a second and runs the test while it is in flight; afterwards
     * the worker takes calls again and is registered anew, for the tests after it.
     */
    private void withSlowCallInFlight(WithSlowCall test) throws Exception {
        FakeControlPlane cp = FakeControlPlane.linked();
        cp.publish("drain_slow", 1, BatchModels.slowCounter());
        cp.desire("drain_slow", 1);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> reported("drain_slow", 1, "READY"));
            CompletableFuture<HttpResponse<String>> slow = HTTP.sendAsync(slowCall(1_000_000L),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10)).until(() -> inference.outstanding() >= 1);
            test.run(cp, slow);
        } finally {
            int registrations = cp.registrations().size();
            drain.resume();
            await().atMost(Duration.ofSeconds(10)).until(() -> cp.registrations().size() > registrations
                    && readiness().statusCode() == 200);
            cp.undesire("drain_slow", 1);
        }
    }

    @Test
    @Order(100)
    void drainRefusesNewCallsFinishesTheOnesInFlightAndDeregisters() throws Exception {
        withSlowCallInFlight((cp, slow) -> {
            String workerId = cp.workerId();
            CompletableFuture<WorkerDrain.Outcome> drained = CompletableFuture.supplyAsync(drain::drain);
            await().atMost(Duration.ofSeconds(5)).until(lifecycle::draining);

            HttpResponse<String> refused = HTTP.send(slowCall(1), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElse(null));
            assertEquals("true", refused.headers().firstValue("x-aiaas-draining").orElse(null));
            assertEquals("{\"error\":\"worker link-test-worker is draining (shutting down) and takes no new calls; "
                    + "send the call to another worker\"}", refused.body());
            readiness().then().statusCode(503).body("checks.find { it.name == 'inference-worker' }.data.reason",
                    equalTo("draining: the worker is shutting down"));
            RestAssured.given().get("/v2/health/ready").then().statusCode(503);

            HttpResponse<String> finished = slow.get(30, TimeUnit.SECONDS);
            assertEquals(200, finished.statusCode(), finished.body());
            assertTrue(finished.body().contains("\"data\":[1000000.0]"), finished.body());
            WorkerDrain.Outcome outcome = drained.get(30, TimeUnit.SECONDS);
            assertEquals(0, outcome.unfinished());
            assertTrue(outcome.deregistered());
            assertEquals(List.of(workerId), cp.deregistrations());
            assertTrue(cp.heartbeats().get(cp.heartbeats().size() - 1).path("draining").asBoolean(),
                    "the last heartbeat said the worker drains");
        });
    }

    /**
     * SIGTERM drains first and only then starts the JVM's shutdown (the handler it replaced), whose hooks include ONNX
     * Runtime's, which releases the native environment: a call in flight must be answered before that.
     */
    @Test
    @Order(101)
    void aSignalDrainsTheCallsInFlightBeforeTheShutdownStarts() throws Exception {
        withSlowCallInFlight((cp, slow) -> {
            List<String> seenByShutdown = new java.util.concurrent.CopyOnWriteArrayList<>();
            // the answer may still be on its way out (Quarkus' own shutdown waits for open requests); the inference
            // must be over
            sun.misc.SignalHandler shutdown = signal -> seenByShutdown.add("outstanding=" + inference.outstanding());
            CompletableFuture.runAsync(() -> drain.onSignal(new sun.misc.Signal("TERM"), shutdown))
                    .get(30, TimeUnit.SECONDS);
            assertEquals(List.of("outstanding=0"), seenByShutdown);
            HttpResponse<String> finished = slow.get(5, TimeUnit.SECONDS);
            assertEquals(200, finished.statusCode(), finished.body());
        });
    }

    /** The last heartbeat's placement of model/version; a missing node when it is not reported. */
    private static JsonNode placement(String model, int version) {
        List<JsonNode> beats = FakeControlPlane.linked().heartbeats();
        if (!beats.isEmpty()) {
            for (JsonNode p : beats.get(beats.size() - 1).path("placements")) {
                if (p.path("model").asText().equals(model) && p.path("version").asInt() == version) {
                    return p;
                }
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    @Test
    void desiredVersionsWarmUpWithTheirExampleOrReportTheSkippedWarmUpAndNeverFetchFromTheAnswersUrl() {
        FakeControlPlane cp = FakeControlPlane.linked();
        RealModels.Pattern embedding = RealModels.vocabularyEmbedding();
        cp.publish("embed", 1, embedding.onnx());
        cp.publish("embed", 2, embedding.onnx());
        cp.publish("embed", 3, embedding.onnx());
        try {
            // no example: zeros are refused (token id 0 is padding), READY all the same with the reason
            cp.desire("embed", 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> reported("embed", 1, "READY"));
            assertTrue(placement("embed", 1).path("reason").asText().startsWith("warm-up skipped: zero-filled inputs "
                    + "failed: node 'gather_1' (Gather): indices element out of data bounds"), placement("embed", 1).toString());

            // the admin's example warms it up
            cp.desire("embed", 2, embedding.exampleRequest());
            await().atMost(Duration.ofSeconds(20)).until(() -> reported("embed", 2, "READY"));
            assertTrue(placement("embed", 2).path("reason").isNull(), placement("embed", 2).toString());
            authorized().get("/v2/repository/index").then()
                    .body("find { it.name == 'embed' && it.version == 2 }.warmup.status", equalTo("example"));

            // an example that fails here is FAILED with the clean reason, and not tried again and again
            cp.desire("embed", 3, embedding.rejectedRequest());
            await().atMost(Duration.ofSeconds(20)).until(() -> reported("embed", 3, "FAILED"));
            assertTrue(placement("embed", 3).path("reason").asText().startsWith("the example request failed: node "
                    + "'gather_1' (Gather)"), placement("embed", 3).toString());
            int beats = cp.heartbeats().size();
            await().atMost(Duration.ofSeconds(10)).until(() -> cp.heartbeats().size() > beats + 3);
            assertEquals(1, cp.artifactRequests().stream().filter("embed/3"::equals).count());

            // every artifact_url in those answers pointed at another server: it was never called
            assertEquals(List.of(), FakeControlPlane.decoy().requests());
        } finally {
            cp.undesire("embed", 1);
            cp.undesire("embed", 2);
            cp.undesire("embed", 3);
        }
    }

    @Test
    void registersAgainWhenTheControlPlaneForgetsTheWorker() {
        FakeControlPlane cp = FakeControlPlane.linked();
        await().atMost(Duration.ofSeconds(10)).until(() -> !cp.registrations().isEmpty());
        int before = cp.registrations().size();
        cp.forgetWorker();
        await().atMost(Duration.ofSeconds(10)).until(() -> cp.registrations().size() > before);
        int beats = cp.heartbeats().size();
        await().atMost(Duration.ofSeconds(10)).until(() -> cp.heartbeats().size() > beats);
    }

    @Test
    void failedLoadIsReportedWithItsReason() {
        FakeControlPlane cp = FakeControlPlane.linked();
        cp.publish("broken", 1, "not a model".getBytes());
        cp.desire("broken", 1);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> reported("broken", 1, "FAILED"));
            JsonNode last = cp.heartbeats().get(cp.heartbeats().size() - 1);
            for (JsonNode p : last.path("placements")) {
                if (p.path("model").asText().equals("broken")) {
                    assertTrue(p.path("reason").asText().contains("cannot be loaded"), p.toString());
                }
            }
        } finally {
            cp.undesire("broken", 1);
        }
    }
}
