package io.aiaas.protocol;

import io.aiaas.engine.Tensor;
import io.aiaas.engine.TensorType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InferenceCodecTest {

    private final InferenceCodec codec = new InferenceCodec();

    @Test
    void exampleRequestDecodesToEngineTensorsWithIdAndRequestedOutputs() {
        InferenceRequest request = codec.decode("""
                {"id": "example", "inputs": [
                  {"name": "mode", "datatype": "INT64", "shape": [], "data": 1},
                  {"name": "x", "datatype": "FP32", "shape": [2, 2], "data": [[1, 2], [3, 4]]}],
                 "outputs": [{"name": "y"}]}""".getBytes(StandardCharsets.UTF_8));
        assertEquals("example", request.id());
        assertEquals(List.of("y"), request.requestedOutputs());
        assertEquals(2, request.inputs().size());
        Tensor mode = request.inputs().get(0);
        assertEquals(TensorType.INT64, mode.type());
        assertArrayEquals(new long[0], mode.shape());
        assertArrayEquals(new long[] {1}, mode.longs());
        assertArrayEquals(new float[] {1, 2, 3, 4}, request.inputs().get(1).floats());
    }

    @Test
    void encodedAnswerIsTheProtocolsResponseObject() {
        byte[] json = codec.encode(new InferenceResponse("m", "3", null,
                List.of(Tensor.ofFp32("y", new long[] {2}, new float[] {0.5f, -1f}))));
        assertEquals("{\"model_name\":\"m\",\"model_version\":\"3\",\"outputs\":["
                + "{\"name\":\"y\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[0.5,-1.0]}]}",
                new String(json, StandardCharsets.UTF_8));
    }

    @Test
    void streamsBelongToTheCaller() throws IOException {
        AtomicBoolean inClosed = new AtomicBoolean();
        ByteArrayInputStream in = new ByteArrayInputStream("{\"inputs\": []}".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                inClosed.set(true);
            }
        };
        codec.decode(in);
        assertFalse(inClosed.get(), "decode closed the caller's stream");

        AtomicBoolean outClosed = new AtomicBoolean();
        ByteArrayOutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                outClosed.set(true);
            }
        };
        codec.encode(new InferenceResponse("m", "1", "r", List.of()), out);
        assertFalse(outClosed.get(), "encode closed the caller's stream");
        assertEquals("{\"model_name\":\"m\",\"model_version\":\"1\",\"id\":\"r\",\"outputs\":[]}",
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void malformedExampleIsAProtocolErrorNamingTheTensor() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> codec.decode(
                "{\"inputs\": [{\"name\": \"ids\", \"datatype\": \"INT64\", \"shape\": [2], \"data\": [1]}]}"
                        .getBytes(StandardCharsets.UTF_8)));
        assertEquals("input 'ids': data has 1 values but shape [2] calls for 2", e.getMessage());
    }
}
