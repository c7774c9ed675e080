package io.aiaas.platform.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.engine.Tensor;
import io.aiaas.engine.TensorType;
import io.aiaas.platform.testsupport.FakeWorker;
import io.aiaas.platform.testsupport.Fixtures;
import io.aiaas.platform.testsupport.Fixtures.Model;
import io.aiaas.platform.testsupport.Fixtures.Tenant;
import io.aiaas.platform.testsupport.TestDb;
import io.aiaas.platform.testsupport.UsageRows;
import io.aiaas.protocol.BinaryTensors;
import io.aiaas.protocol.InferenceCodec;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Triton's binary tensor data extension through the control plane with an API key: the header and content type go to
 * the worker and back unchanged, the call is metered once, replays keep the binary answer, bad headers are 400.
 */
@QuarkusTest
@QuarkusTestResource(OidcWiremockTestResource.class)
class GatewayBinaryTensorsTest {

    private static final String HEADER = InferenceCodec.INFERENCE_HEADER_CONTENT_LENGTH;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final float[] X = {1f, 2f, 3f, -1f, 0.5f, 0.25f};
    private static final String JSON_HEADER = "{\"id\":\"bin-1\",\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\","
            + "\"shape\":[2,3],\"parameters\":{\"binary_data_size\":24}}],"
            + "\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":true}}]}";

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

    @BeforeEach
    void setUp() throws Exception {
        tenant = fixtures.tenant();
        key = fixtures.key(tenant);
        model = fixtures.model("PUBLIC", fixtures.tenant());
        worker = FakeWorker.start("http://localhost:" + RestAssured.port)
                .hold(model.name(), 1, model.file()).join();
    }

    @AfterEach
    void tearDown() {
        worker.close();
    }

    private static byte[] binaryBody() {
        byte[] header = JSON_HEADER.getBytes(StandardCharsets.UTF_8);
        byte[] data = BinaryTensors.toBytes(Tensor.ofFp32("x", new long[] {2, 3}, X));
        byte[] body = Arrays.copyOf(header, header.length + data.length);
        System.arraycopy(data, 0, body, header.length, data.length);
        return body;
    }

    private static int headerLength() {
        return JSON_HEADER.getBytes(StandardCharsets.UTF_8).length;
    }

    private Response post(byte[] body, String header, String contentType, String idempotencyKey) {
        var spec = given().header("Authorization", "Bearer " + key).body(body);
        if (header != null) {
            spec = spec.header(HEADER, header);
        }
        if (contentType != null) {
            spec = spec.contentType(contentType);
        }
        if (idempotencyKey != null) {
            spec = spec.header("Idempotency-Key", idempotencyKey);
        }
        return spec.post("/v2/models/" + model.name() + "/infer");
    }

    /** The binary output y of a binary answer, read as a Triton client reads it. */
    private static Tensor binaryOutput(Response response) throws IOException {
        byte[] body = response.asByteArray();
        int length = Integer.parseInt(response.header(HEADER));
        JsonNode json = JSON.readTree(Arrays.copyOf(body, length));
        JsonNode y = json.get("outputs").get(0);
        assertNull(y.get("data"));
        int size = y.get("parameters").get("binary_data_size").asInt();
        assertEquals(body.length - length, size, "the binary part is exactly y");
        return BinaryTensors.read("y", TensorType.FP32, new long[] {2, 2}, body, length, size);
    }

    @Test
    void binaryCallPassesHeadersBothWaysAndMatchesTheJsonAnswerBitForBit() throws IOException {
        byte[] body = binaryBody();
        Response binary = post(body, Integer.toString(headerLength()), "application/octet-stream", null);
        binary.then().statusCode(200).header("x-aiaas-model-version", "1");
        assertThat(binary.contentType(), startsWith("application/octet-stream"));
        // the worker got the body's split and type unchanged
        assertEquals(Integer.toString(headerLength()), worker.lastInferHeaders().get(HEADER));
        // (RestAssured adds a charset to the client's type; it reaches the worker as sent)
        assertThat(worker.lastInferHeaders().get("content-type"), startsWith("application/octet-stream"));
        Tensor y = binaryOutput(binary);

        Response json = given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2,3],\"data\":[1,2,3,-1,0.5,0.25]}]}")
                .post("/v2/models/" + model.name() + "/infer");
        json.then().statusCode(200).contentType("application/json");
        assertNull(json.header(HEADER));
        assertEquals("null", worker.lastInferHeaders().get(HEADER));
        float[] fromJson = new float[4];
        for (int i = 0; i < 4; i++) {
            fromJson[i] = Float.parseFloat(json.jsonPath().getString("outputs[0].data[" + i + "]"));
        }
        assertArrayEquals(BinaryTensors.toBytes(Tensor.ofFp32("y", new long[] {2, 2}, fromJson)),
                BinaryTensors.toBytes(y), "binary and JSON answers hold the same bits");
        float[][] expected = Fixtures.LINEAR.forward(new float[][] {{1, 2, 3}, {-1, 0.5f, 0.25f}});
        assertEquals(expected[1][0], y.floats()[2], 1e-6f);

        // metered once, with the bytes that passed
        UsageRows.Row row = usage.one(binary).status(200).billable(true).endpoint("infer").items(2);
        assertThat(row.get("bytes_in"), equalTo((long) body.length));
        assertThat(row.get("bytes_out"), equalTo((long) binary.asByteArray().length));
    }

    @Test
    void aTritonClientWithoutContentTypeIsServed() throws IOException {
        Response response = post(binaryBody(), Integer.toString(headerLength()), null, null);
        response.then().statusCode(200);
        assertEquals(4, binaryOutput(response).elementCount());
    }

    @Test
    void badInferenceHeaderIs400WithTheProtocolsErrorAndNoWorkerCall() {
        int before = worker.inferCalls();
        for (String bad : new String[] {"-1", "twelve", Integer.toString(binaryBody().length + 1)}) {
            Response response = post(binaryBody(), bad, "application/octet-stream", null);
            response.then().statusCode(400).contentType("application/json")
                    .body("code", equalTo("invalid_inference_header"))
                    .body("error", startsWith("Inference-Header-Content-Length"));
            usage.one(response).status(400).billable(false).errorCode("invalid_inference_header");
        }
        assertEquals(before, worker.inferCalls());
        // sizes that do not add up are the worker's to find: its 400 passes through
        byte[] extra = Arrays.copyOf(binaryBody(), binaryBody().length + 4);
        post(extra, Integer.toString(headerLength()), "application/octet-stream", null).then().statusCode(400)
                .body("error", containsString("accounts for"));
        // a content type that is neither JSON nor binary
        post(binaryBody(), Integer.toString(headerLength()), "text/plain", null).then().statusCode(415);
    }

    @Test
    void idempotentReplayKeepsTheBinaryAnswerAndItsHeaders() {
        String idem = "bin-" + UUID.randomUUID();
        Response first = post(binaryBody(), Integer.toString(headerLength()), "application/octet-stream", idem);
        first.then().statusCode(200);
        int calls = worker.inferCalls();
        Response retry = post(binaryBody(), Integer.toString(headerLength()), "application/octet-stream", idem);
        retry.then().statusCode(200).header("x-aiaas-idempotent-replay", "true")
                .header(HEADER, first.header(HEADER));
        assertThat(retry.contentType(), startsWith("application/octet-stream"));
        assertArrayEquals(first.asByteArray(), retry.asByteArray());
        assertEquals(calls, worker.inferCalls(), "a replay does not call the worker");
        assertEquals(1L, db.count("SELECT count(*) FROM usage_records WHERE tenant_id = ? AND billable", tenant.id()));
        // the same bytes split at another place are another request
        post(binaryBody(), Integer.toString(headerLength() - 1), "application/octet-stream", idem).then()
                .statusCode(422).body("code", equalTo("idempotency_key_reused"));
    }
}
