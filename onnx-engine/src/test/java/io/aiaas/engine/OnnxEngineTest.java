package io.aiaas.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.aiaas.onnx.builder.IrisDemo;
import io.aiaas.onnx.builder.RealModels;
import io.aiaas.onnx.builder.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxEngineTest {

    @TempDir
    static Path dir;
    static OnnxEngine engine;

    @BeforeAll
    static void start() {
        engine = new OnnxEngine(EngineOptions.cpu());
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static LoadedModel load(String name, byte[] onnx) throws Exception {
        return engine.load(Files.write(dir.resolve(name + ".onnx"), onnx));
    }

    @Test
    void linearModelOutputsEqualTheJavaReference() throws Exception {
        TestModels.Linear linear = TestModels.linear();
        float[][] x = {{1f, 2f, 3f}, {-1f, 0.5f, 0f}, {4f, -2f, 0.25f}};
        try (LoadedModel model = load("linear", linear.onnx())) {
            InferenceResult result = model.run(List.of(Tensor.ofFp32("x", new long[] {3, 3}, flatten(x))), Set.of());
            Tensor y = result.outputs().get(0);
            assertEquals("y", y.name());
            assertEquals(TensorType.FP32, y.type());
            assertArrayEquals(new long[] {3, 2}, y.shape());
            assertArrayEquals(flatten(linear.forward(x)), y.floats(), 1e-5f);
            assertEquals("cpu", result.device());
            assertTrue(result.computeNanos() > 0);
        }
    }

    @Test
    void signatureReportsNamesDatatypesAndDynamicDimensions() throws Exception {
        try (LoadedModel linear = load("sig-linear", TestModels.linear().onnx());
             LoadedModel scalar = load("sig-scalar", TestModels.scalarAdd());
             LoadedModel dynamic = load("sig-dynamic", TestModels.dynamic2d());
             LoadedModel multi = load("sig-multi", TestModels.multiInputOutput())) {
            assertEquals(new ModelSignature(
                    List.of(new TensorSpec("x", TensorType.FP32, new long[] {-1, 3})),
                    List.of(new TensorSpec("y", TensorType.FP32, new long[] {-1, 2}))), linear.signature());
            assertEquals(List.of(new TensorSpec("a", TensorType.FP32, new long[0]),
                    new TensorSpec("b", TensorType.FP32, new long[0])), scalar.signature().inputs());
            assertArrayEquals(new long[] {-1, -1}, dynamic.signature().inputs().get(0).shape());
            assertEquals(List.of(new TensorSpec("count_plus_one", TensorType.INT64, new long[] {-1}),
                    new TensorSpec("value_doubled", TensorType.FP32, new long[] {-1, 3})),
                    multi.signature().outputs());
            assertEquals("cpu", linear.device());
        }
    }

    @Test
    void everyDatatypeRoundTripsThroughIdentity() throws Exception {
        List<Tensor> inputs = List.of(
                Tensor.ofBool("in_bool", new long[] {3}, new boolean[] {true, false, true}),
                Tensor.ofUint8("in_uint8", new long[] {3}, new byte[] {0, (byte) 255, 7}),
                Tensor.ofUint16("in_uint16", new long[] {3}, new short[] {0, (short) 65535, 1234}),
                Tensor.ofUint32("in_uint32", new long[] {3}, new int[] {0, -1, 123456}),
                Tensor.ofUint64("in_uint64", new long[] {3}, new long[] {0, -1L, Long.MAX_VALUE}),
                Tensor.ofInt8("in_int8", new long[] {3}, new byte[] {Byte.MIN_VALUE, Byte.MAX_VALUE, 0}),
                Tensor.ofInt16("in_int16", new long[] {3}, new short[] {Short.MIN_VALUE, Short.MAX_VALUE, -1}),
                Tensor.ofInt32("in_int32", new long[] {3}, new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, 0}),
                Tensor.ofInt64("in_int64", new long[] {3}, new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 42}),
                Tensor.ofFp16("in_fp16", new long[] {3}, new float[] {0.5f, -2f, 65504f}),
                Tensor.ofFp32("in_fp32", new long[] {3}, new float[] {1.25f, -0f, Float.MAX_VALUE}),
                Tensor.ofFp64("in_fp64", new long[] {3}, new double[] {Math.PI, -1e300, Double.MIN_VALUE}),
                Tensor.ofStrings("in_string", new long[] {3}, "", "héllo", "日本語"));
        try (LoadedModel model = load("identity", TestModels.identityAllTypes())) {
            InferenceResult result = model.run(inputs, Set.of());
            assertEquals(inputs.size(), result.outputs().size());
            for (Tensor input : inputs) {
                String output = input.name().replace("in_", "out_");
                Tensor actual = result.output(output).orElseThrow();
                assertEquals(input.type(), actual.type(), output);
                assertArrayEquals(input.shape(), actual.shape(), output);
                if (input.type() == TensorType.BYTES) {
                    assertArrayEquals(input.strings(), actual.strings(), output);
                } else {
                    assertTrue(java.util.Objects.deepEquals(input.data(), actual.data()), output);
                }
            }
        }
    }

    @Test
    void aScikitLearnStyleClassifierServesItsLabelsAndOmitsTheZipMapOutput() throws Exception {
        try (LoadedModel model = load("zipmap", TestModels.zipMapClassifier())) {
            ModelSignature signature = model.signature();
            assertEquals(List.of("output_label"), signature.outputs().stream().map(TensorSpec::name).toList());
            assertEquals(TensorType.BYTES, signature.outputs().get(0).datatype());
            assertEquals(List.of(new ModelSignature.OmittedOutput("output_probability",
                    "a sequence of maps from string to float")), signature.omittedOutputs());
            float[][] rows = {{3f, 0f, 0f}, {0f, 3f, 0.5f}, {0.1f, 0f, 4f}, {1f, 1.2f, 0.9f}};
            float[] flat = new float[rows.length * 3];
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(rows[r], 0, flat, r * 3, 3);
            }
            InferenceResult result = model.run(List.of(Tensor.ofFp32("features", new long[] {rows.length, 3}, flat)),
                    Set.of());
            Tensor labels = result.output("output_label").orElseThrow();
            assertArrayEquals(new long[] {rows.length}, labels.shape());
            for (int r = 0; r < rows.length; r++) {
                assertEquals(TestModels.zipMapLabel(rows[r]), labels.strings()[r], "row " + r);
            }
            assertEquals(1, result.outputs().size(), "only the tensor output comes back");
            InvalidInputException asked = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
                    () -> model.run(List.of(Tensor.ofFp32("features", new long[] {1, 3}, new float[3])),
                            Set.of("output_probability")));
            assertEquals("output 'output_probability' is a sequence of maps from string to float, which the inference"
                    + " protocol cannot carry; the model serves [output_label]", asked.getMessage());
            assertEquals(WarmUp.zeros(), model.warmUpWithZeros());
        }
    }

    @Test
    void initializersDeclaredAsInputsAreDefaultsNotRequiredInputs() throws Exception {
        // IR 3 (the ONNX model zoo's older models, PyTorch's keep_initializers_as_inputs): every initializer is also a
        // graph input; callers send only the real inputs, and the weights keep their stored values
        byte[] onnx = io.aiaas.onnx.builder.OnnxModelBuilder.create("initializers_as_inputs").irVersion(3).opset(9)
                .input("x", io.aiaas.onnx.proto.TensorProto.DataType.FLOAT, -1, 2)
                .input("W", io.aiaas.onnx.proto.TensorProto.DataType.FLOAT, 2, 2)
                .output("y", io.aiaas.onnx.proto.TensorProto.DataType.FLOAT, -1, 2)
                .initializer("W", new float[] {1f, 2f, 3f, 4f}, 2, 2)
                .node("MatMul", "y", "x", "W")
                .toBytes();
        try (LoadedModel model = load("initializers-as-inputs", onnx)) {
            assertEquals(List.of("x"), model.signature().inputs().stream().map(TensorSpec::name).toList());
            Tensor y = model.run(List.of(Tensor.ofFp32("x", new long[] {1, 2}, new float[] {1f, 1f})), Set.of())
                    .outputs().get(0);
            assertArrayEquals(new float[] {4f, 6f}, y.floats());
            assertEquals(WarmUp.zeros(), model.warmUpWithZeros());
        }
    }

    @Test
    void fp16ValuesAreRoundedToHalfPrecisionAtTheEdge() throws Exception {
        try (LoadedModel model = load("identity-fp16", TestModels.identityAllTypes())) {
            List<Tensor> inputs = new ArrayList<>();
            for (TensorSpec spec : model.signature().inputs()) {
                inputs.add(Tensor.zeros(spec.name(), spec.datatype(), new long[] {1}));
            }
            inputs.set(inputs.indexOf(inputs.stream().filter(t -> t.name().equals("in_fp16")).findFirst()
                    .orElseThrow()), Tensor.ofFp16("in_fp16", new long[] {1}, new float[] {0.1f}));
            float half = model.run(inputs, Set.of("out_fp16")).outputs().get(0).floats()[0];
            assertEquals(0.0999755859375f, half, 0f);
        }
    }

    @Test
    void scalarInputsAndOutputsHaveEmptyShape() throws Exception {
        try (LoadedModel model = load("scalar", TestModels.scalarAdd())) {
            InferenceResult result = model.run(List.of(
                    Tensor.ofFp32("a", new long[0], new float[] {1.5f}),
                    Tensor.ofFp32("b", new long[0], new float[] {2.25f})), Set.of());
            Tensor sum = result.outputs().get(0);
            assertArrayEquals(new long[0], sum.shape());
            assertArrayEquals(new float[] {3.75f}, sum.floats());
        }
    }

    @Test
    void multipleInputsProduceBothOutputsOrTheRequestedSubset() throws Exception {
        List<Tensor> inputs = List.of(
                Tensor.ofInt64("count", new long[] {2}, new long[] {1, 41}),
                Tensor.ofFp32("value", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
        try (LoadedModel model = load("multi", TestModels.multiInputOutput())) {
            InferenceResult all = model.run(inputs, Set.of());
            assertEquals(List.of("count_plus_one", "value_doubled"),
                    all.outputs().stream().map(Tensor::name).toList());
            assertArrayEquals(new long[] {2, 42}, all.output("count_plus_one").orElseThrow().longs());
            assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, all.output("value_doubled").orElseThrow().floats());

            InferenceResult subset = model.run(inputs, Set.of("value_doubled"));
            assertEquals(List.of("value_doubled"), subset.outputs().stream().map(Tensor::name).toList());

            InvalidInputException unknown = assertThrows(InvalidInputException.class,
                    () -> model.run(inputs, Set.of("nope")));
            assertTrue(unknown.getMessage().contains("'nope'"), unknown.getMessage());
        }
    }

    @Test
    void dynamicDimensionsAcceptAnySize() throws Exception {
        try (LoadedModel model = load("dynamic", TestModels.dynamic2d())) {
            Tensor y = model.run(List.of(Tensor.ofFp32("x", new long[] {2, 4}, new float[] {1, 2, 3, 4, 5, 6, 7, 8})),
                    Set.of()).outputs().get(0);
            assertArrayEquals(new long[] {2, 4}, y.shape());
            assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12, 14, 16}, y.floats());
            Tensor empty = model.run(List.of(Tensor.ofFp32("x", new long[] {0, 3}, new float[0])), Set.of())
                    .outputs().get(0);
            assertArrayEquals(new long[] {0, 3}, empty.shape());
        }
    }

    @Test
    void irisModelReturnsProbabilitiesAndLabels() throws Exception {
        IrisDemo.Trained iris = IrisDemo.train();
        float[][] x = iris.test().features();
        try (LoadedModel model = load("iris", iris.onnx())) {
            InferenceResult result = model.run(List.of(Tensor.ofFp32(IrisDemo.INPUT,
                    new long[] {x.length, 4}, flatten(x))), Set.of());
            assertArrayEquals(flatten(iris.probabilities(x)), result.output(IrisDemo.PROBABILITIES).orElseThrow()
                    .floats(), 1e-5f);
            assertArrayEquals(iris.labels(x), result.output(IrisDemo.LABEL).orElseThrow().longs());
        }
    }

    @Test
    void modelWithExternalDataIsRejectedBeforeOnnxRuntimeOpensIt() throws Exception {
        Path file = Files.write(dir.resolve("external.onnx"), TestModels.withExternalData());
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> engine.load(file));
        assertTrue(e.getMessage().startsWith("model references external data file 'weights.bin'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("upload a self-contained model, or a zip archive of the model and its data files"), e.getMessage());
    }

    @Test
    void garbageBytesAreRejectedWithOnnxRuntimesReason() throws Exception {
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        Path file = Files.write(dir.resolve("garbage.onnx"), garbage);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> engine.load(file));
        assertTrue(e.getMessage().startsWith("ONNX Runtime cannot load the model: "), e.getMessage());
        assertTrue(e.getMessage().length() > "ONNX Runtime cannot load the model: ".length() + 5, e.getMessage());

        Path text = Files.writeString(dir.resolve("text.onnx"), "this is not a model");
        assertThrows(ModelLoadException.class, () -> engine.load(text));
    }

    @Test
    void anOperatorOnnxRuntimeDoesNotHaveRefusesTheModelNamingIt() throws Exception {
        // a custom operator of another runtime, as exports for TensorRT or a vendor's plugin carry them
        byte[] onnx = io.aiaas.onnx.builder.OnnxModelBuilder.create("custom_op").opset("com.example.vendor", 1)
                .input("x", io.aiaas.onnx.proto.TensorProto.DataType.FLOAT, -1)
                .output("y", io.aiaas.onnx.proto.TensorProto.DataType.FLOAT, -1)
                .node("com.example.vendor", "FancyActivation", List.of("x"), List.of("y"))
                .toBytes();
        Path file = Files.write(dir.resolve("custom-op.onnx"), onnx);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> engine.load(file));
        assertTrue(e.getMessage().startsWith("ONNX Runtime cannot load the model: "), e.getMessage());
        assertTrue(e.getMessage().contains("FancyActivation"), e.getMessage());
    }

    @Test
    void inputsThatAreNotTensorsOrOnlyOutputsThatAreNotTensorsRefuseTheModel() throws Exception {
        byte[] sequenceInput = io.aiaas.onnx.builder.OnnxModelBuilder.create("sequence_input")
                .inputSequence("s", io.aiaas.onnx.proto.TensorProto.DataType.FLOAT)
                .output("n", io.aiaas.onnx.proto.TensorProto.DataType.INT64)
                .node("SequenceLength", "n", "s")
                .toBytes();
        ModelLoadException input = assertThrows(ModelLoadException.class,
                () -> engine.load(Files.write(dir.resolve("sequence-input.onnx"), sequenceInput)));
        assertEquals("input 's' is a sequence of float tensors, not a tensor; only tensor inputs are supported",
                input.getMessage());
        byte[] onlyZipMap = io.aiaas.onnx.builder.OnnxModelBuilder.create("only_zipmap").opset("ai.onnx.ml", 3)
                .input("p", io.aiaas.onnx.proto.TensorProto.DataType.FLOAT, -1, 2)
                .outputSequenceOfMaps("m", io.aiaas.onnx.proto.TensorProto.DataType.STRING,
                        io.aiaas.onnx.proto.TensorProto.DataType.FLOAT)
                .node("ai.onnx.ml", "ZipMap", List.of("p"), List.of("m"),
                        io.aiaas.onnx.builder.OnnxModelBuilder.stringsAttribute("classlabels_strings", "a", "b"))
                .toBytes();
        ModelLoadException output = assertThrows(ModelLoadException.class,
                () -> engine.load(Files.write(dir.resolve("only-zipmap.onnx"), onlyZipMap)));
        assertEquals("no output of the model is a tensor (['m' is a sequence of maps from string to float]); the"
                + " inference protocol carries only tensors", output.getMessage());
        byte[] bfloat16 = io.aiaas.onnx.builder.OnnxModelBuilder.create("bfloat16")
                .input("x", io.aiaas.onnx.proto.TensorProto.DataType.BFLOAT16, -1)
                .output("y", io.aiaas.onnx.proto.TensorProto.DataType.BFLOAT16, -1)
                .node("Identity", "y", "x")
                .toBytes();
        ModelLoadException type = assertThrows(ModelLoadException.class,
                () -> engine.load(Files.write(dir.resolve("bfloat16.onnx"), bfloat16)));
        assertTrue(type.getMessage().startsWith("input 'x' has ONNX element type"), type.getMessage());
        assertTrue(type.getMessage().endsWith("which the inference protocol cannot carry"), type.getMessage());
    }

    @Test
    void missingFileIsRejected() {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> engine.load(dir.resolve("none.onnx")));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void badInputsAreRejectedNamingTheTensor() throws Exception {
        try (LoadedModel model = load("bad-inputs", TestModels.multiInputOutput())) {
            Tensor count = Tensor.ofInt64("count", new long[] {1}, new long[] {1});
            Tensor value = Tensor.ofFp32("value", new long[] {1, 3}, new float[] {1, 2, 3});

            assertRejected(model, List.of(count, value, Tensor.ofFp32("extra", new long[] {1}, new float[] {1})),
                    "unknown input 'extra'");
            assertRejected(model, List.of(count), "missing input 'value'");
            assertRejected(model, List.of(count, Tensor.ofFp64("value", new long[] {1, 3}, new double[3])),
                    "input 'value' has datatype FP64 but the model expects FP32");
            assertRejected(model, List.of(count, Tensor.ofFp32("value", new long[] {3}, new float[3])),
                    "input 'value' has shape [3] but the model expects [-1, 3]");
            assertRejected(model, List.of(count, Tensor.ofFp32("value", new long[] {1, 4}, new float[4])),
                    "input 'value' has shape [1, 4]");
            assertRejected(model, List.of(count, value, count), "input 'count' is given more than once");
        }
        try (LoadedModel scalar = load("bad-scalar", TestModels.scalarAdd())) {
            assertRejected(scalar, List.of(Tensor.ofFp32("a", new long[] {1}, new float[1]),
                    Tensor.ofFp32("b", new long[0], new float[1])), "input 'a' has shape [1]");
        }
    }

    private static void assertRejected(LoadedModel model, List<Tensor> inputs, String expected) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> model.run(inputs, Set.of()));
        assertTrue(e.getMessage().startsWith(expected), "'" + e.getMessage() + "' should start with " + expected);
    }

    @Test
    void warmUpRunsEveryModelOnZeros() throws Exception {
        for (byte[] onnx : List.of(TestModels.identityAllTypes(), TestModels.scalarAdd(), TestModels.dynamic2d(),
                TestModels.multiInputOutput(), TestModels.linear().onnx(), RealModels.anyRank())) {
            try (LoadedModel model = load("warm" + onnx.length, onnx)) {
                assertEquals(WarmUp.zeros(), model.warmUpWithZeros());
            }
        }
        try (LoadedModel refusing = load("warm-refusing", RealModels.vocabularyEmbedding().onnx())) {
            // a model that refuses zeros is reported, not thrown
            assertEquals(WarmUp.Status.SKIPPED, refusing.warmUpWithZeros().status());
        }
    }

    @Test
    void inputWithoutShapeAcceptsAnyRankWhileAScalarStaysStrict() throws Exception {
        try (LoadedModel any = load("any-rank", RealModels.anyRank());
             LoadedModel scalar = load("scalar-strict", TestModels.scalarAdd())) {
            TensorSpec x = any.signature().inputs().get(0);
            assertEquals(TensorSpec.anyRank("x", TensorType.FP32), x);
            assertFalse(x.rankKnown());
            assertEquals(-1, x.rank());
            assertFalse(x.isScalar());
            assertEquals(null, x.shape());
            assertFalse(any.signature().outputs().get(0).rankKnown());
            for (long[] shape : List.of(new long[0], new long[] {3}, new long[] {2, 2}, new long[] {1, 2, 1, 2})) {
                int count = (int) Tensor.elementCount("x", shape);
                float[] data = new float[count];
                java.util.Arrays.fill(data, 1.5f);
                Tensor y = any.run(List.of(Tensor.ofFp32("x", shape, data)), Set.of()).outputs().get(0);
                assertArrayEquals(shape, y.shape());
                assertEquals(3f, y.floats()[0]);
            }
            TensorSpec a = scalar.signature().inputs().get(0);
            assertTrue(a.rankKnown());
            assertTrue(a.isScalar());
            assertRejected(scalar, List.of(Tensor.ofFp32("a", new long[] {1}, new float[1]),
                    Tensor.ofFp32("b", new long[0], new float[1])), "input 'a' has shape [1] but the model expects []");
        }
    }

    @Test
    void concurrentRunsOnOneModelAllGetTheirOwnAnswers() throws Exception {
        TestModels.Linear linear = TestModels.linear();
        try (LoadedModel model = load("concurrent", linear.onnx())) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Boolean>> futures = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int seed = t;
                    futures.add(pool.submit(() -> {
                        Random random = new Random(seed);
                        for (int i = 0; i < 200; i++) {
                            int rows = 1 + random.nextInt(4);
                            float[][] x = new float[rows][3];
                            for (float[] row : x) {
                                for (int c = 0; c < 3; c++) {
                                    row[c] = random.nextFloat() * 4 - 2;
                                }
                            }
                            float[] y = model.run(List.of(Tensor.ofFp32("x", new long[] {rows, 3}, flatten(x))),
                                    Set.of()).outputs().get(0).floats();
                            float[] expected = flatten(linear.forward(x));
                            for (int k = 0; k < y.length; k++) {
                                if (Math.abs(y[k] - expected[k]) > 1e-5f) {
                                    return false;
                                }
                            }
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> future : futures) {
                    assertTrue(future.get(60, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void closedModelRefusesRunsAndEngineCloseClosesModels() throws Exception {
        LoadedModel model = load("closing", TestModels.scalarAdd());
        List<Tensor> inputs = List.of(Tensor.ofFp32("a", new long[0], new float[] {1}),
                Tensor.ofFp32("b", new long[0], new float[] {2}));
        model.close();
        model.close();
        EngineUnavailableException closed = assertThrows(EngineUnavailableException.class,
                () -> model.run(inputs, Set.of()));
        assertEquals("model is closed", closed.getMessage());

        try (OnnxEngine other = new OnnxEngine(EngineOptions.cpu())) {
            LoadedModel open = other.load(dir.resolve("closing.onnx"));
            other.close();
            assertThrows(EngineUnavailableException.class, () -> open.run(inputs, Set.of()));
        }
    }

    @Test
    void autoUsesCpuWithoutCudaAndExplicitCudaFailsClearly() {
        Assumptions.assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
                "this ONNX Runtime has CUDA; the GPU check covers it");
        try (OnnxEngine auto = new OnnxEngine(EngineOptions.defaults())) {
            assertEquals("cpu", auto.defaultDevice());
        }
        EngineException e = assertThrows(EngineException.class,
                () -> new OnnxEngine(new EngineOptions(EngineOptions.Device.CUDA, 1, 1, 0)));
        assertTrue(e.getMessage().startsWith("CUDA was requested but cannot be used: this ONNX Runtime build has no "
                + "CUDA execution provider"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(set aiaas.worker.cuda.allow-cpu-fallback=true to start on CPU instead)"),
                e.getMessage());
    }

    @Test
    void explicitCudaWithTheFallbackAllowedRunsOnCpuAndSaysWhy() throws Exception {
        Assumptions.assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
                "this ONNX Runtime has CUDA; the GPU check covers it");
        EngineOptions options = new EngineOptions(EngineOptions.Device.CUDA, 1, 1, 0)
                .withCuda(new CudaOptions(1L << 30, CudaOptions.ArenaExtendStrategy.SAME_AS_REQUESTED, null, true));
        try (OnnxEngine engine = new OnnxEngine(options)) {
            assertEquals("cpu", engine.defaultDevice());
            assertTrue(engine.fallbackReason().startsWith("this ONNX Runtime build has no CUDA execution provider"),
                    engine.fallbackReason());
            try (LoadedModel model = engine.load(Files.write(dir.resolve("fallback.onnx"), TestModels.linear().onnx()))) {
                assertEquals("cpu", model.device());
            }
        }
        try (OnnxEngine auto = new OnnxEngine(EngineOptions.defaults())) {
            assertEquals(null, auto.fallbackReason(), "AUTO choosing CPU is not a fallback");
        }
    }

    @Test
    void optionsRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new EngineOptions(EngineOptions.Device.CPU, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new EngineOptions(EngineOptions.Device.CPU, 1, 1, -1));
        assertFalse(EngineOptions.defaults().device() != EngineOptions.Device.AUTO);
    }

    static float[] flatten(float[][] matrix) {
        int columns = matrix.length == 0 ? 0 : matrix[0].length;
        float[] flat = new float[matrix.length * columns];
        for (int r = 0; r < matrix.length; r++) {
            System.arraycopy(matrix[r], 0, flat, r * columns, columns);
        }
        return flat;
    }
}
