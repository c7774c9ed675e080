package io.aiaas.platform.gateway;

import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.FakeWorker;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.UsageRows;
import jakarta.inject.Inject;
import io.aiaas.platform.testsupport.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole path through the public APIs: an admin uploads a model and creates a key, a worker pulls the artifact
 * it is told to hold, the tenant calls it, the admin sees the placement, and a revoked key stops at once.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class UploadedModelServedTest {

    @Inject
    UsageRows usage;

    static final String BODY = """
            {"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 3], "data": [0.5, -1, 2]}]}""";

    @Test
    void uploadedModelIsPulledServedListedAndRevocationStopsItAtOnce() throws Exception {
        String admin = Tokens.admin();
        String slug = Api.createTenant();
        String name = Api.unique("linear");
        Api.as(admin).body(Map.of("name", name, "visibility", "public")).post("/admin/v1/models")
                .then().statusCode(201);
        given().header("Authorization", Tokens.bearer(admin)).contentType("application/octet-stream")
                .body(Fixtures.LINEAR.onnx()).post("/admin/v1/models/" + name + "/versions")
                .then().statusCode(201);
        Response created = Api.as(admin).body(Map.of("name", "e2e")).post("/api/v1/tenants/" + slug + "/keys");
        created.then().statusCode(201);
        String key = created.path("key");
        String keyId = created.path("id");
        try (FakeWorker worker = FakeWorker.start()) {
            worker.register();
            JsonNode answer = worker.heartbeat();
            worker.pull(answer, name).heartbeat();

            Response response = given().header("Authorization", "Bearer " + key).contentType("application/json")
                    .body(BODY).post("/v2/models/" + name + "/infer");
            response.then().statusCode(200).header("x-aiaas-model-version", "1");
            usage.one(response).status(200).billable(true).endpoint("infer").modelName(name).modelVersion(1)
                    .worker(worker.id()).errorCode(null);
            float[] expected = Fixtures.LINEAR.forward(new float[][] {{0.5f, -1f, 2f}})[0];
            List<Float> data = response.jsonPath().getList("outputs[0].data", Float.class);
            assertThat((double) data.get(0), closeTo(expected[0], 1e-5));
            assertThat((double) data.get(1), closeTo(expected[1], 1e-5));

            Response workers = given().header("Authorization", Tokens.bearer(admin)).get("/admin/v1/workers");
            workers.then().statusCode(200);
            List<Map<String, Object>> listed = workers.jsonPath().getList("findAll { it.id == '" + worker.id() + "' }");
            assertThat(listed.size(), equalTo(1));
            assertThat(listed.get(0).get("status"), equalTo("up"));
            assertThat(workers.jsonPath().getList("find { it.id == '" + worker.id() + "' }.placements.model"),
                    hasItem(name));

            // revoked on this replica: the authenticator drops the cached key on the revocation event
            Api.as(admin).delete("/api/v1/tenants/" + slug + "/keys/" + keyId).then().statusCode(204);
            given().header("Authorization", "Bearer " + key).contentType("application/json").body(BODY)
                    .post("/v2/models/" + name + "/infer").then().statusCode(401);
        }
    }

    @Test
    void workerListIsForPlatformAdminsOnly() {
        given().get("/admin/v1/workers").then().statusCode(401);
        given().header("Authorization", Tokens.bearer(Tokens.user(Api.unique("u") + "@example.test")))
                .get("/admin/v1/workers").then().statusCode(403);
    }
}
