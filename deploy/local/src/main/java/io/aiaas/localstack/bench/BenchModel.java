package io.aiaas.localstack.bench;

import io.aiaas.engine.Tensor;
import io.aiaas.localstack.DemoSeeder;
import io.aiaas.localstack.Json;
import io.aiaas.onnx.builder.IrisDemo;
import io.aiaas.onnx.builder.OnnxModelBuilder;
import io.aiaas.onnx.builder.TestModels;
import io.aiaas.onnx.proto.TensorProto.DataType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A model under test: its ONNX bytes (built here by onnx-builder, so every run measures the same graph), the name it
 * is published under, and deterministic inputs of any batch size as an engine tensor and as an infer request body.
 */
public record BenchModel(String key, String servedName, String description, String inputName, int features,
                         byte[] onnx) {

    public static final List<String> NAMES = List.of("iris", "linear256", "mlp");
    public static final int WIDE = 256;
    public static final int HIDDEN = 1024;
    public static final int MLP_CLASSES = 16;
    private static final long SEED = 42L;

    /** Builds the model called {@code key} (one of {@link #NAMES}). */
    public static BenchModel named(String key) {
        return switch (key) {
            // the same seed as the demo seeding, so the bytes (and the sha256) equal the published iris version
            case "iris" -> new BenchModel(key, DemoSeeder.MODEL, "Iris demo, logistic regression 4 -> 3",
                    IrisDemo.INPUT, IrisDemo.FEATURES, IrisDemo.train().onnx());
            case "linear256" -> new BenchModel(key, "bench-linear256", "softmax(x.W + b), 256 -> 256",
                    TestModels.Linear.INPUT, WIDE, linear256().onnx());
            case "mlp" -> new BenchModel(key, "bench-mlp", "MLP 256 -> 1024 -> 1024 -> 16, ReLU, softmax",
                    "x", WIDE, mlp().toBytes());
            default -> throw new IllegalArgumentException("unknown model '" + key + "'; known: " + NAMES);
        };
    }

    /** {@link TestModels#linear} with 256 x 256 seeded weights. */
    public static TestModels.Linear linear256() {
        SplittableRandom random = new SplittableRandom(SEED);
        return TestModels.linear(matrix(random, WIDE, WIDE, 1.0 / Math.sqrt(WIDE)), vector(random, WIDE, 0.1));
    }

    /** The MLP's weights, seeded; {@link Mlp#forward} is its plain-Java reference. */
    public static Mlp mlpWeights() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        return new Mlp(matrix(random, WIDE, HIDDEN, 1.0 / Math.sqrt(WIDE)), vector(random, HIDDEN, 0.1),
                matrix(random, HIDDEN, HIDDEN, 1.0 / Math.sqrt(HIDDEN)), vector(random, HIDDEN, 0.1),
                matrix(random, HIDDEN, MLP_CLASSES, 1.0 / Math.sqrt(HIDDEN)), vector(random, MLP_CLASSES, 0.1));
    }

    static OnnxModelBuilder mlp() {
        Mlp w = mlpWeights();
        return OnnxModelBuilder.create("bench_mlp")
                .input("x", DataType.FLOAT, -1, WIDE)
                .output("y", DataType.FLOAT, -1, MLP_CLASSES)
                .initializer("W1", OnnxModelBuilder.flatten(w.w1()), WIDE, HIDDEN)
                .initializer("b1", w.b1(), HIDDEN)
                .initializer("W2", OnnxModelBuilder.flatten(w.w2()), HIDDEN, HIDDEN)
                .initializer("b2", w.b2(), HIDDEN)
                .initializer("W3", OnnxModelBuilder.flatten(w.w3()), HIDDEN, MLP_CLASSES)
                .initializer("b3", w.b3(), MLP_CLASSES)
                .node("MatMul", "h1m", "x", "W1")
                .node("Add", "h1a", "h1m", "b1")
                .node("Relu", "h1", "h1a")
                .node("MatMul", "h2m", "h1", "W2")
                .node("Add", "h2a", "h2m", "b2")
                .node("Relu", "h2", "h2a")
                .node("MatMul", "logits_m", "h2", "W3")
                .node("Add", "logits", "logits_m", "b3")
                .node("Softmax", "y", "logits");
    }

    /** Weights of the MLP and its forward pass in plain Java (double accumulation). */
    public record Mlp(float[][] w1, float[] b1, float[][] w2, float[] b2, float[][] w3, float[] b3) {

        public float[] forward(float[] x) {
            float[] h1 = relu(dense(x, w1, b1));
            float[] h2 = relu(dense(h1, w2, b2));
            float[] logits = dense(h2, w3, b3);
            double max = Double.NEGATIVE_INFINITY;
            for (float v : logits) {
                max = Math.max(max, v);
            }
            double sum = 0;
            double[] e = new double[logits.length];
            for (int j = 0; j < logits.length; j++) {
                e[j] = Math.exp(logits[j] - max);
                sum += e[j];
            }
            float[] y = new float[logits.length];
            for (int j = 0; j < y.length; j++) {
                y[j] = (float) (e[j] / sum);
            }
            return y;
        }

        private static float[] dense(float[] x, float[][] w, float[] b) {
            float[] out = new float[b.length];
            for (int j = 0; j < b.length; j++) {
                double acc = b[j];
                for (int i = 0; i < x.length; i++) {
                    acc += (double) x[i] * w[i][j];
                }
                out[j] = (float) acc;
            }
            return out;
        }

        private static float[] relu(float[] v) {
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.max(0f, v[i]);
            }
            return v;
        }
    }

    /** {@code batch} rows of inputs, row-major, the same for every run (Iris: the data set's rows in turn). */
    public float[] rows(int batch) {
        float[] data = new float[batch * features];
        if (key.equals("iris")) {
            float[][] all = IrisDemo.load().features();
            for (int r = 0; r < batch; r++) {
                System.arraycopy(all[r % all.length], 0, data, r * features, features);
            }
            return data;
        }
        SplittableRandom random = new SplittableRandom(SEED + batch);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return data;
    }

    /** The engine tensor of {@link #rows}, for the in-process target. */
    public Tensor tensor(float[] rows) {
        return Tensor.ofFp32(inputName, new long[] {rows.length / features, features}, rows);
    }

    /** The Open Inference Protocol body of {@link #rows}, serialized once so no target pays for JSON writing. */
    public byte[] requestBody(float[] rows) {
        Map<String, Object> input = Map.of("name", inputName, "datatype", "FP32",
                "shape", List.of(rows.length / features, features), "data", rows);
        return Json.write(Map.of("inputs", List.of(input))).getBytes(StandardCharsets.UTF_8);
    }

    private static float[][] matrix(SplittableRandom random, int rows, int cols, double scale) {
        float[][] m = new float[rows][cols];
        for (float[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) ((random.nextDouble() * 2 - 1) * scale);
            }
        }
        return m;
    }

    private static float[] vector(SplittableRandom random, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }
}
