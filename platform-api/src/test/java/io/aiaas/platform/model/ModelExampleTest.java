package io.aiaas.platform.model;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.onnx.builder.RealModels;
import io.aiaas.onnx.builder.RealModels.Pattern;
import io.aiaas.onnx.builder.RealModels.Values;
import io.aiaas.platform.testsupport.Api;
import io.aiaas.platform.testsupport.FakeWorker;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.Fixtures.Tenant;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.Tokens;
import io.aiaas.platform.testsupport.UsageRows;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Real models that refuse zeros are accepted with their warm-up skipped; an admin's example request must run, and
 * then it and its answer are the version's warm-up and part of both model cards; versions sort as numbers.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class ModelExampleTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TestDb db;

    @Inject
    Fixtures fixtures;

    @Inject
    UsageRows usage;

    static String createModel() {
        String name = Api.unique("real");
        Api.as(Tokens.admin()).body(Map.of("name", name, "visibility", "public", "description", "a real pattern"))
                .post("/admin/v1/models").then().statusCode(201);
        return name;
    }

    static ValidatableResponse upload(String name, byte[] onnx) {
        return given().header("Authorization", Tokens.bearer(Tokens.admin())).contentType("application/octet-stream")
                .body(onnx).post("/admin/v1/models/" + name + "/versions").then();
    }

    static Response putExample(String name, int version, String example) {
        return Api.as(Tokens.admin()).body(example).put("/admin/v1/models/" + name + "/versions/" + version
                + "/example");
    }

    private Map<String, Object> versionRow(String name, int version) {
        return db.queryOne("""
                SELECT v.warmup_status, v.warmup_reason, v.example_request::text AS request,
                       v.example_response::text AS response
                FROM model_versions v JOIN models m ON m.id = v.model_id WHERE m.name = ? AND v.version = ?""",
                name, version);
    }

    /** The outputs of an infer response body match the pattern's expected values. */
    private static void assertOutputs(JsonNode outputs, List<Values> expected) {
        for (Values want : expected) {
            JsonNode got = null;
            for (JsonNode output : outputs) {
                if (want.name().equals(output.path("name").asText())) {
                    got = output;
                }
            }
            assertThat("output " + want.name() + " in " + outputs, got, notNullValue());
            assertThat(got.path("datatype").asText(), equalTo(want.datatype()));
            assertThat(JSON.convertValue(got.get("shape"), long[].class), equalTo(want.shape()));
            JsonNode data = got.get("data");
            if (want.data() instanceof long[] longs) {
                assertThat(JSON.convertValue(data, long[].class), equalTo(longs));
            } else {
                float[] floats = want.floats();
                assertThat(data.size(), equalTo(floats.length));
                for (int i = 0; i < floats.length; i++) {
                    assertThat(data.get(i).asDouble(), closeTo(floats[i], 1e-4));
                }
            }
        }
    }

    @Test
    void modelThatRefusesZerosIsReadyWithItsWarmupSkippedAndTheReason() {
        Pattern pattern = RealModels.vocabularyEmbedding();
        String name = createModel();
        String body = upload(name, pattern.onnx()).statusCode(201)
                .body("status", equalTo("ready"))
                .body("warmup.status", equalTo("skipped"))
                .body("warmup.reason", containsString("zero"))
                .body("example", nullValue())
                .extract().asString();
        assertThat(body, not(containsString("onnxruntime_src")));
        assertThat(body, not(containsString(".cc:")));
        assertThat(body, not(containsString("/incoming/")));
        Map<String, Object> row = versionRow(name, 1);
        assertThat(row.get("warmup_status"), equalTo("SKIPPED"));
        assertThat(row.get("request"), nullValue());
    }

    @Test
    void exampleRunsIsStoredAndShownOnBothCardsTheMetadataAndToWorkers() throws Exception {
        Pattern pattern = RealModels.vocabularyEmbedding();
        String name = createModel();
        upload(name, pattern.onnx()).statusCode(201).body("warmup.status", equalTo("skipped"));

        Response put = putExample(name, 1, pattern.exampleRequest());
        put.then().statusCode(200).contentType("application/json")
                .body("version", equalTo(1))
                .body("warmup.status", equalTo("example"))
                .body("warmup.reason", nullValue())
                .body("example.request.inputs[0].name", equalTo("ids"))
                .body("example.response.model_name", equalTo(name));
        assertOutputs(JSON.readTree(put.asString()).path("example").path("response").path("outputs"),
                pattern.expected());
        Map<String, Object> row = versionRow(name, 1);
        assertThat(row.get("warmup_status"), equalTo("EXAMPLE"));
        assertThat(JSON.readTree((String) row.get("request")), equalTo(JSON.readTree(pattern.exampleRequest())));

        // the admin's model card
        Response admin = Api.as(Tokens.admin()).get("/admin/v1/models/" + name);
        admin.then().statusCode(200).body("versions[0].warmup.status", equalTo("example"))
                .body("versions[0].example.request.inputs[0].data", equalTo(List.of(1, 5, 3)));
        assertOutputs(JSON.readTree(admin.asString()).path("versions").path(0).path("example").path("response")
                .path("outputs"), pattern.expected());

        // the tenant's model card
        Api.TenantUser member = Api.tenantWithMember();
        Response card = Api.as(member.token()).get("/api/v1/tenants/" + member.slug() + "/models/" + name);
        card.then().statusCode(200).body("name", equalTo(name)).body("latest_version", equalTo(1))
                .body("versions[0].warmup.status", equalTo("example"))
                .body("versions[0].example.request.inputs[0].name", equalTo("ids"));
        assertOutputs(JSON.readTree(card.asString()).path("versions").path(0).path("example").path("response")
                .path("outputs"), pattern.expected());

        // the Open Inference Protocol metadata
        Tenant tenant = fixtures.tenant();
        String key = fixtures.key(tenant);
        given().header("Authorization", "Bearer " + key).get("/v2/models/" + name).then().statusCode(200)
                .body("warmup.status", equalTo("example"));

        // and the workers, which warm the version up with it
        try (FakeWorker worker = FakeWorker.start()) {
            worker.register();
            JsonNode desired = null;
            for (JsonNode d : worker.heartbeat().path("desired")) {
                if (name.equals(d.path("model").asText())) {
                    desired = d;
                }
            }
            assertThat(desired, notNullValue());
            assertThat(desired.get("example"), equalTo(JSON.readTree(pattern.exampleRequest())));
        }
    }

    @Test
    void metadataOfAVersionWithoutExampleShowsTheSkippedWarmup() {
        Pattern pattern = RealModels.framesOfLength();
        String name = createModel();
        upload(name, pattern.onnx()).statusCode(201).body("warmup.status", equalTo("skipped"));
        String key = fixtures.key(fixtures.tenant());
        given().header("Authorization", "Bearer " + key).get("/v2/models/" + name).then().statusCode(200)
                .body("warmup.status", equalTo("skipped"))
                .body("warmup.reason", containsString("zero"));
        given().header("Authorization", "Bearer " + key).get("/v2/models/" + name + "/versions/1").then()
                .statusCode(200).body("warmup.status", equalTo("skipped"));
    }

    @Test
    void exampleThatDoesNotRunIs400InvalidExampleAndNothingIsStored() throws Exception {
        Pattern pattern = RealModels.vocabularyEmbedding();
        String name = createModel();
        upload(name, pattern.onnx()).statusCode(201);
        List<String> bad = List.of(
                pattern.rejectedRequest(), // the model refuses the values (an id outside the vocabulary)
                "{\"inputs\": [{\"name\": \"nope\", \"datatype\": \"INT64\", \"shape\": [1], \"data\": [1]}]}",
                "{\"inputs\": [{\"name\": \"ids\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": [1.5]}]}",
                "{\"inputs\": [{\"name\": \"ids\", \"datatype\": \"INT64\", \"shape\": [2], \"data\": [1]}]}",
                "{\"inputs\": []}",
                "{\"inputs\": [",
                "[]",
                "{}");
        for (String example : bad) {
            String body = putExample(name, 1, example).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("code", equalTo("invalid_example"))
                    .body("type", equalTo("urn:aiaas:problem:invalid_example"))
                    .body("detail", notNullValue())
                    .extract().asString();
            for (String leak : List.of("onnxruntime_src", ".cc:", "java.", "io.aiaas", "Exception")) {
                assertThat(example + " -> " + body, body, not(containsString(leak)));
            }
            Map<String, Object> row = versionRow(name, 1);
            assertThat(row.get("warmup_status"), equalTo("SKIPPED"));
            assertThat(row.get("request"), nullValue());
        }
        putExample(name, 1, pattern.rejectedRequest()).then().body("detail", containsString(name));

        // a good example stays when a bad one follows it
        putExample(name, 1, pattern.exampleRequest()).then().statusCode(200);
        putExample(name, 1, pattern.rejectedRequest()).then().statusCode(400);
        Map<String, Object> row = versionRow(name, 1);
        assertThat(row.get("warmup_status"), equalTo("EXAMPLE"));
        assertThat(JSON.readTree((String) row.get("request")), equalTo(JSON.readTree(pattern.exampleRequest())));
    }

    @Test
    void retiredVersionTakesNoExample409AndUnknownOnesAre404() {
        Pattern pattern = RealModels.vocabularyEmbedding();
        String name = createModel();
        upload(name, pattern.onnx()).statusCode(201);
        Api.as(Tokens.admin()).delete("/admin/v1/models/" + name + "/versions/1").then().statusCode(204);
        putExample(name, 1, pattern.exampleRequest()).then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("version_retired"));
        assertThat(versionRow(name, 1).get("request"), nullValue());
        putExample(name, 2, pattern.exampleRequest()).then().statusCode(404).body("code", equalTo("version_not_found"));
        putExample(Api.unique("ghost"), 1, pattern.exampleRequest()).then().statusCode(404)
                .body("code", equalTo("model_not_found"));
        for (String version : List.of("+1", "01", "1.0", "\u0661", "99999999999", "-1", "0")) {
            Api.as(Tokens.admin()).body(pattern.exampleRequest()).urlEncodingEnabled(true)
                    .put("/admin/v1/models/" + name + "/versions/" + version + "/example").then()
                    .statusCode(400).body("code", equalTo("invalid_version"));
        }
    }

    @Test
    void versionsSortAsNumbersOnBothCardsAndInTheMetadata() {
        Tenant owner = fixtures.tenant();
        String name = Api.unique("many");
        // inserted out of order, so neither insertion order nor text order can pass for numeric order
        for (int version : new int[] {10, 2, 11, 1, 3, 9, 4, 8, 5, 7, 6}) {
            fixtures.model(name, "PRIVATE", owner, version);
        }
        List<Integer> numeric = List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        Api.as(Tokens.admin()).get("/admin/v1/models/" + name).then().statusCode(200)
                .body("versions.version", equalTo(numeric));
        Api.as(Tokens.admin()).get("/admin/v1/models").then().statusCode(200)
                .body("find { it.name == '" + name + "' }.latest_version", equalTo(11));
        String slug = owner.slug();
        String reader = Api.userOf(slug, "member").token();
        Api.as(reader).get("/api/v1/tenants/" + slug + "/models/" + name).then().statusCode(200)
                .body("versions.version", equalTo(numeric)).body("latest_version", equalTo(11));
        Api.as(reader).get("/api/v1/tenants/" + slug + "/models").then().statusCode(200)
                .body("find { it.name == '" + name + "' }.versions.version", equalTo(numeric));
        String key = fixtures.key(owner);
        List<String> texts = new ArrayList<>();
        numeric.forEach(v -> texts.add(Integer.toString(v)));
        given().header("Authorization", "Bearer " + key).get("/v2/models/" + name).then().statusCode(200)
                .header("x-aiaas-model-version", "11")
                .body("versions", equalTo(texts));
        given().header("Authorization", "Bearer " + key).get("/v2/models/" + name + "/versions/2").then()
                .statusCode(200).header("x-aiaas-model-version", "2");
    }

    @Test
    void everyRealModelPatternIsAcceptedServedAndRefusesItsBadInputWith400() throws Exception {
        Tenant tenant = fixtures.tenant();
        String key = fixtures.key(tenant);
        try (FakeWorker worker = FakeWorker.start()) {
            worker.register();
            for (Pattern pattern : RealModels.all()) {
                String name = createModel();
                upload(name, pattern.onnx()).statusCode(201).body("status", equalTo("ready"))
                        .body("warmup.status", equalTo(pattern.zerosFail() ? "skipped" : "zeros"));
                putExample(name, 1, pattern.exampleRequest()).then().statusCode(200)
                        .body("warmup.status", equalTo("example"));
                worker.pull(worker.heartbeat(), name).heartbeat();

                Response served = given().header("Authorization", "Bearer " + key).contentType("application/json")
                        .body(pattern.exampleRequest()).post("/v2/models/" + name + "/infer");
                served.then().statusCode(200);
                assertOutputs(JSON.readTree(served.asString()).path("outputs"), pattern.expected());
                usage.one(served).status(200).billable(true).modelName(name);

                Response refused = given().header("Authorization", "Bearer " + key).contentType("application/json")
                        .body(pattern.rejectedRequest()).post("/v2/models/" + name + "/infer");
                refused.then().statusCode(400).body("error", notNullValue());
                assertThat(pattern.name() + ": " + refused.asString(), refused.asString(),
                        not(containsString("onnxruntime_src")));
                usage.one(refused).status(400).billable(false).errorCode("worker_400");
            }
        }
    }
}
