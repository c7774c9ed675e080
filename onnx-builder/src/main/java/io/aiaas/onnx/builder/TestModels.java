package io.aiaas.onnx.builder;

import io.aiaas.onnx.proto.StringStringEntryProto;
import io.aiaas.onnx.proto.TensorProto;
import io.aiaas.onnx.proto.TensorProto.DataType;
import java.util.List;

/** Ready-made ONNX models for the tests of the other modules, each with a plain-Java reference where it computes. */
public final class TestModels {

    /** One Identity per datatype in {@link #identityAllTypes()}: input {@code in_<suffix>}, output {@code out_<suffix>}. */
    public record IdentityType(String suffix, DataType dataType) {
        public String inputName() {
            return "in_" + suffix;
        }

        public String outputName() {
            return "out_" + suffix;
        }
    }

    /** The datatypes of {@link #identityAllTypes()}, in the order of the Open Inference Protocol table. */
    public static final List<IdentityType> IDENTITY_TYPES = List.of(
            new IdentityType("bool", DataType.BOOL),
            new IdentityType("uint8", DataType.UINT8),
            new IdentityType("uint16", DataType.UINT16),
            new IdentityType("uint32", DataType.UINT32),
            new IdentityType("uint64", DataType.UINT64),
            new IdentityType("int8", DataType.INT8),
            new IdentityType("int16", DataType.INT16),
            new IdentityType("int32", DataType.INT32),
            new IdentityType("int64", DataType.INT64),
            new IdentityType("fp16", DataType.FLOAT16),
            new IdentityType("fp32", DataType.FLOAT),
            new IdentityType("fp64", DataType.DOUBLE),
            new IdentityType("string", DataType.STRING));

    /** {@code y = Softmax(x · W + b)} with x FP32 [-1, n], y FP32 [-1, k]; {@link #forward} is the reference. */
    public record Linear(float[][] weights, float[] bias, byte[] onnx) {
        public static final String INPUT = "x";
        public static final String OUTPUT = "y";

        public int inputs() {
            return weights.length;
        }

        public int classes() {
            return bias.length;
        }

        public float[][] forward(float[][] x) {
            float[][] y = new float[x.length][];
            for (int r = 0; r < x.length; r++) {
                float[] logits = bias.clone();
                for (int j = 0; j < logits.length; j++) {
                    for (int i = 0; i < weights.length; i++) {
                        logits[j] += x[r][i] * weights[i][j];
                    }
                }
                y[r] = softmax(logits);
            }
            return y;
        }
    }

    private TestModels() {
    }

    public static Linear linear(float[][] weights, float[] bias) {
        int n = weights.length;
        int k = bias.length;
        byte[] onnx = OnnxModelBuilder.create("linear")
                .input(Linear.INPUT, DataType.FLOAT, -1, n)
                .output(Linear.OUTPUT, DataType.FLOAT, -1, k)
                .initializer("W", OnnxModelBuilder.flatten(weights), n, k)
                .initializer("b", bias, k)
                .node("MatMul", "xw", Linear.INPUT, "W")
                .node("Add", "logits", "xw", "b")
                .node("Softmax", Linear.OUTPUT, "logits")
                .toBytes();
        return new Linear(weights, bias, onnx);
    }

    /** A 3-feature, 2-class {@link #linear} with fixed weights. */
    public static Linear linear() {
        return linear(new float[][] {{0.5f, -0.25f}, {1.0f, 0.75f}, {-0.5f, 0.125f}}, new float[] {0.1f, -0.2f});
    }

    /** Identity for every type of {@link #IDENTITY_TYPES}, shapes [-1]. */
    public static byte[] identityAllTypes() {
        OnnxModelBuilder builder = OnnxModelBuilder.create("identity_all_types");
        for (IdentityType type : IDENTITY_TYPES) {
            builder.input(type.inputName(), type.dataType(), -1)
                    .output(type.outputName(), type.dataType(), -1)
                    .node("Identity", type.outputName(), type.inputName());
        }
        return builder.toBytes();
    }

    /** Zero-dimensional FP32 inputs {@code a}, {@code b} and output {@code sum = a + b}. */
    public static byte[] scalarAdd() {
        return OnnxModelBuilder.create("scalar_add")
                .input("a", DataType.FLOAT)
                .input("b", DataType.FLOAT)
                .output("sum", DataType.FLOAT)
                .node("Add", "sum", "a", "b")
                .toBytes();
    }

    /**
     * Inputs {@code count} INT64 [-1] and {@code value} FP32 [-1, 3];
     * outputs {@code count_plus_one = count + 1} INT64 [-1] and {@code value_doubled = value * 2} FP32 [-1, 3].
     */
    public static byte[] multiInputOutput() {
        return OnnxModelBuilder.create("multi_io")
                .input("count", DataType.INT64, -1)
                .input("value", DataType.FLOAT, -1, 3)
                .output("count_plus_one", DataType.INT64, -1)
                .output("value_doubled", DataType.FLOAT, -1, 3)
                .initializer("one", new long[] {1L})
                .initializer("two", new float[] {2f})
                .node("Add", "count_plus_one", "count", "one")
                .node("Mul", "value_doubled", "value", "two")
                .toBytes();
    }

    /** x FP32 [-1, 2] times an initializer whose data lies in {@code weights.bin}, a file that does not exist. */
    public static byte[] withExternalData() {
        return withExternalData("weights.bin", "0", "16");
    }

    /** W of {@link #externalDataArchive()}: [[1, 2], [3, 4]] as 16 bytes of little-endian FP32, so [1, 1] x W = [4, 6]. */
    public static final float[] EXTERNAL_WEIGHTS = {1f, 2f, 3f, 4f};

    /**
     * x FP32 [-1, 2] times W [2, 2], whose data lies in an external file: {@code location}, {@code offset} and
     * {@code length} as the model states them (null: the entry is left out).
     */
    public static byte[] withExternalData(String location, String offset, String length) {
        TensorProto.Builder external = TensorProto.newBuilder()
                .setName("W")
                .setDataType(DataType.FLOAT.getNumber())
                .addDims(2).addDims(2)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL);
        if (location != null) {
            external.addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location));
        }
        if (offset != null) {
            external.addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(offset));
        }
        if (length != null) {
            external.addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(length));
        }
        return OnnxModelBuilder.create("external_data")
                .input("x", DataType.FLOAT, -1, 2)
                .output("y", DataType.FLOAT, -1, 2)
                .initializer(external.build())
                .node("MatMul", "y", "x", "W")
                .toBytes();
    }

    /** {@link #EXTERNAL_WEIGHTS} as the bytes of a data file, after {@code padding} bytes of something else. */
    public static byte[] externalWeights(int padding) {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(padding + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < padding; i++) {
            bytes.put((byte) 0x7f);
        }
        for (float w : EXTERNAL_WEIGHTS) {
            bytes.putFloat(w);
        }
        return bytes.array();
    }

    /**
     * A model with its weights in a data file, as one zip archive the way a user saves one with
     * {@code onnx.save(model, "model/model.onnx", save_as_external_data=True)} and zips the folder:
     * {@code model/model.onnx} and {@code model/weights.bin} (W after 8 bytes of padding, at offset 8).
     */
    public static byte[] externalDataArchive() {
        java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        entries.put("model/model.onnx", withExternalData("weights.bin", "8", "16"));
        entries.put("model/weights.bin", externalWeights(8));
        return zip(entries);
    }

    /** A zip archive of these entries, in this order (a name ending in / is a directory entry). */
    public static byte[] zip(java.util.Map<String, byte[]> entries) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            for (java.util.Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new java.util.zip.ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** x FP32 [-1, -1] (both dimensions dynamic), y = x + x of the same shape. */
    public static byte[] dynamic2d() {
        return OnnxModelBuilder.create("dynamic_2d")
                .input("x", DataType.FLOAT, -1, -1)
                .output("y", DataType.FLOAT, -1, -1)
                .node("Add", "y", "x", "x")
                .toBytes();
    }

    /** The class names of {@link #zipMapClassifier()}, by class index. */
    public static final List<String> ZIPMAP_LABELS = List.of("setosa", "versicolor", "virginica");

    /**
     * A classifier laid out as scikit-learn exports one by default (skl2onnx without options): input {@code features}
     * FP32 [-1, 3] through {@link #linear()}-style scores ({@code ZIPMAP_WEIGHTS}, bias 0) and Softmax; outputs
     * {@code output_label} STRING [-1] (ArgMax, then {@code ai.onnx.ml} LabelEncoder to the names of
     * {@link #ZIPMAP_LABELS}) and {@code output_probability}, a sequence of maps from class name to probability
     * ({@code ai.onnx.ml} ZipMap), which is not a tensor. {@link #zipMapLabel} is the reference of the label.
     */
    public static byte[] zipMapClassifier() {
        return OnnxModelBuilder.create("zipmap_classifier")
                .opset("ai.onnx.ml", 3)
                .input("features", DataType.FLOAT, -1, 3)
                .output("output_label", DataType.STRING, -1)
                .outputSequenceOfMaps("output_probability", DataType.STRING, DataType.FLOAT)
                .initializer("W", OnnxModelBuilder.flatten(ZIPMAP_WEIGHTS), 3, 3)
                .node("MatMul", "scores", "features", "W")
                .node("Softmax", "probabilities", "scores")
                .node("ArgMax", List.of("probabilities"), List.of("label_index"),
                        OnnxModelBuilder.intAttribute("axis", 1), OnnxModelBuilder.intAttribute("keepdims", 0))
                .node("ai.onnx.ml", "LabelEncoder", List.of("label_index"), List.of("output_label"),
                        OnnxModelBuilder.intsAttribute("keys_int64s", 0, 1, 2),
                        OnnxModelBuilder.stringsAttribute("values_strings", ZIPMAP_LABELS.toArray(String[]::new)),
                        OnnxModelBuilder.stringAttribute("default_string", "unknown"))
                .node("ai.onnx.ml", "ZipMap", List.of("probabilities"), List.of("output_probability"),
                        OnnxModelBuilder.stringsAttribute("classlabels_strings", ZIPMAP_LABELS.toArray(String[]::new)))
                .toBytes();
    }

    /** The weights of {@link #zipMapClassifier()}: feature i votes for class i, with a little of the others. */
    static final float[][] ZIPMAP_WEIGHTS = {{2f, 0.5f, 0f}, {0f, 2f, 0.5f}, {0.5f, 0f, 2f}};

    /** The label {@link #zipMapClassifier()} answers for one row of features (the class of the largest score). */
    public static String zipMapLabel(float[] features) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < 3; j++) {
            double score = 0;
            for (int i = 0; i < 3; i++) {
                score += features[i] * ZIPMAP_WEIGHTS[i][j];
            }
            if (score > bestScore) {
                best = j;
                bestScore = score;
            }
        }
        return ZIPMAP_LABELS.get(best);
    }

    /** Softmax of one row of logits, summed in double precision (the reference the test models are checked by). */
    public static float[] softmax(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        double[] exp = new double[logits.length];
        for (int j = 0; j < logits.length; j++) {
            exp[j] = Math.exp(logits[j] - max);
            sum += exp[j];
        }
        float[] result = new float[logits.length];
        for (int j = 0; j < logits.length; j++) {
            result[j] = (float) (exp[j] / sum);
        }
        return result;
    }
}
