package io.aiaas.worker.support;

import io.aiaas.onnx.builder.OnnxModelBuilder;
import io.aiaas.onnx.proto.GraphProto;
import io.aiaas.onnx.proto.TensorProto.DataType;

import java.util.List;
import java.util.Random;

/** Models for the batching tests and the throughput harness, built at test time. */
public final class BatchModels {

    private BatchModels() {
    }

    /** {@code y = Relu(x · W1 + b1) · W2 + b2}, x FP32 [-1, in], y FP32 [-1, out]; weights from a fixed seed. */
    public static byte[] mlp(int in, int hidden, int out) {
        Random random = new Random(42);
        return OnnxModelBuilder.create("mlp")
                .input("x", DataType.FLOAT, -1, in)
                .output("y", DataType.FLOAT, -1, out)
                .initializer("W1", values(random, in * hidden), in, hidden)
                .initializer("b1", values(random, hidden), hidden)
                .initializer("W2", values(random, hidden * out), hidden, out)
                .initializer("b2", values(random, out), out)
                .node("MatMul", "h0", "x", "W1")
                .node("Add", "h1", "h0", "b1")
                .node("Relu", "h", "h1")
                .node("MatMul", "y0", "h", "W2")
                .node("Add", "y", "y0", "b2")
                .toBytes();
    }

    /**
     * {@code y = GatherElements(x, idx, axis=1)}: x FP32 [-1, 4], idx INT64 [-1, 1], y FP32 [-1, 1]. An index
     * outside 0..3 passes every shape check and fails only when the model runs.
     */
    public static byte[] gather() {
        return OnnxModelBuilder.create("gather")
                .input("x", DataType.FLOAT, -1, 4)
                .input("idx", DataType.INT64, -1, 1)
                .output("y", DataType.FLOAT, -1, 1)
                .node("GatherElements", List.of("x", "idx"), List.of("y"),
                        OnnxModelBuilder.intAttribute("axis", 1))
                .toBytes();
    }

    /** {@code y = Relu(x)} with a fixed batch dimension: x and y FP32 [2, 3]. */
    public static byte[] fixedBatch() {
        return OnnxModelBuilder.create("fixed")
                .input("x", DataType.FLOAT, 2, 3)
                .output("y", DataType.FLOAT, 2, 3)
                .node("Relu", "y", "x")
                .toBytes();
    }

    /**
     * {@code final_state = state + steps} computed by a Loop of {@code steps} iterations: steps INT64 [-1] (one
     * element), state and final_state FP32 [-1]. Only the run time grows with steps, so a request can hold a batcher.
     */
    public static byte[] slowCounter() {
        GraphProto body = OnnxModelBuilder.subgraph("step")
                .input("iteration", DataType.INT64)
                .input("keep_going", DataType.BOOL)
                .input("s_in", DataType.FLOAT, -1)
                .output("keep_going_out", DataType.BOOL)
                .output("s_out", DataType.FLOAT, -1)
                .node("Identity", "keep_going_out", "keep_going")
                .node("Add", "s_out", "s_in", "one")
                .graph();
        return OnnxModelBuilder.create("slow_counter")
                .input("steps", DataType.INT64, -1)
                .input("state", DataType.FLOAT, -1)
                .output("final_state", DataType.FLOAT, -1)
                .initializer("one", new float[] {1f})
                .node("Loop", List.of("steps", "", "state"), List.of("final_state"),
                        OnnxModelBuilder.graphAttribute("body", body))
                .toBytes();
    }

    private static float[] values(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian() * 0.5f;
        }
        return v;
    }
}
