package io.aiaas.platform.gateway.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.aiaas.protocol.InferenceCodec;
import io.aiaas.protocol.grpc.InferParameter;
import io.aiaas.protocol.grpc.InferTensorContents;
import io.aiaas.protocol.grpc.ModelInferRequest;
import io.aiaas.protocol.grpc.ModelInferRequest.InferInputTensor;
import io.aiaas.protocol.grpc.ModelInferResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gRPC messages as binary tensor bodies and back, without a server: layouts, parameters, refusals. */
class InferBodiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static InferInputTensor.Builder input(String name, String type, long... shape) {
        InferInputTensor.Builder input = InferInputTensor.newBuilder().setName(name).setDatatype(type);
        for (long dim : shape) {
            input.addShape(dim);
        }
        return input;
    }

    private static JsonNode header(InferBodies.Body body) throws Exception {
        return JSON.readTree(Arrays.copyOf(body.bytes(), body.headerLength()));
    }

    private static byte[] data(InferBodies.Body body) {
        return Arrays.copyOfRange(body.bytes(), body.headerLength(), body.bytes().length);
    }

    @Test
    void typedContentsAreLaidOutAsTritonRawData() throws Exception {
        ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("m")
                .putParameters("priority", InferParameter.newBuilder().setInt64Param(3).build())
                .addInputs(input("s", "BYTES", 2).setContents(InferTensorContents.newBuilder()
                        .addBytesContents(ByteString.copyFromUtf8("ab")).addBytesContents(ByteString.EMPTY)))
                .addInputs(input("i", "INT8", 2).setContents(InferTensorContents.newBuilder()
                        .addIntContents(-1).addIntContents(127)))
                .addInputs(input("u", "UINT16", 1).setContents(InferTensorContents.newBuilder().addUintContents(65535)))
                .addInputs(input("b", "BOOL", 2).setContents(InferTensorContents.newBuilder()
                        .addBoolContents(true).addBoolContents(false)))
                .build();
        InferBodies.Body body = InferBodies.toBody(request);
        assertArrayEquals(new byte[] {2, 0, 0, 0, 'a', 'b', 0, 0, 0, 0, -1, 127, -1, -1, 1, 0}, data(body));
        JsonNode header = header(body);
        assertEquals(10, header.at("/inputs/0/parameters/binary_data_size").asInt());
        assertEquals(2, header.at("/inputs/3/parameters/binary_data_size").asInt());
        assertEquals(3, header.at("/parameters/priority").asInt());
        assertTrue(header.at("/parameters/binary_data_output").asBoolean(), "outputs come back binary");
        // the worker's own decoder reads the body as the same tensors
        var decoded = new InferenceCodec().decode(body.bytes(), Integer.toString(body.headerLength()));
        assertEquals(List.of("ab", ""), Arrays.stream(decoded.inputs().get(0).byteStrings())
                .map(b -> new String(b, StandardCharsets.UTF_8)).toList());
    }

    @Test
    void namedOutputsAreAskedForAsBinaryWithTheirParameters() throws Exception {
        ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("m").setId("abc")
                .addInputs(input("x", "FP32", 1)).addRawInputContents(ByteString.copyFrom(new byte[4]))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("y")
                        .putParameters("binary_data", InferParameter.newBuilder().setBoolParam(false).build())
                        .putParameters("classification", InferParameter.newBuilder().setInt64Param(2).build()))
                .build();
        JsonNode header = header(InferBodies.toBody(request));
        assertEquals("abc", header.get("id").asText());
        assertEquals("y", header.at("/outputs/0/name").asText());
        assertTrue(header.at("/outputs/0/parameters/binary_data").asBoolean());
        assertEquals(2, header.at("/outputs/0/parameters/classification").asInt());
        assertTrue(header.at("/parameters/binary_data_output").isMissingNode());
    }

    @Test
    void outOfRangeAndMissingDataAreRefused() {
        assertThrows(InferBodies.MalformedRequest.class, () -> InferBodies.toBody(ModelInferRequest.newBuilder()
                .addInputs(input("i", "INT8", 1).setContents(InferTensorContents.newBuilder().addIntContents(128)))
                .build()));
        assertThrows(InferBodies.MalformedRequest.class, () -> InferBodies.toBody(ModelInferRequest.newBuilder()
                .addInputs(input("x", "FP32", 2)).build()));
        assertThrows(InferBodies.MalformedRequest.class, () -> InferBodies.toBody(ModelInferRequest.newBuilder()
                .addInputs(input("h", "FP16", 1).setContents(InferTensorContents.newBuilder().addFp32Contents(1)))
                .build()));
        assertThrows(InferBodies.MalformedRequest.class, () -> InferBodies.toBody(ModelInferRequest.newBuilder()
                .addInputs(input("x", "FP32", -1, 3)).addRawInputContents(ByteString.EMPTY).build()));
    }

    @Test
    void binaryAndJsonOutputsOfAnAnswerBothBecomeRawContents() {
        String json = "{\"model_name\":\"m\",\"model_version\":\"2\",\"id\":\"q\",\"outputs\":["
                + "{\"name\":\"a\",\"datatype\":\"INT32\",\"shape\":[1],\"parameters\":{\"binary_data_size\":4}},"
                + "{\"name\":\"b\",\"datatype\":\"FP64\",\"shape\":[1],\"data\":[0.5]}]}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        byte[] body = Arrays.copyOf(header, header.length + 4);
        body[header.length] = 7;
        ModelInferResponse response = InferBodies.toResponse(body, Integer.toString(header.length));
        assertEquals("2", response.getModelVersion());
        assertEquals("q", response.getId());
        assertArrayEquals(new byte[] {7, 0, 0, 0}, response.getRawOutputContents(0).toByteArray());
        assertEquals(0.5, java.nio.ByteBuffer.wrap(response.getRawOutputContents(1).toByteArray())
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getDouble());
        assertTrue(response.getOutputs(0).getParametersMap().isEmpty(), "binary_data_size is the transport's");
        assertThrows(IllegalStateException.class, () -> InferBodies.toResponse(body, "9999"));
    }
}
