package io.aiaas.platform.worker;

import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.FakeWorker;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.internalauth.Audiences;
import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.Issuers;
import io.aiaas.internalauth.SigningKey;
import io.aiaas.platform.testsupport.EnrolledWorker;
import io.aiaas.platform.testsupport.Fixtures.Model;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The internal worker API: JWT required, registration, heartbeats, placements, DOWN marking, artifacts. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class WorkerRegistryTest {

    @Inject
    Fixtures fixtures;

    @Inject
    TestDb db;

    final InternalTokens tokens = new InternalTokens();
    /** The worker identity this test's calls come from (its row id once registered). */
    EnrolledWorker identity;

    @BeforeEach
    void setUp() {
        identity = EnrolledWorker.enrol();
    }

    private static String uniqueUrl() {
        return "http://w-" + UUID.randomUUID().toString().substring(0, 8) + ".invalid:8090";
    }

    private String workerToken() {
        return identity.token();
    }

    private String register(String url) {
        return given().header("Authorization", "Bearer " + workerToken()).contentType("application/json")
                .body(Map.of("name", "w1", "url", url, "device", "cpu"))
                .post("/internal/v1/workers")
                .then().statusCode(200).body("heartbeat_interval_ms", equalTo(2000))
                .extract().path("id");
    }

    private Response heartbeat(String id, List<Map<String, Object>> placements) {
        return given().header("Authorization", "Bearer " + workerToken()).contentType("application/json")
                .body(Map.of("outstanding", 0, "placements", placements))
                .post("/internal/v1/workers/" + id + "/heartbeat");
    }

    private Object placementState(String workerId, Model model) {
        List<Map<String, Object>> rows = db.query(
                "SELECT state FROM placements WHERE worker_id = ? AND model_version_id = ?",
                UUID.fromString(workerId), model.versionId());
        return rows.isEmpty() ? null : rows.get(0).get("state");
    }

    @Test
    void internalApiRejectsCallsWithoutAWorkerToken() {
        Map<String, String> body = Map.of("name", "w", "url", "http://127.0.0.1:1", "device", "cpu");
        given().contentType("application/json").body(body).post("/internal/v1/workers")
                .then().statusCode(401).body("code", equalTo("internal_token_invalid"));
        String wrongAudience = tokens.issue(identity.key(), Issuers.WORKER, UUID.randomUUID().toString(),
                identity.id().toString(), Duration.ofSeconds(30));
        given().header("Authorization", "Bearer " + wrongAudience).contentType("application/json").body(body)
                .post("/internal/v1/workers").then().statusCode(401).body("detail", containsString("audience"));
        String wrongIssuer = tokens.issue(identity.key(), Issuers.PLATFORM, Audiences.CONTROL_PLANE,
                identity.id().toString(), Duration.ofSeconds(30));
        given().header("Authorization", "Bearer " + wrongIssuer).contentType("application/json").body(body)
                .post("/internal/v1/workers").then().statusCode(401).body("detail", containsString("issuer"));
        String otherSecret = tokens.issue(SigningKey.generate(), Issuers.WORKER, Audiences.CONTROL_PLANE,
                identity.id().toString(), Duration.ofSeconds(30));
        given().header("Authorization", "Bearer " + otherSecret).contentType("application/json").body(body)
                .post("/internal/v1/workers").then().statusCode(401);
        given().get("/internal/v1/artifacts/iris/1").then().statusCode(401);
        given().contentType("application/json").body(Map.of("outstanding", 0))
                .post("/internal/v1/workers/" + UUID.randomUUID() + "/heartbeat").then().statusCode(401);
        assertThat(db.query("SELECT id FROM workers WHERE url = 'http://127.0.0.1:1'"), empty());
    }

    @Test
    void heartbeatAnswersDesiredVersionsAndStoresReportedStates() {
        Model model = fixtures.model("PUBLIC", null);
        String url = uniqueUrl();
        String id = register(url);

        Response answer = heartbeat(id, List.of(Map.of("model", model.name(), "version", 1, "state", "LOADING")));
        answer.then().statusCode(200);
        List<Map<String, Object>> desired = answer.jsonPath().getList("desired");
        Map<String, Object> mine = desired.stream().filter(d -> model.name().equals(d.get("model"))).findFirst()
                .orElseThrow();
        assertThat(mine.get("version"), equalTo(1));
        assertThat(mine.get("sha256"), equalTo(model.sha256()));
        assertThat(((Number) mine.get("size_bytes")).longValue(), equalTo(model.size()));
        // workers fetch artifacts only from the control plane they are configured with: no URL is handed out
        assertThat(mine.containsKey("artifact_url"), equalTo(false));
        assertThat(placementState(id, model), equalTo("LOADING"));

        heartbeat(id, List.of(Map.of("model", model.name(), "version", 1, "state", "READY"))).then().statusCode(200);
        assertThat(placementState(id, model), equalTo("READY"));
        heartbeat(id, List.of(Map.of("model", model.name(), "version", 1, "state", "FAILED", "reason", "no memory")))
                .then().statusCode(200);
        assertThat(placementState(id, model), equalTo("FAILED"));

        // a version the worker no longer reports is gone from its placements
        heartbeat(id, List.of()).then().statusCode(200);
        assertThat(placementState(id, model), equalTo(null));
    }

    @Test
    void retiredVersionIsNoLongerDesired() {
        Model model = fixtures.model("PUBLIC", null);
        String id = register(uniqueUrl());
        db.update("UPDATE model_versions SET status = 'RETIRED', retired_at = now() WHERE id = ?",
                model.versionId());
        List<String> names = heartbeat(id, List.of()).then().statusCode(200).extract().jsonPath()
                .getList("desired.model");
        assertThat(names.contains(model.name()), equalTo(false));
    }

    @Test
    void registeringTheSameUrlAgainReusesTheRowAndForgetsPlacements() {
        Model model = fixtures.model("PUBLIC", null);
        String url = uniqueUrl() + "/";
        String first = register(url);
        heartbeat(first, List.of(Map.of("model", model.name(), "version", 1, "state", "READY"))).then().statusCode(200);
        String second = register(url);
        assertThat(second, equalTo(first));
        assertThat(placementState(first, model), equalTo(null));
    }

    @Test
    void heartbeatOfUnknownWorkerIs404AndBadStateIs400() {
        // the caller's own identity, not registered yet (another worker's id is 403: EnrolmentTest)
        heartbeat(identity.id().toString(), List.of()).then().statusCode(404)
                .body("detail", containsString("register again"));
        String id = register(uniqueUrl());
        heartbeat(id, List.of(Map.of("model", "m", "version", 1, "state", "SLEEPING"))).then().statusCode(400);
    }

    @Test
    void silentWorkerIsMarkedDownAndGetsNoTraffic() throws Exception {
        Model model = fixtures.model("PUBLIC", null);
        String key = fixtures.key(fixtures.tenant());
        try (FakeWorker worker = FakeWorker.start("http://localhost:" + RestAssured.port)
                .hold(model.name(), 1, model.file()).join()) {
            String body = "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 3], "
                    + "\"data\": [1, 2, 3]}]}";
            given().header("Authorization", "Bearer " + key).contentType("application/json").body(body)
                    .post("/v2/models/" + model.name() + "/infer").then().statusCode(200);
            worker.stopHeartbeats();
            Duration downAfter = ConfigProvider.getConfig().getValue("aiaas.workers.down-after", Duration.class);
            Awaitility.await().atMost(downAfter.plusSeconds(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> "DOWN".equals(db.queryOne("SELECT status FROM workers WHERE id = ?",
                            worker.id()).get("status")));
            given().header("Authorization", "Bearer " + key).contentType("application/json").body(body)
                    .post("/v2/models/" + model.name() + "/infer").then().statusCode(503);
            // a heartbeat brings it back
            worker.heartbeat();
            given().header("Authorization", "Bearer " + key).contentType("application/json").body(body)
                    .post("/v2/models/" + model.name() + "/infer").then().statusCode(200);
        }
    }

    @Test
    void artifactIsStreamedWithItsSha256() throws Exception {
        Model model = fixtures.model("PUBLIC", null);
        Response response = given().header("Authorization", "Bearer " + workerToken())
                .get("/internal/v1/artifacts/" + model.name() + "/1");
        response.then().statusCode(200).header("x-aiaas-sha256", model.sha256())
                .contentType("application/octet-stream");
        assertThat(Arrays.equals(response.asByteArray(), Files.readAllBytes(model.file())), equalTo(true));
        given().header("Authorization", "Bearer " + workerToken())
                .get("/internal/v1/artifacts/" + model.name() + "/2").then().statusCode(404);
    }

    @Test
    void registeredWorkerAppearsInTheRegistry() {
        String url = uniqueUrl();
        String id = register(url);
        List<Object> ids = db.query("SELECT id FROM workers WHERE status = 'UP'").stream()
                .map(r -> r.get("id")).toList();
        assertThat(ids, hasItem(UUID.fromString(id)));
    }
}
