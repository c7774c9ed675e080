package io.aiaas.localstack.bench;

import io.aiaas.engine.Tensor;
import io.aiaas.localstack.DemoSeeder;
import io.aiaas.localstack.Json;
import io.aiaas.onnx.builder.IrisDemo;
import io.aiaas.onnx.builder.OnnxModelBuilder;
import io.aiaas.onnx.builder.TestModels;
import io.aiaas.onnx.proto.TensorProto.DataType;
import io.aiaas.protocol.BinaryTensors;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A model under test: its ONNX bytes (built here by onnx-builder, so every run measures the same graph), the name it
 * is published under, and deterministic inputs of any batch size as an engine tensor and as an infer request body
 * (JSON or binary tensors).
 *
 * @param rowShape the shape of one row of the input (without the batch dimension): {@code [4]} for Iris,
 *     {@code [3, 48, 192]} for the convolutional classifier
 * @param pythonJson write the JSON body as a Python client does (each FP32 value as its float64 repr, {@code ", "}
 *     between values): the 556 KB body of issue 8 for the conv model; otherwise Jackson's Float.toString form
 */
public record BenchModel(String key, String servedName, String description, String inputName, long[] rowShape,
                         boolean pythonJson, byte[] onnx) {

    public static final List<String> NAMES = List.of("iris", "linear256", "mlp", "conv");
    /** Suffix of the name a model is published under a second time, served with dynamic batching on. */
    public static final String BATCHED_SUFFIX = "-batched";
    public static final int WIDE = 256;
    public static final int HIDDEN = 1024;
    public static final int MLP_CLASSES = 16;
    /** The convolutional classifier's input row, channels x height x width, and its classes. */
    public static final long[] CONV_INPUT = {3, 48, 192};
    public static final int CONV_CLASSES = 10;
    static final int CONV1_CHANNELS = 32;
    static final int CONV2_CHANNELS = 64;
    private static final long SEED = 42L;

    /** Builds the model called {@code key} (one of {@link #NAMES}). */
    public static BenchModel named(String key) {
        return switch (key) {
            // the same seed as the demo seeding, so the bytes (and the sha256) equal the published iris version
            case "iris" -> new BenchModel(key, DemoSeeder.MODEL, "Iris demo, logistic regression 4 -> 3",
                    IrisDemo.INPUT, new long[] {IrisDemo.FEATURES}, false, IrisDemo.train().onnx());
            case "linear256" -> new BenchModel(key, "bench-linear256", "softmax(x.W + b), 256 -> 256",
                    TestModels.Linear.INPUT, new long[] {WIDE}, false, linear256().onnx());
            case "mlp" -> new BenchModel(key, "bench-mlp", "MLP 256 -> 1024 -> 1024 -> 16, ReLU, softmax",
                    "x", new long[] {WIDE}, false, mlp().toBytes());
            case "conv" -> new BenchModel(key, "bench-conv", "CNN [3,48,192] -> conv 3x3/2 32, conv 3x3/2 64, "
                    + "global average pool, dense 10, softmax", "x", CONV_INPUT.clone(), true, conv().toBytes());
            default -> throw new IllegalArgumentException("unknown model '" + key + "'; known: " + NAMES);
        };
    }

    /** Values in one row of the input. */
    public int features() {
        long n = 1;
        for (long d : rowShape) {
            n *= d;
        }
        return (int) n;
    }

    /** The name of the second publication of this model, which the benchmark's worker batches. */
    public String batchedName() {
        return servedName.startsWith("bench-") ? servedName + BATCHED_SUFFIX : "bench-" + servedName + BATCHED_SUFFIX;
    }

    /** The name the worker and control-plane targets call: {@link #batchedName} with batching on. */
    public String servedName(boolean batching) {
        return batching ? batchedName() : servedName;
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

    /**
     * The convolutional classifier's weights, seeded (He-scaled): conv1 [32,3,3,3], conv2 [64,32,3,3], dense
     * [64,10], row-major as ONNX wants them.
     */
    public record Conv(float[] w1, float[] b1, float[] w2, float[] b2, float[] dense, float[] bias) {
    }

    public static Conv convWeights() {
        SplittableRandom random = new SplittableRandom(SEED + 2);
        int in = (int) CONV_INPUT[0];
        return new Conv(
                flat(random, CONV1_CHANNELS * in * 9, Math.sqrt(2.0 / (in * 9))), vector(random, CONV1_CHANNELS, 0.1),
                flat(random, CONV2_CHANNELS * CONV1_CHANNELS * 9, Math.sqrt(2.0 / (CONV1_CHANNELS * 9))),
                vector(random, CONV2_CHANNELS, 0.1),
                flat(random, CONV2_CHANNELS * CONV_CLASSES, 1.0 / Math.sqrt(CONV2_CHANNELS)),
                vector(random, CONV_CLASSES, 0.1));
    }

    /**
     * An image classifier of the size issue 8 describes ([N,3,48,192] FP32 in, 10 classes out, dynamic batch): two
     * 3x3 convolutions of stride 2 with padding 1 and ReLU (48x192 -> 24x96 -> 12x48), global average pooling,
     * a dense layer and softmax.
     */
    static OnnxModelBuilder conv() {
        Conv w = convWeights();
        int in = (int) CONV_INPUT[0];
        return OnnxModelBuilder.create("bench_conv")
                .input("x", DataType.FLOAT, -1, CONV_INPUT[0], CONV_INPUT[1], CONV_INPUT[2])
                .output("y", DataType.FLOAT, -1, CONV_CLASSES)
                .initializer("W1", w.w1(), CONV1_CHANNELS, in, 3, 3)
                .initializer("B1", w.b1(), CONV1_CHANNELS)
                .initializer("W2", w.w2(), CONV2_CHANNELS, CONV1_CHANNELS, 3, 3)
                .initializer("B2", w.b2(), CONV2_CHANNELS)
                .initializer("Wd", w.dense(), CONV2_CHANNELS, CONV_CLASSES)
                .initializer("bd", w.bias(), CONV_CLASSES)
                .node("Conv", List.of("x", "W1", "B1"), List.of("c1"), convAttributes())
                .node("Relu", "r1", "c1")
                .node("Conv", List.of("r1", "W2", "B2"), List.of("c2"), convAttributes())
                .node("Relu", "r2", "c2")
                .node("GlobalAveragePool", "pooled", "r2")
                .node("Flatten", "features", "pooled")
                .node("MatMul", "logits_m", "features", "Wd")
                .node("Add", "logits", "logits_m", "bd")
                .node("Softmax", "y", "logits");
    }

    private static io.aiaas.onnx.proto.AttributeProto[] convAttributes() {
        return new io.aiaas.onnx.proto.AttributeProto[] {
            OnnxModelBuilder.intsAttribute("kernel_shape", 3, 3),
            OnnxModelBuilder.intsAttribute("strides", 2, 2),
            OnnxModelBuilder.intsAttribute("pads", 1, 1, 1, 1)};
    }

    /** Weights of the MLP and its forward pass in plain Java (double accumulation). */
    public record Mlp(float[][] w1, float[] b1, float[][] w2, float[] b2, float[][] w3, float[] b3) {

        public float[] forward(float[] x) {
            float[] h1 = relu(dense(x, w1, b1));
            float[] h2 = relu(dense(h1, w2, b2));
            return TestModels.softmax(dense(h2, w3, b3));
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
        int features = features();
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

    /** The input's shape for {@code rows}: the batch, then {@link #rowShape}. */
    public long[] shape(float[] rows) {
        long[] shape = new long[rowShape.length + 1];
        shape[0] = rows.length / features();
        System.arraycopy(rowShape, 0, shape, 1, rowShape.length);
        return shape;
    }

    /** The engine tensor of {@link #rows}, for the in-process target. */
    public Tensor tensor(float[] rows) {
        return Tensor.ofFp32(inputName, shape(rows), rows);
    }

    /** The Open Inference Protocol body of {@link #rows}, serialized once so no target pays for JSON writing. */
    public byte[] requestBody(float[] rows) {
        List<Long> shape = new ArrayList<>();
        for (long d : shape(rows)) {
            shape.add(d);
        }
        if (pythonJson) {
            StringBuilder json = new StringBuilder(rows.length * 22 + 200);
            json.append("{\"inputs\": [{\"name\": \"").append(inputName).append("\", \"shape\": ")
                    .append(shape.toString()).append(", \"datatype\": \"FP32\", \"data\": [");
            for (int k = 0; k < rows.length; k++) {
                json.append(k == 0 ? "" : ", ").append(Double.toString(rows[k]));
            }
            return json.append("]}]}").toString().getBytes(StandardCharsets.UTF_8);
        }
        Map<String, Object> input = Map.of("name", inputName, "datatype", "FP32", "shape", shape, "data", rows);
        return Json.write(Map.of("inputs", List.of(input))).getBytes(StandardCharsets.UTF_8);
    }

    /** A request body in the binary tensor extension: the JSON inference header, then the tensor's bytes. */
    public record BinaryBody(byte[] body, int headerLength) {
    }

    /**
     * The binary tensor form of {@link #rows}, as Triton's HTTP client sends it: the input with
     * {@code parameters.binary_data_size} and its little-endian bytes after the JSON, and each of {@code outputs}
     * asked for with {@code parameters.binary_data: true}.
     */
    public BinaryBody binaryBody(float[] rows, List<String> outputs) {
        Tensor tensor = tensor(rows);
        byte[] data = BinaryTensors.toBytes(tensor);
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("name", inputName);
        input.put("shape", tensor.shape());
        input.put("datatype", "FP32");
        input.put("parameters", Map.of("binary_data_size", data.length));
        List<Map<String, Object>> wanted = new ArrayList<>();
        for (String output : outputs) {
            wanted.add(Map.of("name", output, "parameters", Map.of("binary_data", true)));
        }
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("inputs", List.of(input));
        request.put("outputs", wanted);
        byte[] header = Json.write(request).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream(header.length + data.length);
        body.writeBytes(header);
        body.writeBytes(data);
        return new BinaryBody(body.toByteArray(), header.length);
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

    private static float[] flat(SplittableRandom random, int n, double scale) {
        return vector(random, n, scale);
    }

    private static float[] vector(SplittableRandom random, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }
}
