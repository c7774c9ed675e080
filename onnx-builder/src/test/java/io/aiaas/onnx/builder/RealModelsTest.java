package io.aiaas.onnx.builder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.aiaas.onnx.builder.RealModels.Pattern;
import io.aiaas.onnx.builder.RealModels.Values;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Each real-model pattern straight in ONNX Runtime, without the engine: it loads, answers its example, refuses. */
class RealModelsTest {

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private static OrtSession session(byte[] onnx) throws OrtException {
        return ENV.createSession(onnx, new OrtSession.SessionOptions());
    }

    private static Map<String, OnnxTensor> tensors(List<Values> values) throws OrtException {
        Map<String, OnnxTensor> map = new HashMap<>();
        for (Values v : values) {
            map.put(v.name(), v.data() instanceof long[] longs
                    ? OnnxTensor.createTensor(ENV, LongBuffer.wrap(longs), v.shape())
                    : OnnxTensor.createTensor(ENV, FloatBuffer.wrap(v.floats()), v.shape()));
        }
        return map;
    }

    private static Map<String, OnnxTensor> zeros(OrtSession session) throws OrtException {
        Map<String, OnnxTensor> map = new HashMap<>();
        for (var entry : session.getInputInfo().entrySet()) {
            TensorInfo info = (TensorInfo) entry.getValue().getInfo();
            long[] shape = info.getShape();
            int count = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = Math.max(shape[i], 1);
                count *= (int) shape[i];
            }
            map.put(entry.getKey(), info.type == OnnxJavaType.INT64
                    ? OnnxTensor.createTensor(ENV, LongBuffer.wrap(new long[count]), shape)
                    : OnnxTensor.createTensor(ENV, FloatBuffer.wrap(new float[count]), shape));
        }
        return map;
    }

    @TestFactory
    List<DynamicTest> everyPatternLoadsAnswersItsExampleAndRefusesItsRejectedValues() {
        return RealModels.all().stream().map(p -> DynamicTest.dynamicTest(p.name(), () -> check(p))).toList();
    }

    private static void check(Pattern p) throws OrtException {
        try (OrtSession session = session(p.onnx())) {
            assertEquals(p.example().stream().map(Values::name).collect(Collectors.toSet()),
                    session.getInputNames(), "example names every input");
            try (OrtSession.Result result = session.run(tensors(p.example()))) {
                for (Values expected : p.expected()) {
                    OnnxTensor actual = (OnnxTensor) result.get(expected.name()).orElseThrow();
                    assertArrayEquals(expected.shape(), actual.getInfo().getShape(), expected.name());
                    if (expected.data() instanceof long[] longs) {
                        long[] got = new long[longs.length];
                        actual.getLongBuffer().get(got);
                        assertArrayEquals(longs, got, expected.name());
                    } else {
                        float[] got = new float[expected.floats().length];
                        actual.getFloatBuffer().get(got);
                        assertArrayEquals(expected.floats(), got, 1e-5f, expected.name());
                    }
                }
            }
            OrtException rejected = assertThrows(OrtException.class, () -> session.run(tensors(p.rejected())));
            assertTrue(rejected.getMessage().contains("Name:'" + p.rejectedNode() + "'"), rejected.getMessage());
            if (p.zerosFail()) {
                assertThrows(OrtException.class, () -> session.run(zeros(session)));
            } else {
                session.run(zeros(session)).close();
            }
        }
    }

    @Test
    void zerosFailForTheBranchTheTokenIdAndTheLength() {
        assertTrue(RealModels.branchOnMode().zerosFail());
        assertTrue(RealModels.vocabularyEmbedding().zerosFail());
        assertTrue(RealModels.framesOfLength().zerosFail());
        assertEquals(7, RealModels.all().size());
        assertEquals(7, RealModels.all().stream().map(Pattern::name).collect(Collectors.toSet()).size());
    }

    @Test
    void examplesAreOpenInferenceProtocolRequests() {
        assertEquals("{\"inputs\": [{\"name\": \"mode\", \"datatype\": \"INT64\", \"shape\": [], \"data\": [2]}, "
                        + "{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [1.0, 2.0, 3.0, 4.0]}]}",
                RealModels.branchOnMode().rejectedRequest());
        assertTrue(RealModels.patchDetector().exampleRequest().contains("\"shape\": [1, 3, 64, 32]"));
    }

    @Test
    void referencesRefuseWhatTheModelsRefuse() {
        assertThrows(IllegalArgumentException.class, () -> RealModels.branchOnMode(0, new float[4]));
        assertThrows(IllegalArgumentException.class, () -> RealModels.vocabularyEmbedding(new long[] {0}));
        assertThrows(IllegalArgumentException.class, () -> RealModels.decodeLoop(0, new float[2]));
        assertThrows(IllegalArgumentException.class, () -> RealModels.rangeWithStep(10, 0));
        assertThrows(IllegalArgumentException.class, () -> RealModels.patchDetector(new float[3 * 48 * 32], 48, 32));
        assertArrayEquals(new long[] {0, -3, -6}, RealModels.rangeWithStep(-9, -3));
        assertArrayEquals(new long[] {0, 3, 6, 9}, RealModels.rangeWithStep(10, 3));
    }

    @Test
    void anyRankInputDeclaresNoShapeAndTakesAnyShape() throws OrtException {
        try (OrtSession session = session(RealModels.anyRank())) {
            TensorInfo x = (TensorInfo) session.getInputInfo().get("x").getInfo();
            // ONNX Runtime's Java API cannot tell this from a scalar: both report an empty shape.
            assertArrayEquals(new long[0], x.getShape());
            for (long[] shape : List.of(new long[0], new long[] {3}, new long[] {2, 2})) {
                int count = 1;
                for (long d : shape) {
                    count *= (int) d;
                }
                float[] data = new float[count];
                java.util.Arrays.fill(data, 1.5f);
                try (OnnxTensor in = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(data), shape);
                     OrtSession.Result r = session.run(Map.of("x", in))) {
                    OnnxTensor y = (OnnxTensor) r.get(0);
                    assertArrayEquals(shape, y.getInfo().getShape());
                    assertEquals(3f, y.getFloatBuffer().get(0));
                }
            }
        }
    }
}
