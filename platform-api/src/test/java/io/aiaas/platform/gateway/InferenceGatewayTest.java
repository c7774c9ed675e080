package io.aiaas.platform.gateway;

import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.FakeWorker;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.UsageRows;
import io.aiaas.platform.testsupport.Fixtures.Model;
import io.aiaas.platform.testsupport.Fixtures.Tenant;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The /v2 gateway end to end: real PostgreSQL, a fake worker running real ONNX Runtime, usage rows checked. */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class InferenceGatewayTest {

    static final float[][] X = {{1f, 2f, 3f}, {-1f, 0.5f, 0.25f}};
    static final String BODY = """
            {"inputs": [{"name": "x", "datatype": "FP32", "shape": [2, 3], "data": [1, 2, 3, -1, 0.5, 0.25]}]}""";

    @Inject
    Fixtures fixtures;

    @Inject
    UsageRows usage;

    @Inject
    TestDb db;

    Tenant tenant;
    String key;
    Model model;
    FakeWorker worker;

    static String platformUrl() {
        return "http://localhost:" + RestAssured.port;
    }

    @BeforeEach
    void setUp() throws Exception {
        tenant = fixtures.tenant();
        key = fixtures.key(tenant);
        model = fixtures.model("PUBLIC", fixtures.tenant());
        worker = FakeWorker.start(platformUrl()).hold(model.name(), 1, model.file()).join();
    }

    @AfterEach
    void tearDown() {
        worker.close();
    }

    private Response infer(String path, String body) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json").body(body)
                .post(path);
    }

    @Test
    void publicModelIsCallableWithRealResultsAndOneUsageRow() {
        Response response = infer("/v2/models/" + model.name() + "/infer", BODY);
        response.then().statusCode(200)
                .header("x-aiaas-device", "cpu")
                .header("x-aiaas-model-version", "1")
                .body("outputs[0].name", equalTo("y"))
                .body("outputs[0].shape", equalTo(List.of(2, 2)));
        float[][] expected = Fixtures.LINEAR.forward(X);
        List<Float> data = response.jsonPath().getList("outputs[0].data", Float.class);
        for (int i = 0; i < 4; i++) {
            assertThat((double) data.get(i), closeTo(expected[i / 2][i % 2], 1e-5));
        }

        UsageRows.Row row = usage.one(response).tenant(tenant.id()).key(fixtures.keyId(key)).has("model_id", model.id())
                .has("model_version_id", model.versionId()).worker(worker.id()).modelName(model.name())
                .modelVersion(1).status(200).billable(true).endpoint("infer").items(2);
        assertThat((Long) row.get("compute_us"), greaterThan(0L));
        assertThat(row.get("bytes_in"), equalTo((long) BODY.getBytes(StandardCharsets.UTF_8).length));
        assertThat(row.get("bytes_out"), equalTo((long) response.asByteArray().length));
        row.has("device", "cpu").errorCode(null);
        java.sql.Timestamp started = (java.sql.Timestamp) row.get("started_at");
        java.sql.Timestamp finished = (java.sql.Timestamp) row.get("finished_at");
        assertThat(finished.before(started), equalTo(false));
        assertThat(System.currentTimeMillis() - started.getTime(), lessThan(60_000L));
    }

    @Test
    void explicitVersionIsCalled() {
        infer("/v2/models/" + model.name() + "/versions/1/infer", BODY).then().statusCode(200)
                .header("x-aiaas-model-version", "1");
    }

    @Test
    void otherTenantsPrivateModelIsNotFoundNeverForbidden() {
        Model secret = fixtures.model("PRIVATE", fixtures.tenant());
        worker.hold(secret.name(), 1, secret.file());
        Response response = infer("/v2/models/" + secret.name() + "/infer", BODY);
        response.then().statusCode(404).body("error", equalTo("model " + secret.name() + " not found"));
        given().header("Authorization", "Bearer " + key).get("/v2/models/" + secret.name())
                .then().statusCode(404).body("error", containsString("not found"));
        usage.one(response).status(404).billable(false).has("model_id", null).errorCode("model_not_found");
        assertThat(worker.inferCalls(), equalTo(0));
    }

    @Test
    void ownPrivateModelIsCallable() throws Exception {
        Model own = fixtures.model("PRIVATE", tenant);
        worker.hold(own.name(), 1, own.file()).heartbeat();
        infer("/v2/models/" + own.name() + "/infer", BODY).then().statusCode(200);
    }

    @Test
    void noReadyWorkerAnswers503WithRetryAfter() {
        Model idle = fixtures.model("PUBLIC", null);
        Response response = infer("/v2/models/" + idle.name() + "/infer", BODY);
        response.then().statusCode(503).header("Retry-After", "1").body("error", containsString("not ready"));
        usage.one(response).status(503).billable(false).errorCode("no_worker")
                .has("model_version_id", idle.versionId());
        given().header("Authorization", "Bearer " + key).get("/v2/models/" + idle.name() + "/ready")
                .then().statusCode(503).header("Retry-After", "1");
    }

    @Test
    void tooLargeBodyIs413BeforeItIsRead() {
        long limit = ConfigProvider.getConfig().getValue("aiaas.gateway.max-request-bytes",
                io.quarkus.runtime.configuration.MemorySize.class).asLongValue();
        String big = "{\"pad\": \"" + "a".repeat((int) limit) + "\"}";
        Response response = infer("/v2/models/" + model.name() + "/infer", big);
        // refused from Content-Length, before the key is looked at: nothing is read, so nothing is metered
        response.then().statusCode(413).body("error", containsString("larger than the limit of " + limit));
        assertThat(usage.ofKey(key), hasSize(0));
        assertThat(worker.inferCalls(), equalTo(0));
    }

    @Test
    void badVersionIs400AndUnknownVersionIs404() {
        infer("/v2/models/" + model.name() + "/versions/abc/infer", BODY).then().statusCode(400)
                .body("error", containsString("positive integer"));
        infer("/v2/models/" + model.name() + "/versions/7/infer", BODY).then().statusCode(404)
                .body("error", containsString("no ready version 7"));
    }

    @Test
    void workerErrorsPassThroughUnbilled() {
        Response response = infer("/v2/models/" + model.name() + "/infer",
                "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 2], \"data\": [1, 2]}]}");
        response.then().statusCode(400).body("error", notNullValue());
        usage.one(response).status(400).billable(false).errorCode("worker_400").worker(worker.id());
    }

    @Test
    void metadataComesFromTheStoredSignature() {
        fixtures.model(model.name(), "PUBLIC", null, 2);
        given().header("Authorization", "Bearer " + key).get("/v2/models/" + model.name())
                .then().statusCode(200)
                .body("name", equalTo(model.name()))
                .body("versions", equalTo(List.of("1", "2")))
                .body("platform", equalTo("onnxruntime_onnx"))
                .body("inputs[0].name", equalTo("x"))
                .body("inputs[0].datatype", equalTo("FP32"))
                .body("inputs[0].shape", equalTo(List.of(-1, 3)))
                .body("outputs[0].name", equalTo("y"));
        given().header("Authorization", "Bearer " + key).get("/v2/models/" + model.name() + "/versions/1/ready")
                .then().statusCode(200).body("ready", equalTo(true));
    }

    @Test
    void healthNeedsNoKey() {
        given().get("/v2/health/live").then().statusCode(200).body("live", equalTo(true));
        given().get("/v2/health/ready").then().statusCode(200).body("ready", equalTo(true));
    }

    @Test
    void clientRequestIdIsNeverReusedSoEachCallHasItsOwnRow() {
        String clientId = UUID.randomUUID().toString();
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ids.add(given().header("Authorization", "Bearer " + key).header("x-request-id", clientId)
                    .contentType("application/json").body(BODY).post("/v2/models/" + model.name() + "/infer")
                    .then().statusCode(200).extract().header("x-request-id"));
        }
        assertThat(ids.get(0), not(equalTo(clientId)));
        assertThat(ids.get(1), not(equalTo(ids.get(0))));
        usage.none(clientId);
        for (String id : ids) {
            usage.one(id).items(2).billable(true).endpoint("infer");
        }
    }

    @Test
    void metadataCallsAreRecordedButNotBillable() {
        String id = given().header("Authorization", "Bearer " + key).get("/v2/models/" + model.name())
                .then().statusCode(200).extract().header("x-request-id");
        usage.one(id).endpoint("metadata").status(200).billable(false);
    }

    @Test
    void callIsRefusedWhenUsageCannotBeRecorded() {
        db.update("ALTER TABLE usage_records RENAME TO usage_records_parked");
        try {
            infer("/v2/models/" + model.name() + "/infer", BODY).then().statusCode(503)
                    .body("error", containsString("could not be metered"));
        } finally {
            db.update("ALTER TABLE usage_records_parked RENAME TO usage_records");
        }
        infer("/v2/models/" + model.name() + "/infer", BODY).then().statusCode(200);
    }
}
