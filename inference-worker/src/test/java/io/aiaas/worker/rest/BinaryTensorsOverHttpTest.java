package io.aiaas.worker.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.engine.Tensor;
import io.aiaas.engine.TensorType;
import io.aiaas.onnx.builder.TestModels;
import io.aiaas.protocol.BinaryTensors;
import io.aiaas.protocol.InferenceCodec;
import io.aiaas.worker.support.RawHttp;
import io.aiaas.worker.support.Worker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static io.aiaas.worker.support.Worker.authorized;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Triton's binary tensor data extension on the worker, against real ONNX Runtime models: the same request as JSON
 * and as binary gives the same output bits, and binary outputs hold the bits the JSON outputs spell.
 */
@QuarkusTest
class BinaryTensorsOverHttpTest {

    private static final String HEADER = InferenceCodec.INFERENCE_HEADER_CONTENT_LENGTH;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InferenceCodec CODEC = new InferenceCodec();

    @BeforeEach
    void loadModels() {
        Worker.load("bin_linear", 1, TestModels.linear().onnx());
        Worker.load("bin_multi", 1, TestModels.multiInputOutput());
        Worker.load("bin_identity", 1, TestModels.identityAllTypes());
    }

    /** A body as a Triton client builds it: the JSON, then the binary inputs in order. */
    private record Body(byte[] bytes, int headerLength) {
    }

    private static Body body(String json, Tensor... binaryInputs) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        out.write(header);
        for (Tensor t : binaryInputs) {
            out.write(BinaryTensors.toBytes(t));
        }
        return new Body(out.toByteArray(), header.length);
    }

    private static Response post(String model, Body body, String contentType) {
        var spec = authorized().header(HEADER, Integer.toString(body.headerLength())).body(body.bytes());
        if (contentType != null) {
            spec = spec.contentType(contentType);
        }
        return spec.post("/v2/models/{m}/infer", model);
    }

    /** The answer's JSON part and its binary part, split as a Triton client splits them. */
    private record Answer(JsonNode json, byte[] binary) {
        /** Output {@code index} decoded from the binary part; outputs before it that are binary are skipped. */
        Tensor binaryOutput(int index) {
            int at = 0;
            for (int k = 0; k < index; k++) {
                JsonNode params = json.get("outputs").get(k).get("parameters");
                if (params != null && params.has("binary_data_size")) {
                    at += params.get("binary_data_size").asInt();
                }
            }
            JsonNode out = json.get("outputs").get(index);
            long[] shape = JSON.convertValue(out.get("shape"), long[].class);
            return BinaryTensors.read(out.get("name").asText(), TensorType.fromProtocolName(out.get("datatype").asText()),
                    shape, binary, at, out.get("parameters").get("binary_data_size").asInt());
        }

        /** Output {@code index} from its JSON data, read back by the protocol's own JSON decoder. */
        Tensor jsonOutput(int index) {
            JsonNode out = json.get("outputs").get(index);
            return CODEC.decode(("{\"inputs\":[{\"name\":" + out.get("name") + ",\"datatype\":" + out.get("datatype")
                    + ",\"shape\":" + out.get("shape") + ",\"data\":" + out.get("data") + "}]}")
                    .getBytes(StandardCharsets.UTF_8)).inputs().get(0);
        }
    }

    private static Answer answer(Response response) throws IOException {
        byte[] bytes = response.asByteArray();
        String header = response.header(HEADER);
        int length = header == null ? bytes.length : Integer.parseInt(header);
        return new Answer(JSON.readTree(Arrays.copyOf(bytes, length)), Arrays.copyOfRange(bytes, length, bytes.length));
    }

    private static float[][] randomRows(Random random, int rows, int columns) {
        float[][] x = new float[rows][columns];
        for (float[] row : x) {
            for (int c = 0; c < columns; c++) {
                row[c] = (float) random.nextGaussian() * 3;
            }
        }
        return x;
    }

    @Test
    void theSameRequestAsJsonAndAsBinaryGivesBitIdenticalOutputs() throws IOException {
        float[][] x = randomRows(new Random(7), 256, 3);
        float[] flat = new float[256 * 3];
        for (int r = 0; r < 256; r++) {
            System.arraycopy(x[r], 0, flat, r * 3, 3);
        }
        Tensor input = Tensor.ofFp32("x", new long[] {256, 3}, flat);
        StringBuilder data = new StringBuilder();
        for (float v : flat) {
            data.append(data.length() == 0 ? "" : ",").append(v);
        }

        Response asJson = authorized().contentType("application/json").body("{\"id\":\"j\",\"inputs\":[{\"name\":\"x\","
                + "\"datatype\":\"FP32\",\"shape\":[256,3],\"data\":[" + data + "]}]}").post("/v2/models/bin_linear/infer");
        asJson.then().statusCode(200).contentType("application/json");
        assertNull(asJson.header(HEADER));
        Response asBinary = post("bin_linear", body("{\"id\":\"b\",\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\","
                + "\"shape\":[256,3],\"parameters\":{\"binary_data_size\":" + flat.length * 4 + "}}],"
                + "\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":true}}]}", input), "application/octet-stream");
        asBinary.then().statusCode(200).header("x-aiaas-items", "256");
        assertTrue(asBinary.contentType().startsWith("application/octet-stream"), asBinary.contentType());

        Answer json = answer(asJson);
        Answer binary = answer(asBinary);
        assertEquals("b", binary.json().get("id").asText());
        assertEquals(256 * 2 * 4, binary.json().get("outputs").get(0).get("parameters").get("binary_data_size").asInt());
        assertNull(binary.json().get("outputs").get(0).get("data"));
        assertEquals(256 * 2 * 4, binary.binary().length);
        Tensor fromBinary = binary.binaryOutput(0);
        Tensor fromJson = json.jsonOutput(0);
        assertArrayEquals(BinaryTensors.toBytes(fromJson), BinaryTensors.toBytes(fromBinary),
                "binary outputs hold the bits the JSON outputs spell");
        // and they are the model's answer
        float[][] expected = TestModels.linear().forward(x);
        assertEquals(expected[17][1], fromBinary.floats()[17 * 2 + 1], 1e-5f);
    }

    @Test
    void everyDatatypeRoundTripsThroughARealModelBitForBit() throws IOException {
        Random random = new Random(11);
        List<String> inputs = new ArrayList<>();
        List<Tensor> tensors = new ArrayList<>();
        for (TestModels.IdentityType type : TestModels.IDENTITY_TYPES) {
            TensorType t = TensorType.fromProtocolName(protocolName(type.suffix()));
            Tensor tensor = Tensor.zeros(type.inputName(), t, new long[] {5});
            byte[] raw = BinaryTensors.toBytes(tensor);
            if (t == TensorType.BYTES) {
                tensor = Tensor.ofStrings(type.inputName(), new long[] {5}, "a", "", "ünï", "zz", "q");
            } else {
                random.nextBytes(raw);
                if (t == TensorType.BOOL) {
                    for (int k = 0; k < raw.length; k++) {
                        raw[k] = (byte) (raw[k] & 1);
                    }
                }
                if (t == TensorType.FP16) {
                    for (int k = 1; k < raw.length; k += 2) {
                        raw[k] &= 0x3B; // finite halves
                    }
                }
                if (t == TensorType.FP32 || t == TensorType.FP64) {
                    for (int k = t.elementBytes() - 1; k < raw.length; k += t.elementBytes()) {
                        raw[k] &= 0x3F; // finite, so that JSON can carry them too
                    }
                }
                tensor = BinaryTensors.read(type.inputName(), t, new long[] {5}, raw, 0, raw.length);
            }
            tensors.add(tensor);
            inputs.add("{\"name\":\"" + tensor.name() + "\",\"datatype\":\"" + t + "\",\"shape\":[5],"
                    + "\"parameters\":{\"binary_data_size\":" + BinaryTensors.byteSize(tensor) + "}}");
        }
        // all outputs binary (no output named), as the Triton Python client asks when given none
        String header = "{\"inputs\":[" + String.join(",", inputs) + "]}";
        Response binary = post("bin_identity", body(header.replace("{\"inputs\"",
                "{\"parameters\":{\"binary_data_output\":true},\"inputs\""), tensors.toArray(new Tensor[0])), null);
        binary.then().statusCode(200).header(HEADER, org.hamcrest.Matchers.notNullValue());
        // the same binary request answered in JSON
        Response json = post("bin_identity", body(header, tensors.toArray(new Tensor[0])), "application/octet-stream");
        json.then().statusCode(200).contentType("application/json");
        Answer fromBinary = answer(binary);
        Answer fromJson = answer(json);
        for (int k = 0; k < tensors.size(); k++) {
            Tensor expected = tensors.get(k);
            Tensor out = fromBinary.binaryOutput(k);
            assertEquals(expected.type(), out.type());
            assertArrayEquals(BinaryTensors.toBytes(expected), BinaryTensors.toBytes(out), expected.type().name());
            assertArrayEquals(BinaryTensors.toBytes(fromJson.jsonOutput(k)), BinaryTensors.toBytes(out),
                    expected.type().name() + ": binary and JSON answers differ");
        }
    }

    private static String protocolName(String suffix) {
        return switch (suffix) {
            case "string" -> "BYTES";
            default -> suffix.toUpperCase();
        };
    }

    @Test
    void onlyTheOutputsAskedForComeBackBinary() throws IOException {
        Tensor count = Tensor.ofInt64("count", new long[] {2}, new long[] {41, -7});
        Response response = post("bin_multi", body("{\"inputs\":[{\"name\":\"count\",\"datatype\":\"INT64\",\"shape\":[2],"
                + "\"parameters\":{\"binary_data_size\":16}},{\"name\":\"value\",\"datatype\":\"FP32\",\"shape\":[1,3],"
                + "\"data\":[0.1,0.2,0.3]}],\"outputs\":[{\"name\":\"value_doubled\"},{\"name\":\"count_plus_one\","
                + "\"parameters\":{\"binary_data\":true}}]}", count), "application/json");
        response.then().statusCode(200);
        Answer answer = answer(response);
        JsonNode outputs = answer.json().get("outputs");
        assertEquals("value_doubled", outputs.get(0).get("name").asText());
        assertTrue(outputs.get(0).get("data").isArray());
        assertEquals(0.2f, (float) outputs.get(0).get("data").get(0).asDouble());
        assertArrayEquals(new long[] {42, -6}, answer.binaryOutput(1).longs());
        assertEquals(16, answer.binary().length);
    }

    @Test
    void aTritonClientsBodyWithoutContentTypeIsAccepted() throws IOException {
        Tensor count = Tensor.ofInt64("count", new long[] {1}, new long[] {1});
        Tensor value = Tensor.ofFp32("value", new long[] {1, 3}, new float[] {1, 2, 3});
        Body body = body("{\"inputs\":[{\"name\":\"count\",\"datatype\":\"INT64\",\"shape\":[1],\"parameters\":"
                + "{\"binary_data_size\":8}},{\"name\":\"value\",\"datatype\":\"FP32\",\"shape\":[1,3],\"parameters\":"
                + "{\"binary_data_size\":12}}]}", count, value);
        String head = "POST /v2/models/bin_multi/infer HTTP/1.1\r\nHost: 127.0.0.1:" + RestAssured.port
                + "\r\nAuthorization: Bearer " + Worker.token() + "\r\n" + HEADER + ": " + body.headerLength()
                + "\r\nContent-Length: " + body.bytes().length;
        RawHttp.Response response = RawHttp.exchange(RestAssured.port, head, body.bytes(), 30_000);
        assertEquals(200, response.status(), response.bodyText());
        // JSON outputs only: a plain JSON answer without the header
        assertNull(response.header(HEADER));
        assertTrue(response.header("content-type").startsWith("application/json"));
        JsonNode json = JSON.readTree(response.body());
        assertEquals("[2.0,4.0,6.0]", json.get("outputs").get(1).get("data").toString());
    }

    @Test
    void badBinaryBodiesAre400WithTheProtocolsErrorBody() throws IOException {
        Tensor value = Tensor.ofFp32("value", new long[] {1, 3}, new float[] {1, 2, 3});
        Body body = body("{\"inputs\":[{\"name\":\"count\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[1]},"
                + "{\"name\":\"value\",\"datatype\":\"FP32\",\"shape\":[1,3],\"parameters\":{\"binary_data_size\":12}}]}",
                value);
        for (String bad : List.of("-3", "x", Integer.toString(body.bytes().length + 1))) {
            authorized().header(HEADER, bad).contentType("application/octet-stream").body(body.bytes())
                    .post("/v2/models/bin_multi/infer").then().statusCode(400).contentType("application/json")
                    .body("error", org.hamcrest.Matchers.startsWith("Inference-Header-Content-Length"));
        }
        byte[] extra = Arrays.copyOf(body.bytes(), body.bytes().length + 4);
        authorized().header(HEADER, body.headerLength()).contentType("application/octet-stream").body(extra)
                .post("/v2/models/bin_multi/infer").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.containsString("no input's 'parameters.binary_data_size' accounts for"));
    }
}
