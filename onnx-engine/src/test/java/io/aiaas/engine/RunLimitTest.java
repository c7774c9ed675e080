package io.aiaas.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.onnx.builder.OnnxModelBuilder;
import io.aiaas.onnx.proto.GraphProto;
import io.aiaas.onnx.proto.TensorProto.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model whose work the input sizes (a Loop trip count) cannot hold a thread beyond the engine's run limit. */
class RunLimitTest {

    @TempDir
    Path dir;

    /** {@code state + 1} repeated {@code steps} times, with no scan output, so only time grows with steps. */
    private static byte[] countingLoop() {
        GraphProto body = OnnxModelBuilder.subgraph("step")
                .input("iteration", DataType.INT64)
                .input("keep_going", DataType.BOOL)
                .input("s_in", DataType.FLOAT, -1)
                .output("keep_going_out", DataType.BOOL)
                .output("s_out", DataType.FLOAT, -1)
                .node("Identity", "keep_going_out", "keep_going")
                .node("Add", "s_out", "s_in", "one")
                .graph();
        return OnnxModelBuilder.create("counting_loop")
                .input("steps", DataType.INT64)
                .input("state", DataType.FLOAT, -1)
                .output("final_state", DataType.FLOAT, -1)
                .initializer("one", new float[] {1f})
                .node("Loop", List.of("steps", "", "state"), List.of("final_state"),
                        OnnxModelBuilder.graphAttribute("body", body))
                .toBytes();
    }

    private static List<Tensor> inputs(long steps) {
        return List.of(Tensor.ofInt64("steps", new long[0], new long[] {steps}),
                Tensor.ofFp32("state", new long[] {1}, new float[] {0f}));
    }

    @Test
    void aRunLongerThanTheLimitIsStoppedAndBlamedOnItsInput() throws Exception {
        Path file = Files.write(dir.resolve("loop.onnx"), countingLoop());
        try (OnnxEngine engine = new OnnxEngine(EngineOptions.cpu().withMaxRunTime(Duration.ofMillis(300)));
                LoadedModel model = engine.load(file)) {
            InferenceResult small = model.run(inputs(5), Set.of());
            assertArrayEquals(new float[] {5f}, small.outputs().get(0).floats());

            long started = System.nanoTime();
            ModelRejectedInputException e = assertThrows(ModelRejectedInputException.class,
                    () -> model.run(inputs(Long.MAX_VALUE), Set.of()));
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(e.getMessage().contains("longer than the limit of 300 ms"), e.getMessage());
            assertTrue(tookMillis < 5_000, "stopped after " + tookMillis + " ms");

            // the session is fine afterwards: the next run is not affected by the stopped one
            assertArrayEquals(new float[] {7f}, model.run(inputs(7), Set.of()).outputs().get(0).floats());
        }
    }

    @Test
    void withoutALimitOptionsStayUnset() {
        assertEquals(null, EngineOptions.cpu().maxRunTime());
        assertEquals(null, EngineOptions.cpu().withMaxRunTime(Duration.ZERO).maxRunTime());
        assertEquals(Duration.ofSeconds(2), EngineOptions.cpu().withMaxRunTime(Duration.ofSeconds(2)).maxRunTime());
    }
}
