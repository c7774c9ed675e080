package io.aiaas.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.onnx.builder.RealModels;
import io.aiaas.onnx.builder.RealModels.Pattern;
import io.aiaas.onnx.builder.RealModels.Values;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The real-model patterns through the engine: warm-up outcome, example answers, clean client-error messages. */
class RealModelsTest {

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

    static LoadedModel load(Pattern p) throws Exception {
        return engine.load(Files.write(dir.resolve(p.name() + ".onnx"), p.onnx()));
    }

    static List<Tensor> tensors(List<Values> values) {
        return values.stream().map(v -> v.data() instanceof long[] longs
                ? Tensor.ofInt64(v.name(), v.shape(), longs)
                : Tensor.ofFp32(v.name(), v.shape(), v.floats())).toList();
    }

    /** What no message to a caller may contain. */
    static void assertClean(String message) {
        for (String internal : List.of("onnxruntime_src", ".cc:", ".h:", "onnxruntime::", "was false", "ErrorCode",
                "Error code - ", "Status Message", "java.", "io.aiaas")) {
            assertFalse(message.contains(internal), "'" + internal + "' in: " + message);
        }
    }

    @TestFactory
    List<DynamicTest> everyPatternWarmsUpAnswersItsExampleAndRejectsItsBadValuesCleanly() {
        return RealModels.all().stream().map(p -> DynamicTest.dynamicTest(p.name(), () -> {
            try (LoadedModel model = load(p)) {
                WarmUp zeros = model.warmUpWithZeros();
                if (p.zerosFail()) {
                    assertEquals(WarmUp.Status.SKIPPED, zeros.status());
                    assertTrue(zeros.reason().startsWith("zero-filled inputs failed: node '"), zeros.reason());
                    assertClean(zeros.reason());
                } else {
                    assertEquals(WarmUp.zeros(), zeros);
                }
                assertEquals(WarmUp.example(), model.warmUp(tensors(p.example())));

                InferenceResult result = model.run(tensors(p.example()), Set.of());
                for (Values expected : p.expected()) {
                    Tensor actual = result.output(expected.name()).orElseThrow();
                    assertArrayEquals(expected.shape(), actual.shape(), expected.name());
                    if (expected.data() instanceof long[] longs) {
                        assertArrayEquals(longs, actual.longs(), expected.name());
                    } else {
                        assertArrayEquals(expected.floats(), actual.floats(), 1e-5f, expected.name());
                    }
                }

                ModelRejectedInputException rejected = assertThrows(ModelRejectedInputException.class,
                        () -> model.run(tensors(p.rejected()), Set.of()));
                assertTrue(rejected.getMessage().startsWith("node '" + p.rejectedNode() + "' ("), rejected.getMessage());
                assertClean(rejected.getMessage());
                // an explicit example that fails is the caller's to judge: it throws rather than skipping
                assertThrows(ModelRejectedInputException.class, () -> model.warmUp(tensors(p.rejected())));
            }
        })).toList();
    }

    @Test
    void branchFailureNamesTheInnerNodeAndTheIfItRanIn() throws Exception {
        try (LoadedModel model = load(RealModels.branchOnMode())) {
            ModelRejectedInputException e = assertThrows(ModelRejectedInputException.class,
                    () -> model.run(tensors(RealModels.branchOnMode().rejected()), Set.of()));
            assertEquals("node 'unsupported/reshape_0' (Reshape) inside node 'if_1' (If): The input tensor cannot be "
                    + "reshaped to the requested shape. Input shape:{1,4}, requested shape:{7,5}", e.getMessage());
            WarmUp zeros = model.warmUpWithZeros();
            assertEquals("zero-filled inputs failed: node 'unsupported/reshape_0' (Reshape) inside node 'if_1' (If): "
                    + "The input tensor cannot be reshaped to the requested shape. Input shape:{1,4}, requested "
                    + "shape:{7,5}", zeros.reason());
        }
    }

    @Test
    void tokenIdOutOfTheVocabularyIsAnIndexOutOfRange() throws Exception {
        try (LoadedModel model = load(RealModels.vocabularyEmbedding())) {
            ModelRejectedInputException padding = assertThrows(ModelRejectedInputException.class,
                    () -> model.run(List.of(Tensor.ofInt64("ids", new long[] {1}, new long[] {0})), Set.of()));
            assertEquals("node 'gather_1' (Gather): indices element out of data bounds, idx=-100 must be within the "
                    + "inclusive range [-5,4]", padding.getMessage());
            ModelRejectedInputException beyond = assertThrows(ModelRejectedInputException.class,
                    () -> model.run(List.of(Tensor.ofInt64("ids", new long[] {2}, new long[] {2, 9})), Set.of()));
            assertEquals("node 'gather_0' (Gather): indices element out of data bounds, idx=9 must be within the "
                    + "inclusive range [-6,5]", beyond.getMessage());
        }
    }

    @Test
    void dynamicInputsOfDifferentLengthsFailToBroadcast() throws Exception {
        try (LoadedModel model = load(RealModels.pairwiseAdd())) {
            ModelRejectedInputException e = assertThrows(ModelRejectedInputException.class,
                    () -> model.run(tensors(RealModels.pairwiseAdd().rejected()), Set.of()));
            assertEquals("node 'add_0' (Add): Attempting to broadcast an axis by a dimension other than 1. 2 by 3",
                    e.getMessage());
            // a length-1 input broadcasts: not every difference is an error
            Tensor sum = model.run(List.of(Tensor.ofFp32("a", new long[] {1}, new float[] {1}),
                    Tensor.ofFp32("b", new long[] {3}, new float[] {1, 2, 3})), Set.of()).outputs().get(0);
            assertArrayEquals(new float[] {2, 3, 4}, sum.floats());
        }
    }

    @Test
    void imageSidesNotDivisibleBy32AreRejectedAndZeroSizedOnesAnswerEmpty() throws Exception {
        try (LoadedModel model = load(RealModels.patchDetector())) {
            ModelRejectedInputException e = assertThrows(ModelRejectedInputException.class, () -> model.run(
                    List.of(Tensor.ofFp32("image", new long[] {1, 3, 33, 64}, new float[3 * 33 * 64])), Set.of()));
            assertEquals("node 'reshape_6' (Reshape): The input tensor cannot be reshaped to the requested shape. "
                    + "Input shape:{1,3,33,64}, requested shape:{1,3,1,32,2,32}", e.getMessage());
            Tensor empty = model.run(List.of(Tensor.ofFp32("image", new long[] {1, 3, 0, 32}, new float[0])),
                    Set.of()).outputs().get(0);
            assertArrayEquals(new long[] {1, 3, 0, 1}, empty.shape());
        }
    }

    @Test
    void zeroStepsLeaveAnEmptyTraceAndRangeStepZeroIsRefused() throws Exception {
        try (LoadedModel loop = load(RealModels.decodeLoop());
             LoadedModel range = load(RealModels.rangeWithStep())) {
            ModelRejectedInputException empty = assertThrows(ModelRejectedInputException.class,
                    () -> loop.run(tensors(RealModels.decodeLoop().rejected()), Set.of()));
            assertEquals("node 'gather_1' (Gather): indices element out of data bounds, idx=-1 must be within the "
                    + "inclusive range [0,-1]", empty.getMessage());
            ModelRejectedInputException step = assertThrows(ModelRejectedInputException.class,
                    () -> range.run(tensors(RealModels.rangeWithStep().rejected()), Set.of()));
            assertEquals("node 'range_0' (Range): delta in Range operator can not be zero!", step.getMessage());
        }
    }

    @Test
    void aRangeLargerThanTheMachineIsTheInputsFaultNotAShortage() throws Exception {
        try (LoadedModel range = load(RealModels.rangeWithStep())) {
            ModelRejectedInputException e = assertThrows(ModelRejectedInputException.class, () -> range.run(List.of(
                    Tensor.ofInt64("limit", new long[0], new long[] {4_000_000_000_000_000L}),
                    Tensor.ofInt64("step", new long[0], new long[] {1})), Set.of()));
            assertEquals("node 'range_0' (Range): the input needs a buffer of 32000000000000000 bytes, more than this "
                    + "machine's memory", e.getMessage());
        }
    }

    @Test
    void warmUpWithoutExampleIsTheZerosOutcome() throws Exception {
        try (LoadedModel refusing = load(RealModels.framesOfLength());
             LoadedModel accepting = load(RealModels.pairwiseAdd())) {
            WarmUp skipped = refusing.warmUp(null);
            assertEquals(WarmUp.Status.SKIPPED, skipped.status());
            assertEquals("zero-filled inputs failed: node 'reshape_2' (Reshape): The dimension with value zero "
                    + "exceeds the dimension size of the input tensor.", skipped.reason());
            WarmUp zeros = accepting.warmUp(null);
            assertEquals(WarmUp.Status.ZEROS, zeros.status());
            assertNull(zeros.reason());
            // a malformed example is the caller's problem, named like any bad input
            InvalidInputException wrong = assertThrows(InvalidInputException.class,
                    () -> accepting.warmUp(List.of(Tensor.ofFp32("a", new long[] {1}, new float[] {1}))));
            assertEquals("missing input 'b'", wrong.getMessage());
        }
    }
}
