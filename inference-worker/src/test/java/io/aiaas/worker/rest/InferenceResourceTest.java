package io.aiaas.worker.rest;

import io.aiaas.onnx.builder.TestModels;
import io.aiaas.worker.support.Worker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.aiaas.worker.support.Worker.authorized;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class InferenceResourceTest {

    /** One value per datatype of the identity model, at the edges of each range. */
    private static final String ALL_TYPES_INPUTS = """
            {"id": "all-types", "inputs": [
              {"name": "in_bool",   "datatype": "BOOL",   "shape": [2], "data": [true, false]},
              {"name": "in_uint8",  "datatype": "UINT8",  "shape": [2], "data": [0, 255]},
              {"name": "in_uint16", "datatype": "UINT16", "shape": [2], "data": [0, 65535]},
              {"name": "in_uint32", "datatype": "UINT32", "shape": [2], "data": [0, 4294967295]},
              {"name": "in_uint64", "datatype": "UINT64", "shape": [2], "data": [0, 18446744073709551615]},
              {"name": "in_int8",   "datatype": "INT8",   "shape": [2], "data": [-128, 127]},
              {"name": "in_int16",  "datatype": "INT16",  "shape": [2], "data": [-32768, 32767]},
              {"name": "in_int32",  "datatype": "INT32",  "shape": [2], "data": [-2147483648, 2147483647]},
              {"name": "in_int64",  "datatype": "INT64",  "shape": [2], "data": [-9223372036854775808, 9223372036854775807]},
              {"name": "in_fp16",   "datatype": "FP16",   "shape": [2], "data": [1.5, -65504]},
              {"name": "in_fp32",   "datatype": "FP32",   "shape": [2], "data": [0.25, -3.0e38]},
              {"name": "in_fp64",   "datatype": "FP64",   "shape": [2], "data": [1e-300, 1.7976931348623157e308]},
              {"name": "in_string", "datatype": "BYTES",  "shape": [2], "data": ["héllo", ""]}
            ]}""";

    @BeforeEach
    void loadModels() {
        io.restassured.RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        Worker.load("identity", 1, TestModels.identityAllTypes());
        Worker.load("scalar", 1, TestModels.scalarAdd());
        Worker.load("multi", 1, TestModels.multiInputOutput());
        Worker.load("linear", 1, TestModels.linear().onnx());
    }

    private static Response infer(String model, String body) {
        return authorized().contentType(ContentType.JSON).body(body).post("/v2/models/{m}/infer", model);
    }

    @Test
    void everyDatatypeRoundTripsThroughIdentity() {
        Response r = infer("identity", ALL_TYPES_INPUTS);
        r.then().statusCode(200)
                .body("model_name", equalTo("identity"))
                .body("model_version", equalTo("1"))
                .body("id", equalTo("all-types"))
                .body("outputs", hasSize(13));
        String json = r.asString();
        // Exact text, so that unsigned and 64-bit extremes are checked without double rounding.
        assertContains(json, "\"name\":\"out_bool\",\"datatype\":\"BOOL\",\"shape\":[2],\"data\":[true,false]");
        assertContains(json, "\"datatype\":\"UINT8\",\"shape\":[2],\"data\":[0,255]");
        assertContains(json, "\"datatype\":\"UINT16\",\"shape\":[2],\"data\":[0,65535]");
        assertContains(json, "\"datatype\":\"UINT32\",\"shape\":[2],\"data\":[0,4294967295]");
        assertContains(json, "\"datatype\":\"UINT64\",\"shape\":[2],\"data\":[0,18446744073709551615]");
        assertContains(json, "\"datatype\":\"INT8\",\"shape\":[2],\"data\":[-128,127]");
        assertContains(json, "\"datatype\":\"INT16\",\"shape\":[2],\"data\":[-32768,32767]");
        assertContains(json, "\"datatype\":\"INT32\",\"shape\":[2],\"data\":[-2147483648,2147483647]");
        assertContains(json, "\"datatype\":\"INT64\",\"shape\":[2],\"data\":[-9223372036854775808,9223372036854775807]");
        assertContains(json, "\"datatype\":\"FP16\",\"shape\":[2],\"data\":[1.5,-65504.0]");
        assertContains(json, "\"datatype\":\"FP32\",\"shape\":[2],\"data\":[0.25,-3.0E38]");
        assertContains(json, "\"datatype\":\"FP64\",\"shape\":[2],\"data\":[1.0E-300,1.7976931348623157E308]");
        assertContains(json, "\"name\":\"out_string\",\"datatype\":\"BYTES\",\"shape\":[2],\"data\":[\"héllo\",\"\"]");
    }

    private static void assertContains(String json, String part) {
        if (!json.contains(part)) {
            throw new AssertionError("expected " + part + " in " + json);
        }
    }

    @Test
    void scalarTensorsTakeOneValue() {
        infer("scalar", """
                {"inputs": [{"name": "a", "datatype": "FP32", "shape": [], "data": [1.5]},
                            {"name": "b", "datatype": "FP32", "shape": [], "data": 2}]}""")
                .then().statusCode(200)
                .header("x-aiaas-items", "1")
                .body("outputs[0].name", equalTo("sum"))
                .body("outputs[0].shape", hasSize(0))
                .body("outputs[0].data", contains(3.5f));
    }

    @Test
    void multipleInputsGiveAllOutputs() {
        infer("multi", """
                {"inputs": [{"name": "count", "datatype": "INT64", "shape": [2], "data": [1, 41]},
                            {"name": "value", "datatype": "FP32", "shape": [2, 3], "data": [[1, 2, 3], [4, 5, 6]]}]}""")
                .then().statusCode(200)
                .header("x-aiaas-items", "2")
                .body("outputs.name", contains("count_plus_one", "value_doubled"))
                .body("outputs[0].data", contains(2, 42))
                .body("outputs[1].shape", contains(2, 3))
                .body("outputs[1].data", contains(2f, 4f, 6f, 8f, 10f, 12f));
    }

    @Test
    void onlyTheRequestedOutputsComeBack() {
        infer("multi", """
                {"inputs": [{"name": "count", "datatype": "INT64", "shape": [1], "data": [1]},
                            {"name": "value", "datatype": "FP32", "shape": [1, 3], "data": [1, 2, 3]}],
                 "outputs": [{"name": "value_doubled"}]}""")
                .then().statusCode(200)
                .body("outputs", hasSize(1))
                .body("outputs[0].name", equalTo("value_doubled"));
    }

    @Test
    void idIsEchoedAndOmittedWhenAbsent() {
        String body = """
                {%s"inputs": [{"name": "a", "datatype": "FP32", "shape": [], "data": [1]},
                              {"name": "b", "datatype": "FP32", "shape": [], "data": [1]}]}""";
        infer("scalar", body.formatted("\"id\": \"req-42\", ")).then().statusCode(200).body("id", equalTo("req-42"));
        infer("scalar", body.formatted("")).then().statusCode(200).body("id", nullValue());
    }

    @Test
    void nestedAndFlatDataGiveTheSameAnswer() {
        String nested = infer("linear", """
                {"inputs": [{"name": "x", "datatype": "FP32", "shape": [2, 3], "data": [[1, 0, 2], [0.5, 0.5, 0.5]]}]}""")
                .then().statusCode(200).extract().path("outputs[0].data").toString();
        String flat = infer("linear", """
                {"inputs": [{"name": "x", "datatype": "FP32", "shape": [2, 3], "data": [1, 0, 2, 0.5, 0.5, 0.5]}]}""")
                .then().statusCode(200).extract().path("outputs[0].data").toString();
        assertEquals(flat, nested);
        float[][] expected = TestModels.linear().forward(new float[][] {{1, 0, 2}, {0.5f, 0.5f, 0.5f}});
        List<Float> actual = infer("linear", """
                {"inputs": [{"name": "x", "datatype": "FP32", "shape": [2, 3], "data": [1, 0, 2, 0.5, 0.5, 0.5]}]}""")
                .then().extract().path("outputs[0].data");
        assertEquals(expected[1][1], actual.get(3), 1e-6);
    }

    @Test
    void inferResponsesCarryDeviceComputeAndItemsHeaders() {
        infer("linear", """
                {"inputs": [{"name": "x", "datatype": "FP32", "shape": [3, 3], "data": [1,2,3,4,5,6,7,8,9]}]}""")
                .then().statusCode(200)
                .header("x-aiaas-device", matchesPattern("cpu|cuda"))
                .header("x-aiaas-compute-us", matchesPattern("\\d+"))
                .header("x-aiaas-items", "3");
    }

    @Test
    void versionedPathsAddressTheVersion() {
        authorized().contentType(ContentType.JSON)
                .body("{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 3], \"data\": [1, 2, 3]}]}")
                .post("/v2/models/linear/versions/1/infer")
                .then().statusCode(200).body("model_version", equalTo("1"));
        authorized().get("/v2/models/linear/versions/1/ready").then().statusCode(200).body("ready", equalTo(true));
        authorized().get("/v2/models/linear/ready").then().statusCode(200).body("ready", equalTo(true));
    }

    @Test
    void modelMetadataDescribesTheSignature() {
        authorized().get("/v2/models/multi").then().statusCode(200)
                .body("name", equalTo("multi"))
                .body("versions", contains("1"))
                .body("platform", equalTo("onnxruntime_onnx"))
                .body("inputs.name", contains("count", "value"))
                .body("inputs[1].datatype", equalTo("FP32"))
                .body("inputs[1].shape", contains(-1, 3))
                .body("outputs.name", contains("count_plus_one", "value_doubled"));
        authorized().get("/v2/models/multi/versions/1").then().statusCode(200).body("inputs[0].datatype", equalTo("INT64"));
    }

    @Test
    void serverMetadataNamesTheServer() {
        authorized().get("/v2").then().statusCode(200)
                .body("name", equalTo("aiaas-inference-worker"))
                .body("version", notNullValue())
                .body("extensions", hasSize(0));
    }

    // ---- client mistakes: 4xx with {"error"} naming the problem ----

    private static void badRequest(String model, String body, String... fragments) {
        Response r = infer(model, body);
        r.then().statusCode(400).contentType(ContentType.JSON);
        String error = r.path("error");
        for (String fragment : fragments) {
            if (!error.contains(fragment)) {
                throw new AssertionError("expected '" + fragment + "' in error: " + error);
            }
        }
    }

    @Test
    void malformedJsonIsRejected() {
        badRequest("linear", "{\"inputs\": [", "malformed JSON");
        badRequest("linear", "not json", "malformed JSON");
    }

    @Test
    void unknownDatatypeIsRejectedNamingTheTensor() {
        badRequest("linear", "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FLOAT\", \"shape\": [1, 3], \"data\": [1, 2, 3]}]}",
                "'x'", "unknown datatype 'FLOAT'");
    }

    @Test
    void dataCountNotMatchingShapeIsRejectedNamingTheTensor() {
        badRequest("linear", "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [2, 3], \"data\": [1, 2, 3]}]}",
                "'x'", "3 values", "calls for 6");
    }

    @Test
    void valueOutOfRangeIsRejectedNamingTheTensor() {
        String body = ALL_TYPES_INPUTS.replace("[0, 255]", "[0, 256]");
        badRequest("identity", body, "'in_uint8'", "out of range for UINT8");
    }

    @Test
    void unknownInputIsRejectedNamingTheTensor() {
        badRequest("linear", "{\"inputs\": [{\"name\": \"z\", \"datatype\": \"FP32\", \"shape\": [1, 3], \"data\": [1, 2, 3]}]}", "'z'");
    }

    @Test
    void missingInputIsRejectedNamingTheTensor() {
        badRequest("scalar", "{\"inputs\": [{\"name\": \"a\", \"datatype\": \"FP32\", \"shape\": [], \"data\": [1]}]}", "'b'");
    }

    @Test
    void wrongDatatypeOrShapeForTheModelIsRejectedNamingTheTensor() {
        badRequest("linear", "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP64\", \"shape\": [1, 3], \"data\": [1, 2, 3]}]}", "'x'");
        badRequest("linear", "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [1, 2, 3, 4]}]}", "'x'");
    }

    @Test
    void unknownModelOrVersionIs404() {
        infer("nope", "{\"inputs\": []}").then().statusCode(404).body("error", containsString("'nope'"));
        authorized().contentType(ContentType.JSON).body("{\"inputs\": []}").post("/v2/models/linear/versions/7/infer")
                .then().statusCode(404).body("error", containsString("version 7"));
        authorized().get("/v2/models/linear/versions/x").then().statusCode(400)
                .body("error", containsString("version 'x' is not a version number"));
        authorized().get("/v2/models/nope").then().statusCode(404).body("error", containsString("'nope'"));
        authorized().get("/v2/models/nope/ready").then().statusCode(404).body("error", notNullValue());
    }

    @Test
    void unknownPathWrongMethodAndWrongContentTypeAnswerJsonErrors() {
        authorized().get("/v2/nothing/here").then().statusCode(404).contentType(ContentType.JSON).body("error", notNullValue());
        authorized().get("/v2/models/linear/infer").then().statusCode(405).contentType(ContentType.JSON).body("error", containsString("GET"));
        authorized().contentType(ContentType.TEXT).body("hello").post("/v2/models/linear/infer")
                .then().statusCode(415).contentType(ContentType.JSON).body("error", notNullValue());
    }

    @Test
    void tooLargeBodyIs413() {
        StringBuilder big = new StringBuilder("{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 3], \"data\": [");
        big.append("0,".repeat(600_000)).append("0]}]}");
        infer("linear", big.toString()).then().statusCode(413).body("error", containsString("larger than 1048576 bytes"));
        // Chunked: no Content-Length to check up front, so the limit applies while the body streams in.
        authorized().contentType(ContentType.JSON)
                .body(new java.io.ByteArrayInputStream(big.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .post("/v2/models/linear/infer")
                .then().statusCode(413).body("error", containsString("larger than"));
    }

    @Test
    void loadBodyErrorsAreJson() {
        authorized().contentType(ContentType.JSON).body("{\"sha256\": ")
                .post("/v2/repository/models/m/versions/1/load")
                .then().statusCode(400).body("error", containsString("JSON"));
        authorized().contentType(ContentType.JSON).body(Map.of("sha256", "abc"))
                .post("/v2/repository/models/m/versions/1/load")
                .then().statusCode(400).body("error", containsString("sha256"));
    }
}
