package io.aiaas.protocol;

import ai.onnxruntime.platform.Fp16Conversions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.engine.Tensor;
import io.aiaas.engine.TensorType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The binary tensor data extension: requests and responses, bit for bit against JSON, and hostile bodies. */
class BinaryTensorDataTest {

    private final InferenceCodec codec = new InferenceCodec();
    private final ObjectMapper json = new ObjectMapper();
    private final Random random = new Random(42);

    // ---- building requests the way a Triton client does ----

    /** The JSON of one input, with its values inline or as binary_data_size. */
    private static String inputJson(Tensor t, boolean binary) {
        String head = "{\"name\":\"" + t.name() + "\",\"datatype\":\"" + t.type() + "\",\"shape\":"
                + Arrays.toString(t.shape()).replace(" ", "");
        if (binary) {
            return head + ",\"parameters\":{\"binary_data_size\":" + BinaryTensors.byteSize(t) + "}}";
        }
        return head + ",\"data\":" + jsonValues(t) + "}";
    }

    private static String jsonValues(Tensor t) {
        List<String> values = new ArrayList<>();
        Object data = t.data();
        for (int k = 0; k < t.elementCount(); k++) {
            values.add(switch (t.type()) {
                case BOOL -> Boolean.toString(((boolean[]) data)[k]);
                case INT8 -> Byte.toString(((byte[]) data)[k]);
                case UINT8 -> Integer.toString(Byte.toUnsignedInt(((byte[]) data)[k]));
                case INT16 -> Short.toString(((short[]) data)[k]);
                case UINT16 -> Integer.toString(Short.toUnsignedInt(((short[]) data)[k]));
                case INT32 -> Integer.toString(((int[]) data)[k]);
                case UINT32 -> Integer.toUnsignedString(((int[]) data)[k]);
                case INT64 -> Long.toString(((long[]) data)[k]);
                case UINT64 -> Long.toUnsignedString(((long[]) data)[k]);
                case FP16, FP32 -> Float.toString(((float[]) data)[k]);
                case FP64 -> Double.toString(((double[]) data)[k]);
                case BYTES -> "\"" + new String(((byte[][]) data)[k], StandardCharsets.US_ASCII) + "\"";
            });
        }
        return "[" + String.join(",", values) + "]";
    }

    /** A request body and its Inference-Header-Content-Length; inputs marked binary go after the JSON. */
    record Body(byte[] bytes, int headerLength) {
    }

    private static Body request(List<Tensor> inputs, Set<String> binaryInputs, String extra) throws IOException {
        List<String> parts = new ArrayList<>();
        for (Tensor t : inputs) {
            parts.add(inputJson(t, binaryInputs.contains(t.name())));
        }
        byte[] header = ("{\"id\":\"r1\",\"inputs\":[" + String.join(",", parts) + "]" + extra + "}")
                .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header);
        for (Tensor t : inputs) {
            if (binaryInputs.contains(t.name())) {
                out.write(BinaryTensors.toBytes(t));
            }
        }
        return new Body(out.toByteArray(), header.length);
    }

    /** One random tensor of each datatype; floats include -0.0, subnormals and extremes. */
    private List<Tensor> everyDatatype() {
        List<Tensor> tensors = new ArrayList<>();
        int n = 37;
        long[] shape = {n};
        for (TensorType type : TensorType.values()) {
            String name = "in_" + type.name().toLowerCase();
            Object data = switch (type) {
                case BOOL -> {
                    boolean[] v = new boolean[n];
                    for (int k = 0; k < n; k++) {
                        v[k] = random.nextBoolean();
                    }
                    yield v;
                }
                case INT8, UINT8 -> {
                    byte[] v = new byte[n];
                    random.nextBytes(v);
                    yield v;
                }
                case INT16, UINT16 -> {
                    short[] v = new short[n];
                    for (int k = 0; k < n; k++) {
                        v[k] = (short) random.nextInt();
                    }
                    yield v;
                }
                case INT32, UINT32 -> random.ints(n).toArray();
                case INT64 -> random.longs(n).toArray();
                // UINT64 in JSON needs BigInteger beyond 2^63 - 1: the Jackson path takes it
                case UINT64 -> random.longs(n).toArray();
                case FP16 -> {
                    float[] v = new float[n];
                    for (int k = 0; k < n; k++) {
                        short half;
                        do {
                            half = (short) random.nextInt();
                        } while ((half & 0x7C00) == 0x7C00); // finite halves only: JSON has no NaN
                        v[k] = Fp16Conversions.fp16ToFloat(half);
                    }
                    yield v;
                }
                case FP32 -> {
                    float[] v = new float[n];
                    for (int k = 0; k < n; k++) {
                        float f;
                        do {
                            f = Float.intBitsToFloat(random.nextInt());
                        } while (!Float.isFinite(f));
                        v[k] = f;
                    }
                    v[0] = -0.0f;
                    v[1] = Float.MIN_VALUE;
                    v[2] = Float.MAX_VALUE;
                    yield v;
                }
                case FP64 -> {
                    double[] v = new double[n];
                    for (int k = 0; k < n; k++) {
                        double d;
                        do {
                            d = Double.longBitsToDouble(random.nextLong());
                        } while (!Double.isFinite(d));
                        v[k] = d;
                    }
                    v[0] = -0.0;
                    yield v;
                }
                case BYTES -> {
                    byte[][] v = new byte[n][];
                    for (int k = 0; k < n; k++) {
                        v[k] = ("s" + k + "x".repeat(random.nextInt(5))).getBytes(StandardCharsets.US_ASCII);
                    }
                    v[3] = new byte[0]; // an empty element
                    yield v;
                }
            };
            tensors.add(Tensor.of(name, type, shape, data));
        }
        return tensors;
    }

    private static void assertSameBits(Tensor expected, Tensor actual) {
        assertEquals(expected.name(), actual.name());
        assertEquals(expected.type(), actual.type());
        assertArrayEquals(expected.shape(), actual.shape(), expected.name());
        // the binary form is the bits: compare through it, so floats compare bit for bit (-0.0, NaN payloads)
        assertArrayEquals(BinaryTensors.toBytes(expected), BinaryTensors.toBytes(actual), expected.name());
    }

    // ---- requests ----

    @Test
    void everyDatatypeSentBinaryDecodesToTheSameBitsAsItsJson() throws IOException {
        List<Tensor> tensors = everyDatatype();
        Set<String> all = new java.util.HashSet<>();
        tensors.forEach(t -> all.add(t.name()));
        Body binary = request(tensors, all, "");
        Body plain = request(tensors, Set.of(), "");
        assertEquals(plain.bytes().length, plain.headerLength());

        InferenceRequest fromBinary = codec.decode(binary.bytes(), Integer.toString(binary.headerLength()));
        InferenceRequest fromJson = codec.decode(plain.bytes());
        assertEquals("r1", fromBinary.id());
        assertEquals(tensors.size(), fromBinary.inputs().size());
        for (int k = 0; k < tensors.size(); k++) {
            assertSameBits(tensors.get(k), fromBinary.inputs().get(k));
            assertSameBits(fromJson.inputs().get(k), fromBinary.inputs().get(k));
        }
    }

    @Test
    void mixedJsonAndBinaryInputsKeepTheirOrderAndTheBinaryPartFollowsInputOrder() throws IOException {
        List<Tensor> tensors = everyDatatype();
        Set<String> some = Set.of("in_fp32", "in_bytes", "in_int8", "in_fp16");
        Body body = request(tensors, some, ",\"outputs\":[{\"name\":\"y\"}]");
        // read from a stream, as the worker does
        InferenceRequest decoded = codec.decode(new ByteArrayInputStream(body.bytes()),
                Integer.toString(body.headerLength()));
        for (int k = 0; k < tensors.size(); k++) {
            assertSameBits(tensors.get(k), decoded.inputs().get(k));
        }
        assertEquals(List.of("y"), decoded.requestedOutputs());
    }

    @Test
    void aHeaderEqualToTheBodyLengthIsAPlainJsonRequest() {
        byte[] body = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[1.5,2]}]}"
                .getBytes(StandardCharsets.UTF_8);
        InferenceRequest request = codec.decode(body, Integer.toString(body.length));
        assertArrayEquals(new float[] {1.5f, 2f}, request.inputs().get(0).floats());
        // an empty binary input needs no bytes at all
        byte[] empty = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[0],\"parameters\":{\"binary_data_size\":0}}]}"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(0, codec.decode(empty, Integer.toString(empty.length)).inputs().get(0).elementCount());
    }

    @Test
    void outputChoicesFollowTriton() {
        InferenceRequest named = codec.decode(("{\"parameters\":{\"binary_data_output\":true},\"inputs\":[],"
                + "\"outputs\":[{\"name\":\"a\",\"parameters\":{\"binary_data\":true}},{\"name\":\"b\"},"
                + "{\"name\":\"c\",\"parameters\":{\"binary_data\":false}}]}").getBytes(StandardCharsets.UTF_8));
        assertTrue(named.wantsBinary("a"));
        assertFalse(named.wantsBinary("b"), "a named output without binary_data is JSON, as in Triton");
        assertFalse(named.wantsBinary("c"));
        InferenceRequest all = codec.decode("{\"parameters\":{\"binary_data_output\":true},\"inputs\":[]}"
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(all.wantsBinary("anything"));
        InferenceRequest none = codec.decode("{\"inputs\":[]}".getBytes(StandardCharsets.UTF_8));
        assertFalse(none.wantsBinary("anything"));
    }

    @Test
    void theFastPathAndJacksonAgreeOnOutputChoices() {
        for (String body : List.of(
                "{\"parameters\":{\"x\":[1,{\"y\":2}],\"binary_data_output\":true},\"inputs\":[]}",
                "{\"parameters\":{\"binary_data_output\":false},\"inputs\":[]}",
                "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1],\"parameters\":{\"content_type\":\"x\"}}],"
                        + "\"outputs\":[{\"name\":\"a\",\"parameters\":{\"binary_data\":true}},{\"name\":\"b\",\"parameters\":{}}]}")) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            InferenceRequest fast = FastRequestDecoder.decode(json.getFactory(), Integer.MAX_VALUE, bytes, 0, bytes.length);
            assertTrue(fast != null, "the fast path should take " + body);
            InferenceRequest jackson = new InferenceRequestDecoder(json).decodeWithJackson(new ByteArrayInputStream(bytes));
            assertEquals(jackson.binaryOutputs(), fast.binaryOutputs(), body);
            assertEquals(jackson.binaryDataOutput(), fast.binaryDataOutput(), body);
        }
    }

    // ---- responses ----

    /** A response as a Triton client reads it: the JSON part, and the bytes after it. */
    record Answer(JsonNode header, byte[] binary) {
    }

    private Answer read(EncodedResponse encoded) throws IOException {
        byte[] body = encoded.toBytes();
        int length = encoded.binary() ? encoded.headerLength() : body.length;
        return new Answer(json.readTree(Arrays.copyOf(body, length)), Arrays.copyOfRange(body, length, body.length));
    }

    @Test
    void binaryOutputsForSomeOutputsOnlyDecodeToTheBitsOfTheirJson() throws IOException {
        List<Tensor> outputs = everyDatatype();
        Set<String> binary = Set.of("in_fp32", "in_bytes", "in_uint64", "in_fp16", "in_bool");
        EncodedResponse encoded = codec.prepare(new InferenceResponse("m", "1", "r1", outputs, binary));
        assertTrue(encoded.binary());
        assertEquals("application/octet-stream", encoded.contentType());
        Answer answer = read(encoded);
        Answer asJson = read(codec.prepare(new InferenceResponse("m", "1", "r1", outputs)));
        assertFalse(codec.prepare(new InferenceResponse("m", "1", "r1", outputs)).binary());

        int at = 0;
        for (int k = 0; k < outputs.size(); k++) {
            Tensor t = outputs.get(k);
            JsonNode out = answer.header().get("outputs").get(k);
            assertEquals(t.name(), out.get("name").asText());
            if (binary.contains(t.name())) {
                assertNull(out.get("data"), t.name());
                int size = out.get("parameters").get("binary_data_size").asInt();
                Tensor fromBinary = BinaryTensors.read(t.name(), t.type(), t.shape(), answer.binary(), at, size);
                at += size;
                // what the JSON answer says, decoded by our own JSON reader, has the same bits
                Tensor fromJson = codec.decode(("{\"inputs\":[{\"name\":\"" + t.name() + "\",\"datatype\":\"" + t.type()
                        + "\",\"shape\":" + asJson.header().get("outputs").get(k).get("shape") + ",\"data\":"
                        + asJson.header().get("outputs").get(k).get("data") + "}]}").getBytes(StandardCharsets.UTF_8))
                        .inputs().get(0);
                assertSameBits(fromJson, fromBinary);
                assertSameBits(t, fromBinary);
            } else {
                assertEquals(asJson.header().get("outputs").get(k), out, t.name());
            }
        }
        assertEquals(answer.binary().length, at, "the binary part holds exactly the binary outputs");
    }

    @Test
    void binaryOutputsOfNoBytesNeedNoHeaderAsInTriton() throws IOException {
        Tensor empty = Tensor.ofFp32("y", new long[] {0}, new float[0]);
        EncodedResponse encoded = codec.prepare(new InferenceResponse("m", "1", null, List.of(empty), Set.of("y")));
        assertFalse(encoded.binary());
        assertEquals("application/json", encoded.contentType());
        assertEquals(0, read(encoded).header().get("outputs").get(0).get("parameters").get("binary_data_size").asInt());
    }

    @Test
    void answeringARequestPicksItsBinaryOutputs() {
        InferenceRequest request = new InferenceRequest("r", List.of(), List.of("a", "b"), Set.of("b"), false);
        Tensor a = Tensor.ofFp32("a", new long[] {1}, new float[] {1});
        Tensor b = Tensor.ofFp32("b", new long[] {1}, new float[] {2});
        assertEquals(Set.of("b"), InferenceResponse.answering(request, "m", "1", List.of(a, b)).binaryOutputs());
    }

    @Test
    void halfPrecisionMatchesOnnxRuntimeForEveryHalfAndRoundsFloatsAsItDoes() {
        for (int h = 0; h < 65536; h++) {
            float f = Fp16Conversions.fp16ToFloat((short) h);
            float ours = BinaryTensors.Half.toFloat((short) h);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(ours));
                assertTrue(Float.isNaN(BinaryTensors.Half.toFloat(BinaryTensors.Half.fromFloat(ours))));
            } else {
                assertEquals(Float.floatToIntBits(f), Float.floatToIntBits(ours), "half " + h);
                assertEquals((short) h, BinaryTensors.Half.fromFloat(f), "half " + h);
            }
        }
        for (int k = 0; k < 200_000; k++) {
            float f = Float.intBitsToFloat(random.nextInt());
            if (!Float.isNaN(f)) {
                assertEquals(Fp16Conversions.floatToFp16(f), BinaryTensors.Half.fromFloat(f), "float " + f);
            }
        }
    }

    // ---- hostile bodies ----

    private static final byte[] TWO_FLOATS = binaryBody("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2],"
            + "\"parameters\":{\"binary_data_size\":8}}]}", new byte[8]);

    private static byte[] binaryBody(String header, byte[] binary) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        byte[] body = Arrays.copyOf(h, h.length + binary.length);
        System.arraycopy(binary, 0, body, h.length, binary.length);
        return body;
    }

    private String error(byte[] body, String header) {
        return assertThrows(ProtocolException.class, () -> codec.decode(body, header)).getMessage();
    }

    private static String headerOf(String json) {
        return Integer.toString(json.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void badHeaderLengthsAreNamed() {
        int jsonLength = TWO_FLOATS.length - 8;
        for (String bad : List.of("-1", "abc", "", "+5", "1e3", "0x10", "12 34", "99999999999", "３")) {
            assertTrue(error(TWO_FLOATS, bad).startsWith("Inference-Header-Content-Length must be a non-negative decimal"),
                    bad);
        }
        assertEquals("Inference-Header-Content-Length " + (TWO_FLOATS.length + 1) + " is larger than the body of "
                + TWO_FLOATS.length + " bytes", error(TWO_FLOATS, Integer.toString(TWO_FLOATS.length + 1)));
        assertEquals(2, codec.decode(TWO_FLOATS, " " + jsonLength + " ").inputs().get(0).elementCount());
        // the JSON cut short or running into the binary part
        assertTrue(error(TWO_FLOATS, Integer.toString(jsonLength - 1)).startsWith("malformed JSON"));
        assertTrue(error(TWO_FLOATS, "0").startsWith("request body must be a JSON object"));
        // (Jackson ends a document at a NUL byte: the binary part is then one byte short)
        assertEquals("input 'x': binary_data_size 8 exceeds the 7 bytes of binary data left after the inference header"
                + " and the inputs before it", error(TWO_FLOATS, Integer.toString(jsonLength + 1)));
    }

    @Test
    void binarySizesMustAddUpToTheRestOfTheBody() {
        String header = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2],\"parameters\":{\"binary_data_size\":8}}]}";
        assertEquals("the body has 4 bytes of binary data after the inference header that no input's"
                + " 'parameters.binary_data_size' accounts for", error(binaryBody(header, new byte[12]), headerOf(header)));
        assertEquals("input 'x': binary_data_size 8 exceeds the 4 bytes of binary data left after the inference"
                + " header and the inputs before it", error(binaryBody(header, new byte[4]), headerOf(header)));
        String plain = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]}";
        assertTrue(error(binaryBody(plain, new byte[4]), headerOf(plain)).startsWith("the body has 4 bytes of binary"));
    }

    @Test
    void binarySizeMustMatchShapeAndDatatype() {
        String header = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[3],\"parameters\":{\"binary_data_size\":8}}]}";
        assertEquals("input 'x': binary_data_size 8 does not match shape [3] of FP32, which takes 12 bytes",
                error(binaryBody(header, new byte[8]), headerOf(header)));
        String huge = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[9999999999],\"parameters\":{\"binary_data_size\":8}}]}";
        assertTrue(error(binaryBody(huge, new byte[8]), headerOf(huge)).contains("is too large"));
        String bool = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"BOOL\",\"shape\":[2],\"parameters\":{\"binary_data_size\":2}}]}";
        assertEquals("input 'x': BOOL element 1 is 2; binary BOOL elements are 0 or 1",
                error(binaryBody(bool, new byte[] {1, 2}), headerOf(bool)));
    }

    @Test
    void malformedBytesElementsAreRefused() {
        String header = "{\"inputs\":[{\"name\":\"s\",\"datatype\":\"BYTES\",\"shape\":[2],\"parameters\":{\"binary_data_size\":10}}]}";
        // declares 2^32 - 1 bytes
        assertEquals("input 's': BYTES element 0 declares 4294967295 bytes but only 6 remain in its binary data",
                error(binaryBody(header, new byte[] {-1, -1, -1, -1, 0, 0, 0, 0, 0, 0}), headerOf(header)));
        assertEquals("input 's': binary BYTES data ends inside the length of element 2",
                error(binaryBody(header, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 7, 7}), headerOf(header)));
        String three = header.replace("10", "12");
        assertEquals("input 's': binary data holds 3 BYTES elements but shape [2] calls for 2",
                error(binaryBody(three, new byte[12]), headerOf(three)));
        String many = "{\"inputs\":[{\"name\":\"s\",\"datatype\":\"BYTES\",\"shape\":[100000000],\"parameters\":{\"binary_data_size\":8}}]}";
        assertTrue(error(binaryBody(many, new byte[8]), headerOf(many)).contains("cannot hold the 100000000 BYTES elements"));
    }

    @Test
    void parameterMisuseIsNamed() {
        String both = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1],\"parameters\":{\"binary_data_size\":4}}]}";
        assertEquals("input 'x': give either 'data' or 'parameters.binary_data_size', not both",
                error(binaryBody(both, new byte[4]), headerOf(both)));
        String noHeader = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"parameters\":{\"binary_data_size\":4}}]}";
        assertEquals("input 'x': 'parameters.binary_data_size' needs binary data after the JSON; send the JSON part's"
                + " length in the Inference-Header-Content-Length header",
                assertThrows(ProtocolException.class, () -> codec.decode(binaryBody(noHeader, new byte[4]))).getMessage());
        for (String size : List.of("-4", "\"4\"", "4.0", "99999999999999999999999", "null", "true")) {
            String body = noHeader.replace(":4}", ":" + size + "}");
            assertEquals("input 'x': 'parameters.binary_data_size' must be a non-negative integer",
                    error(binaryBody(body, new byte[4]), headerOf(body)), size);
        }
        assertEquals("outputs[0]: 'parameters': 'binary_data' must be true or false",
                assertThrows(ProtocolException.class, () -> codec.decode(("{\"inputs\":[],\"outputs\":[{\"name\":\"y\","
                        + "\"parameters\":{\"binary_data\":1}}]}").getBytes(StandardCharsets.UTF_8))).getMessage());
        assertEquals("'parameters': 'binary_data_output' must be true or false",
                assertThrows(ProtocolException.class, () -> codec.decode(("{\"inputs\":[],"
                        + "\"parameters\":{\"binary_data_output\":\"yes\"}}").getBytes(StandardCharsets.UTF_8))).getMessage());
    }

    @Test
    void everyTruncationAndRandomMutationOfABinaryBodyIsAProtocolErrorOrAResult() throws IOException {
        Body body = request(everyDatatype(), Set.of("in_fp32", "in_bytes", "in_int16"), "");
        byte[] bytes = body.bytes();
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] prefix = Arrays.copyOf(bytes, cut);
            decodeOrProtocolError(prefix, Integer.toString(Math.min(cut, body.headerLength())));
        }
        for (int round = 0; round < 20_000; round++) {
            byte[] mutated = bytes.clone();
            for (int k = 0, n = 1 + random.nextInt(4); k < n; k++) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt();
            }
            int header = random.nextInt(8) == 0 ? random.nextInt(mutated.length + 1) : body.headerLength();
            decodeOrProtocolError(mutated, Integer.toString(header));
        }
    }

    private void decodeOrProtocolError(byte[] body, String header) {
        try {
            codec.decode(body, header);
        } catch (ProtocolException e) {
            assertFalse(e.getMessage().contains("com.fasterxml"), e.getMessage());
        } catch (RuntimeException e) {
            fail("not a ProtocolException for a body of " + body.length + " bytes, header " + header + ": " + e, e);
        }
    }
}
