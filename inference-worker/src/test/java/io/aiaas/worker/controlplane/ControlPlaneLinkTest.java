package io.aiaas.worker.controlplane;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.onnx.builder.RealModels;
import io.aiaas.onnx.builder.TestModels;
import io.aiaas.worker.support.FakeControlPlane;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.aiaas.worker.support.Worker.authorized;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@TestProfile(ControlPlaneLinkTest.LinkEnabled.class)
class ControlPlaneLinkTest {

    /** Turns the link on, pointed at the fake control plane. */
    public static class LinkEnabled implements QuarkusTestProfile {
        private static final String IDENTITY_DIR = "target/worker-identity/link-" + java.util.UUID.randomUUID();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "aiaas.worker.control-plane.enabled", "true",
                    "aiaas.worker.control-plane.url", "http://127.0.0.1:" + FakeControlPlane.linkPort(),
                    "aiaas.worker.control-plane.max-retry-interval", "PT0.5S",
                    "aiaas.worker.name", "link-test-worker",
                    // its own identity, enrolled with the linked fake control plane
                    "aiaas.worker.identity-dir", IDENTITY_DIR);
        }
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
    void registersHeartbeatsAndFollowsTheDesiredList() {
        FakeControlPlane cp = FakeControlPlane.linked();
        await().atMost(Duration.ofSeconds(10)).until(() -> !cp.registrations().isEmpty() && !cp.heartbeats().isEmpty());
        JsonNode registration = cp.registrations().get(0);
        assertEquals("link-test-worker", registration.path("name").asText());
        assertTrue(registration.path("url").asText().matches("http://127\\.0\\.0\\.1:\\d+"), registration.toString());
        assertTrue(registration.path("url").asText().endsWith(":" + io.restassured.RestAssured.port), registration.toString());
        assertTrue(registration.path("device").asText().matches("cpu|cuda"));
        assertEquals(0, cp.heartbeats().get(0).path("outstanding").asInt());

        cp.publish("desired", 1, TestModels.linear().onnx());
        cp.desire("desired", 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> reported("desired", 1, "READY"));
        authorized().get("/v2/models/desired/versions/1/ready").then().statusCode(200).body("ready", equalTo(true));

        cp.undesire("desired", 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !reported("desired", 1, "READY")
                && authorized().get("/v2/models/desired").statusCode() == 404);
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
