package io.aiaas.onnx.builder;

import static io.aiaas.onnx.builder.OnnxModelBuilder.graphAttribute;
import static io.aiaas.onnx.builder.OnnxModelBuilder.intAttribute;
import static io.aiaas.onnx.builder.OnnxModelBuilder.intsAttribute;

import io.aiaas.onnx.proto.GraphProto;
import io.aiaas.onnx.proto.TensorProto.DataType;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/**
 * Small models that reproduce how real models refuse some inputs at run time, although they load fine: a scalar
 * configuration input that selects an {@code If} branch, a token id that indexes an embedding, a length that sizes a
 * {@code Reshape}, a {@code Loop} trip count, a {@code Range} step, a detector that needs image sides divisible by 32,
 * two dynamic inputs that must have the same length. Several of them fail on zero-filled inputs.
 * <p>
 * Each comes as a {@link Pattern}: the model, a valid example request and a request it rejects (both in the Open
 * Inference Protocol JSON form, as an admin or a client would send them), and whether zeros fail. Plain-Java
 * references of what each computes are the static methods next to it.
 */
public final class RealModels {

    /**
     * One named tensor's values: {@code long[]} for INT64, {@code float[]} for FP32, flat row-major.
     *
     * @param datatype the Open Inference Protocol name (INT64, FP32)
     */
    public record Values(String name, String datatype, long[] shape, Object data) {

        public static Values int64(String name, long[] shape, long... data) {
            return new Values(name, "INT64", shape, data);
        }

        public static Values fp32(String name, long[] shape, float... data) {
            return new Values(name, "FP32", shape, data);
        }

        public long[] longs() {
            return (long[]) data;
        }

        public float[] floats() {
            return (float[]) data;
        }

        /** The OIP tensor object: {@code {"name", "datatype", "shape", "data"}}. */
        public String json() {
            StringJoiner dims = new StringJoiner(", ", "[", "]");
            Arrays.stream(shape).forEach(d -> dims.add(Long.toString(d)));
            StringJoiner values = new StringJoiner(", ", "[", "]");
            if (data instanceof long[] longs) {
                Arrays.stream(longs).forEach(v -> values.add(Long.toString(v)));
            } else {
                for (float v : (float[]) data) {
                    values.add(Float.toString(v));
                }
            }
            return "{\"name\": \"" + name + "\", \"datatype\": \"" + datatype + "\", \"shape\": " + dims
                    + ", \"data\": " + values + "}";
        }
    }

    /**
     * One model and how to call it.
     *
     * @param name         a model name to register it under
     * @param onnx         the serialized model
     * @param example      inputs the model answers
     * @param expected     what it answers to them (from the plain-Java reference)
     * @param rejected     inputs whose values the model refuses at run time
     * @param rejectedNode the node that refuses them, as ONNX Runtime names it
     * @param zerosFail    whether zero-filled inputs (dynamic dimensions 1) fail
     */
    public record Pattern(String name, byte[] onnx, List<Values> example, List<Values> expected,
                          List<Values> rejected, String rejectedNode, boolean zerosFail) {

        /** {@link #example} as an Open Inference Protocol infer request. */
        public String exampleRequest() {
            return request(example);
        }

        /** {@link #rejected} as an Open Inference Protocol infer request. */
        public String rejectedRequest() {
            return request(rejected);
        }
    }

    /** Every pattern of this class. */
    public static List<Pattern> all() {
        return List.of(branchOnMode(), vocabularyEmbedding(), framesOfLength(), decodeLoop(), rangeWithStep(),
                patchDetector(), pairwiseAdd());
    }

    private RealModels() {
    }

    // ---- (a) If on a scalar configuration input ----

    /** The embedding width of {@link #vocabularyEmbedding()}. */
    public static final int EMBEDDING_WIDTH = 3;
    /** The vocabulary size of {@link #vocabularyEmbedding()}: valid ids are 1..VOCABULARY. */
    public static final int VOCABULARY = 5;

    /**
     * {@code mode} INT64 [] selects what the model does with {@code x} FP32 [-1, 4]: mode 1 scales by 2; any other
     * mode takes the "unsupported" branch, which reshapes x to [7, 5] and fails for every x (its element count is a
     * multiple of 4). Zeros (mode 0) fail. Output {@code y} FP32 [-1, -1].
     */
    public static Pattern branchOnMode() {
        GraphProto scale = OnnxModelBuilder.subgraph("scale")
                .output("scaled", DataType.FLOAT, -1, 4)
                .node("Mul", "scaled", "x", "two")
                .graph();
        GraphProto unsupported = OnnxModelBuilder.subgraph("unsupported")
                .output("reshaped", DataType.FLOAT, 7, 5)
                .initializer("unsupported_shape", new long[] {7, 5}, 2)
                .node("Reshape", "reshaped", "x", "unsupported_shape")
                .graph();
        byte[] onnx = OnnxModelBuilder.create("branch_on_mode")
                .input("mode", DataType.INT64)
                .input("x", DataType.FLOAT, -1, 4)
                .output("y", DataType.FLOAT, -1, -1)
                .initializer("one", new long[] {1})
                .initializer("two", new float[] {2f})
                .node("Equal", "is_scale", "mode", "one")
                .node("If", List.of("is_scale"), List.of("y"),
                        graphAttribute("then_branch", scale),
                        graphAttribute("else_branch", unsupported))
                .toBytes();
        float[] x = {1, 2, 3, 4, -0.5f, 0, 0.25f, 8};
        return new Pattern("branch_on_mode", onnx,
                List.of(Values.int64("mode", scalar(), 1), Values.fp32("x", dims(2, 4), x)),
                List.of(Values.fp32("y", dims(2, 4), branchOnMode(1, x))),
                List.of(Values.int64("mode", scalar(), 2), Values.fp32("x", dims(1, 4), 1, 2, 3, 4)),
                "unsupported/reshape_0", true);
    }

    /** Reference of {@link #branchOnMode()}: x·2 for mode 1; other modes have no answer. */
    public static float[] branchOnMode(long mode, float[] x) {
        if (mode != 1) {
            throw new IllegalArgumentException("mode " + mode + " is not supported");
        }
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * 2f;
        }
        return y;
    }

    // ---- (b) Gather on a token id ----

    /**
     * {@code ids} INT64 [-1], token ids 1..{@link #VOCABULARY} of a tokenizer that keeps 0 for padding, looked up in
     * an embedding table of {@link #VOCABULARY} rows through a vocabulary remap that sends id 0 to -100 (PyTorch's
     * ignore index): {@code embeddings = table[remap[ids]]}, FP32 [-1, {@link #EMBEDDING_WIDTH}]. Id 0 (zeros) and ids
     * past the vocabulary fail in a Gather.
     */
    public static Pattern vocabularyEmbedding() {
        long[] remap = new long[VOCABULARY + 1];
        remap[0] = -100;
        for (int id = 1; id <= VOCABULARY; id++) {
            remap[id] = id - 1;
        }
        byte[] onnx = OnnxModelBuilder.create("vocabulary_embedding")
                .input("ids", DataType.INT64, -1)
                .output("embeddings", DataType.FLOAT, -1, EMBEDDING_WIDTH)
                .initializer("remap", remap, VOCABULARY + 1)
                .initializer("table", embeddingTable(), VOCABULARY, EMBEDDING_WIDTH)
                .node("Gather", "rows", "remap", "ids")
                .node("Gather", "embeddings", "table", "rows")
                .toBytes();
        long[] ids = {1, 5, 3};
        return new Pattern("vocabulary_embedding", onnx,
                List.of(Values.int64("ids", dims(3), ids)),
                List.of(Values.fp32("embeddings", dims(3, EMBEDDING_WIDTH), vocabularyEmbedding(ids))),
                List.of(Values.int64("ids", dims(2), 2, 0)),
                "gather_1", true);
    }

    /** Row r (id r + 1) of the table: (r + 1) + c / 10. */
    private static float[] embeddingTable() {
        float[] table = new float[VOCABULARY * EMBEDDING_WIDTH];
        for (int r = 0; r < VOCABULARY; r++) {
            for (int c = 0; c < EMBEDDING_WIDTH; c++) {
                table[r * EMBEDDING_WIDTH + c] = (r + 1) + c / 10f;
            }
        }
        return table;
    }

    /** Reference of {@link #vocabularyEmbedding()}, flat row-major. */
    public static float[] vocabularyEmbedding(long[] ids) {
        float[] table = embeddingTable();
        float[] out = new float[ids.length * EMBEDDING_WIDTH];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 1 || ids[i] > VOCABULARY) {
                throw new IllegalArgumentException("id " + ids[i] + " is not in the vocabulary");
            }
            System.arraycopy(table, (int) (ids[i] - 1) * EMBEDDING_WIDTH, out, i * EMBEDDING_WIDTH, EMBEDDING_WIDTH);
        }
        return out;
    }

    // ---- (c) Reshape sized by an input ----

    /**
     * {@code samples} FP32 [-1] cut into frames of {@code frame_length} INT64 []: {@code frames = Reshape(samples,
     * [-1, frame_length])}, FP32 [-1, -1]. A length that does not divide the sample count fails, and so does 0.
     */
    public static Pattern framesOfLength() {
        byte[] onnx = OnnxModelBuilder.create("frames_of_length")
                .input("samples", DataType.FLOAT, -1)
                .input("frame_length", DataType.INT64)
                .output("frames", DataType.FLOAT, -1, -1)
                .initializer("any_count", new long[] {-1}, 1)
                .initializer("axis_0", new long[] {0}, 1)
                .node("Unsqueeze", "length_1d", "frame_length", "axis_0")
                .node("Concat", List.of("any_count", "length_1d"), List.of("frame_shape"), intAttribute("axis", 0))
                .node("Reshape", "frames", "samples", "frame_shape")
                .toBytes();
        float[] samples = {1, 2, 3, 4, 5, 6};
        return new Pattern("frames_of_length", onnx,
                List.of(Values.fp32("samples", dims(6), samples), Values.int64("frame_length", scalar(), 3)),
                List.of(Values.fp32("frames", dims(2, 3), samples)),
                List.of(Values.fp32("samples", dims(6), samples), Values.int64("frame_length", scalar(), 4)),
                "reshape_2", true);
    }

    // ---- (d) Loop with a trip count from an input ----

    /**
     * {@code steps} INT64 [] iterations of {@code s = s · 0.5 + 1} from {@code state} FP32 [-1], in a Loop whose scan
     * output traces every step; {@code last} FP32 [-1] is the trace's last row (Gather index -1), as a decoder returns
     * its final token. Zero steps leave an empty trace, so the Gather fails (zeros fail).
     */
    public static Pattern decodeLoop() {
        GraphProto body = OnnxModelBuilder.subgraph("step")
                .input("iteration", DataType.INT64)
                .input("keep_going", DataType.BOOL)
                .input("s_in", DataType.FLOAT, -1)
                .output("keep_going_out", DataType.BOOL)
                .output("s_out", DataType.FLOAT, -1)
                .output("s_trace", DataType.FLOAT, -1)
                .node("Identity", "keep_going_out", "keep_going")
                .node("Mul", "halved", "s_in", "half")
                .node("Add", "s_out", "halved", "one_f")
                .node("Identity", "s_trace", "s_out")
                .graph();
        byte[] onnx = OnnxModelBuilder.create("decode_loop")
                .input("steps", DataType.INT64)
                .input("state", DataType.FLOAT, -1)
                .output("last", DataType.FLOAT, -1)
                .initializer("half", new float[] {0.5f})
                .initializer("one_f", new float[] {1f})
                .initializer("last_index", new long[] {-1})
                .node("Loop", List.of("steps", "", "state"), List.of("final_state", "trace"),
                        graphAttribute("body", body))
                .node("Gather", List.of("trace", "last_index"), List.of("last"), intAttribute("axis", 0))
                .toBytes();
        float[] state = {0, 8};
        return new Pattern("decode_loop", onnx,
                List.of(Values.int64("steps", scalar(), 3), Values.fp32("state", dims(2), state)),
                List.of(Values.fp32("last", dims(2), decodeLoop(3, state))),
                List.of(Values.int64("steps", scalar(), 0), Values.fp32("state", dims(2), state)),
                "gather_1", true);
    }

    /** Reference of {@link #decodeLoop()}. */
    public static float[] decodeLoop(long steps, float[] state) {
        if (steps < 1) {
            throw new IllegalArgumentException("no step, no last state");
        }
        float[] s = state.clone();
        for (long i = 0; i < steps; i++) {
            for (int k = 0; k < s.length; k++) {
                s[k] = s[k] * 0.5f + 1f;
            }
        }
        return s;
    }

    // ---- (e) Range with a step from an input ----

    /** {@code positions = Range(0, limit, step)} INT64 [-1] from {@code limit}, {@code step} INT64 []; step 0 fails. */
    public static Pattern rangeWithStep() {
        byte[] onnx = OnnxModelBuilder.create("range_with_step")
                .input("limit", DataType.INT64)
                .input("step", DataType.INT64)
                .output("positions", DataType.INT64, -1)
                .initializer("start", new long[] {0})
                .node("Range", "positions", "start", "limit", "step")
                .toBytes();
        return new Pattern("range_with_step", onnx,
                List.of(Values.int64("limit", scalar(), 10), Values.int64("step", scalar(), 3)),
                List.of(Values.int64("positions", dims(4), rangeWithStep(10, 3))),
                List.of(Values.int64("limit", scalar(), 10), Values.int64("step", scalar(), 0)),
                "range_0", true);
    }

    /** Reference of {@link #rangeWithStep()}. */
    public static long[] rangeWithStep(long limit, long step) {
        if (step == 0) {
            throw new IllegalArgumentException("step 0");
        }
        int count = (int) Math.max(0, (limit + step - (step > 0 ? 1 : -1)) / step);
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            out[i] = i * step;
        }
        return out;
    }

    // ---- (f) a detector that needs image sides divisible by 32 ----

    /** The patch side of {@link #patchDetector()}. */
    public static final int PATCH = 32;

    /**
     * {@code image} FP32 [1, 3, H, W] cut into 32×32 patches the way a vision backbone's patch embedding does
     * ({@code Reshape} to [1, 3, H/32, 32, W/32, 32}), {@code grid} FP32 [1, 3, H/32, W/32] the mean of each patch.
     * H or W not divisible by 32 fails in the Reshape, and so does the zero warm-up's 1×1 image.
     */
    public static Pattern patchDetector() {
        byte[] onnx = OnnxModelBuilder.create("patch_detector")
                .input("image", DataType.FLOAT, 1, 3, -1, -1)
                .output("grid", DataType.FLOAT, 1, 3, -1, -1)
                .initializer("lead", new long[] {1, 3}, 2)
                .initializer("patch", new long[] {PATCH}, 1)
                .initializer("h_index", new long[] {2}, 1)
                .initializer("w_index", new long[] {3}, 1)
                .node("Shape", "image_shape", "image")
                .node("Gather", "h", "image_shape", "h_index")
                .node("Gather", "w", "image_shape", "w_index")
                .node("Div", "h_patches", "h", "patch")
                .node("Div", "w_patches", "w", "patch")
                .node("Concat", List.of("lead", "h_patches", "patch", "w_patches", "patch"), List.of("patch_shape"),
                        intAttribute("axis", 0))
                .node("Reshape", List.of("image", "patch_shape"), List.of("patches"), intAttribute("allowzero", 1))
                .node("ReduceMean", List.of("patches"), List.of("grid"), intsAttribute("axes", 3, 5),
                        intAttribute("keepdims", 0))
                .toBytes();
        float[] image = patchImage(64, 32);
        return new Pattern("patch_detector", onnx,
                List.of(Values.fp32("image", dims(1, 3, 64, 32), image)),
                List.of(Values.fp32("grid", dims(1, 3, 2, 1), patchDetector(image, 64, 32))),
                List.of(Values.fp32("image", dims(1, 3, 48, 32), patchImage(48, 32))),
                "reshape_6", true);
    }

    /** A deterministic test image [1, 3, h, w], flat: value (c + 1) · ((y / 32) + 2 · (x / 32) + 1) + (x % 3). */
    public static float[] patchImage(int h, int w) {
        float[] image = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    image[(c * h + y) * w + x] = (c + 1) * ((y / PATCH) + 2 * (x / PATCH) + 1) + (x % 3);
                }
            }
        }
        return image;
    }

    /** Reference of {@link #patchDetector()}: [1, 3, h/32, w/32] patch means, flat. */
    public static float[] patchDetector(float[] image, int h, int w) {
        if (h % PATCH != 0 || w % PATCH != 0) {
            throw new IllegalArgumentException("image sides must be multiples of " + PATCH);
        }
        int hp = h / PATCH;
        int wp = w / PATCH;
        float[] grid = new float[3 * hp * wp];
        for (int c = 0; c < 3; c++) {
            for (int py = 0; py < hp; py++) {
                for (int px = 0; px < wp; px++) {
                    double sum = 0;
                    for (int y = py * PATCH; y < (py + 1) * PATCH; y++) {
                        for (int x = px * PATCH; x < (px + 1) * PATCH; x++) {
                            sum += image[(c * h + y) * w + x];
                        }
                    }
                    grid[(c * hp + py) * wp + px] = (float) (sum / (PATCH * PATCH));
                }
            }
        }
        return grid;
    }

    // ---- (g) two dynamic inputs of the same length ----

    /** {@code sum = a + b}, both FP32 [-1]: lengths that differ (and are not 1) fail to broadcast; zeros work. */
    public static Pattern pairwiseAdd() {
        byte[] onnx = OnnxModelBuilder.create("pairwise_add")
                .input("a", DataType.FLOAT, -1)
                .input("b", DataType.FLOAT, -1)
                .output("sum", DataType.FLOAT, -1)
                .node("Add", "sum", "a", "b")
                .toBytes();
        return new Pattern("pairwise_add", onnx,
                List.of(Values.fp32("a", dims(3), 1, 2, 3), Values.fp32("b", dims(3), 10, 20, 30)),
                List.of(Values.fp32("sum", dims(3), 11, 22, 33)),
                List.of(Values.fp32("a", dims(2), 1, 2), Values.fp32("b", dims(3), 1, 2, 3)),
                "add_0", false);
    }

    // ---- unknown rank ----

    /** {@code x} FP32 with no declared shape (any rank) and {@code y = x + x}, also of unknown rank. */
    public static byte[] anyRank() {
        return OnnxModelBuilder.create("any_rank")
                .inputAnyRank("x", DataType.FLOAT)
                .outputAnyRank("y", DataType.FLOAT)
                .node("Add", "y", "x", "x")
                .toBytes();
    }

    // ---- JSON helpers ----

    /** An Open Inference Protocol infer request with these inputs. */
    public static String request(List<Values> inputs) {
        StringJoiner joined = new StringJoiner(", ", "{\"inputs\": [", "]}");
        inputs.forEach(v -> joined.add(v.json()));
        return joined.toString();
    }

    private static long[] scalar() {
        return new long[0];
    }

    private static long[] dims(long... dims) {
        return dims;
    }
}
