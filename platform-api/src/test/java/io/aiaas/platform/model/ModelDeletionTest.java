package io.aiaas.platform.model;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.onnx.builder.TestModels;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.FakeWorker;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.aiaas.platform.testsupport.UsageRows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Deleting a model as a whole: it leaves the catalogue at once (tenants 404, workers told to unload it), its history
 * stays, and its name serves a new model, never the deleted one's version that a worker may still hold under the same
 * name and number.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ModelDeletionTest {

    static final String BODY = """
            {"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 3], "data": [0.5, -1, 2]}]}""";
    static final float[][] X = {{0.5f, -1f, 2f}};
    /** Another file with the same signature as Fixtures.LINEAR, and other answers. */
    static final TestModels.Linear OTHER = TestModels.linear(new float[][] {{1f, 0f}, {0f, 1f}, {1f, 1f}},
            new float[] {0.5f, -0.5f});

    @Inject
    UsageRows usage;

    @Inject
    TestDb db;

    final String admin = Tokens.admin();

    private void createWithVersion(String name, byte[] onnx) {
        Api.as(admin).body(Map.of("name", name, "visibility", "public")).post("/admin/v1/models").then()
                .statusCode(201);
        given().header("Authorization", Tokens.bearer(admin)).contentType("application/octet-stream").body(onnx)
                .post("/admin/v1/models/" + name + "/versions").then().statusCode(201).body("version", equalTo(1));
    }

    @Test
    void aChangeThatWaitedForTheModelWhileItWasDeletedIsNotFound() throws Exception {
        String name = Api.unique("m");
        Api.as(admin).body(Map.of("name", name, "visibility", "public")).post("/admin/v1/models").then()
                .statusCode(201);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection deleting = db.connection()) {
            deleting.setAutoCommit(false);
            // hold the model's row as a delete in progress does
            try (PreparedStatement lock = deleting.prepareStatement(
                    "SELECT id FROM models WHERE name = ? AND deleted_at IS NULL FOR UPDATE")) {
                lock.setString(1, name);
                lock.executeQuery().close();
            }
            Future<Response> patch = pool.submit(() -> Api.as(admin).body(Map.of("description", "late"))
                    .patch("/admin/v1/models/" + name));
            Thread.sleep(500); // the request has found the model and waits for its lock
            try (PreparedStatement delete = deleting.prepareStatement(
                    "UPDATE models SET deleted_at = now() WHERE name = ? AND deleted_at IS NULL")) {
                delete.setString(1, name);
                delete.executeUpdate();
            }
            deleting.commit();
            patch.get(10, TimeUnit.SECONDS).then().statusCode(404).body("code", equalTo("model_not_found"));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, db.count("SELECT count(*) FROM models WHERE name = ? AND description = 'late'", name));
    }

    private static Response infer(String key, String name) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json").body(BODY)
                .post("/v2/models/" + name + "/infer");
    }

    private static void answersAs(Response response, TestModels.Linear model) {
        response.then().statusCode(200);
        List<Float> data = response.jsonPath().getList("outputs[0].data", Float.class);
        float[] expected = model.forward(X)[0];
        assertThat((double) data.get(0), closeTo(expected[0], 1e-5));
        assertThat((double) data.get(1), closeTo(expected[1], 1e-5));
    }

    private static boolean desires(JsonNode heartbeatAnswer, String name) {
        for (JsonNode desired : heartbeatAnswer.path("desired")) {
            if (name.equals(desired.path("model").asText())) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aDeletedModelLeavesTheCatalogueKeepsItsHistoryAndItsNameServesOnlyTheNewModel() throws Exception {
        String slug = Api.createTenant();
        String name = Api.unique("deleted");
        createWithVersion(name, Fixtures.LINEAR.onnx());
        String key = Api.as(admin).body(Map.of("name", "k")).post("/api/v1/tenants/" + slug + "/keys").then()
                .statusCode(201).extract().path("key");
        try (FakeWorker worker = FakeWorker.start()) {
            worker.register();
            worker.pull(worker.heartbeat(), name).heartbeat();
            Response before = infer(key, name);
            answersAs(before, Fixtures.LINEAR);

            Api.as(admin).delete("/admin/v1/models/" + name).then().statusCode(204);
            infer(key, name).then().statusCode(404).body("code", equalTo("model_not_found"));
            Api.as(Tokens.user(Api.unique("u") + "@example.test")).delete("/admin/v1/models/" + name).then()
                    .statusCode(403);
            Api.as(admin).get("/admin/v1/models/" + name).then().statusCode(404).body("code",
                    equalTo("model_not_found"));
            Api.as(admin).get("/admin/v1/models").then().statusCode(200).body("name", not(hasItem(name)));
            Api.as(admin).delete("/admin/v1/models/" + name).then().statusCode(404);
            assertFalse(desires(worker.heartbeat(), name), "workers are told to unload it");
            // its history stays: the call's usage row, and the audit of the deletion
            usage.one(before).status(200).billable(true).modelName(name);
            assertEquals("[1]", db.value("SELECT details->>'retired_versions' FROM audit_log WHERE action ="
                    + " 'model.deleted' AND target_id = ?", name));
            assertEquals("RETIRED", db.value("SELECT v.status FROM model_versions v JOIN models m ON m.id ="
                    + " v.model_id WHERE m.name = ? AND m.deleted_at IS NOT NULL", name));

            // the name again, with another file: its first version is number 1 again
            createWithVersion(name, OTHER.onnx());
            assertEquals(2L, db.count("SELECT count(*) FROM models WHERE name = ?", name));
            // the worker still holds the deleted model's version 1 and says so: that is not the new version 1
            worker.heartbeat();
            infer(key, name).then().statusCode(503).body("code", equalTo("no_worker"));
            assertEquals(1, worker.inferCalls(), "the deleted model's file answered nobody after the deletion");

            worker.pull(worker.heartbeat(), name).heartbeat();
            answersAs(infer(key, name), OTHER);
        }
    }
}
