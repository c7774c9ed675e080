package io.aiaas.onnx.builder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.aiaas.onnx.proto.ModelProto;
import io.aiaas.onnx.proto.TensorProto;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestModelsTest {

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private static OrtSession session(byte[] model) throws OrtException {
        return ENV.createSession(model, new OrtSession.SessionOptions());
    }

    @Test
    void linearModelMatchesJavaReferenceInOnnxRuntime() throws Exception {
        TestModels.Linear linear = TestModels.linear();
        float[][] x = {{1f, 2f, 3f}, {-1f, 0.5f, 0f}, {0f, 0f, 0f}, {10f, -3f, 2f}};
        try (OrtSession session = session(linear.onnx());
             OnnxTensor input = OnnxTensor.createTensor(ENV, x);
             OrtSession.Result result = session.run(Map.of("x", input))) {
            float[][] actual = (float[][]) result.get("y").orElseThrow().getValue();
            float[][] expected = linear.forward(x);
            for (int r = 0; r < x.length; r++) {
                assertArrayEquals(expected[r], actual[r], 1e-5f, "row " + r);
            }
        }
    }

    @Test
    void linearModelDeclaresDynamicBatchAndFixedFeatures() throws Exception {
        try (OrtSession session = session(TestModels.linear().onnx())) {
            TensorInfo x = (TensorInfo) session.getInputInfo().get("x").getInfo();
            assertArrayEquals(new long[] {-1, 3}, x.getShape());
            TensorInfo y = (TensorInfo) session.getOutputInfo().get("y").getInfo();
            assertArrayEquals(new long[] {-1, 2}, y.getShape());
        }
    }

    @Test
    void identityModelHasOneInputAndOutputPerDatatype() throws Exception {
        try (OrtSession session = session(TestModels.identityAllTypes())) {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            assertEquals(TestModels.IDENTITY_TYPES.size(), inputs.size());
            for (TestModels.IdentityType type : TestModels.IDENTITY_TYPES) {
                TensorInfo info = (TensorInfo) inputs.get(type.inputName()).getInfo();
                // ORT Java numbers its element types differently from ONNX, so compare by name.
                assertEquals("ONNX_TENSOR_ELEMENT_DATA_TYPE_" + type.dataType().name(), info.onnxType.name());
                assertArrayEquals(new long[] {-1}, info.getShape());
                assertTrue(session.getOutputNames().contains(type.outputName()));
            }
        }
    }

    @Test
    void scalarAddAddsZeroDimensionalTensors() throws Exception {
        try (OrtSession session = session(TestModels.scalarAdd());
             OnnxTensor a = OnnxTensor.createTensor(ENV, 1.5f);
             OnnxTensor b = OnnxTensor.createTensor(ENV, 2.25f);
             OrtSession.Result result = session.run(Map.of("a", a, "b", b))) {
            OnnxTensor sum = (OnnxTensor) result.get("sum").orElseThrow();
            assertEquals(0, sum.getInfo().getShape().length);
            assertEquals(3.75f, (float) sum.getValue(), 1e-6f);
        }
    }

    @Test
    void multiInputOutputComputesBothOutputs() throws Exception {
        try (OrtSession session = session(TestModels.multiInputOutput());
             OnnxTensor count = OnnxTensor.createTensor(ENV, LongBuffer.wrap(new long[] {1, 41}), new long[] {2});
             OnnxTensor value = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(new float[] {1, 2, 3, 4, 5, 6}),
                     new long[] {2, 3});
             OrtSession.Result result = session.run(Map.of("count", count, "value", value))) {
            assertArrayEquals(new long[] {2, 42}, (long[]) result.get("count_plus_one").orElseThrow().getValue());
            float[][] doubled = (float[][]) result.get("value_doubled").orElseThrow().getValue();
            assertArrayEquals(new float[] {2, 4, 6}, doubled[0]);
            assertArrayEquals(new float[] {8, 10, 12}, doubled[1]);
        }
    }

    @Test
    void dynamic2dAcceptsAnyMatrixShape() throws Exception {
        try (OrtSession session = session(TestModels.dynamic2d())) {
            TensorInfo x = (TensorInfo) session.getInputInfo().get("x").getInfo();
            assertArrayEquals(new long[] {-1, -1}, x.getShape());
            try (OnnxTensor input = OnnxTensor.createTensor(ENV, new float[][] {{1, 2, 3, 4, 5}});
                 OrtSession.Result result = session.run(Map.of("x", input))) {
                float[][] y = (float[][]) result.get("y").orElseThrow().getValue();
                assertArrayEquals(new float[] {2, 4, 6, 8, 10}, y[0]);
            }
        }
    }

    @Test
    void externalDataModelDeclaresExternalInitializerThatOnnxRuntimeCannotFind(@TempDir Path dir)
            throws Exception {
        byte[] bytes = TestModels.withExternalData();
        TensorProto weights = ModelProto.parseFrom(bytes).getGraph().getInitializer(0);
        assertEquals(TensorProto.DataLocation.EXTERNAL, weights.getDataLocation());
        assertEquals("weights.bin", weights.getExternalData(0).getValue());
        Path file = Files.write(dir.resolve("model.onnx"), bytes);
        assertThrows(OrtException.class, () -> ENV.createSession(file.toString(), new OrtSession.SessionOptions()));
    }

    @Test
    void builderWritesFileAndRejectsWrongInitializerSize(@TempDir Path dir) throws Exception {
        Path file = OnnxModelBuilder.create("g")
                .input("x", TensorProto.DataType.FLOAT, -1)
                .output("y", TensorProto.DataType.FLOAT, -1)
                .node("Identity", "y", "x")
                .write(dir.resolve("sub/m.onnx"));
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(file));
        assertEquals(8, model.getIrVersion());
        assertEquals(17, model.getOpsetImport(0).getVersion());
        assertThrows(IllegalArgumentException.class,
                () -> OnnxModelBuilder.create("g").initializer("w", new float[] {1, 2, 3}, 2, 2));
    }
}
