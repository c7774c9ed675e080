package io.aiaas.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.engine.Tensor;
import io.aiaas.engine.TensorType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InferenceRequestDecoderTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final InferenceRequestDecoder decoder = new InferenceRequestDecoder(mapper);

    private InferenceRequest decode(String json) {
        return decoder.decode(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private String error(String json) {
        return assertThrows(ProtocolException.class, () -> decode(json)).getMessage();
    }

    private static String input(String name, String type, String shape, String data) {
        return "{\"inputs\":[{\"name\":\"" + name + "\",\"datatype\":\"" + type + "\",\"shape\":" + shape
                + ",\"data\":" + data + "}]}";
    }

    @Test
    void nestedAndFlatDataDecodeToTheSameRowMajorArray() {
        Tensor nested = decode(input("x", "FP32", "[2,3]", "[[1,2,3],[4,5,6]]")).inputs().get(0);
        Tensor flat = decode(input("x", "FP32", "[2,3]", "[1,2,3,4,5,6]")).inputs().get(0);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, nested.floats());
        assertArrayEquals(flat.floats(), nested.floats());
        assertArrayEquals(new long[] {2, 3}, nested.shape());
    }

    @Test
    void largeTensorsGrowPastTheInitialBufferWithoutLosingValues() {
        int n = 5000;
        StringBuilder ints = new StringBuilder("[");
        StringBuilder strings = new StringBuilder("[");
        int[] expected = new int[n];
        for (int i = 0; i < n; i++) {
            expected[i] = i * 7 - 3;
            ints.append(i == 0 ? "" : ",").append(expected[i]);
            strings.append(i == 0 ? "" : ",").append('"').append(i).append('"');
        }
        Tensor big = decode(input("x", "INT32", "[" + n + "]", ints + "]")).inputs().get(0);
        assertArrayEquals(expected, big.ints());
        Tensor text = decode(input("s", "BYTES", "[" + n + "]", strings + "]")).inputs().get(0);
        assertEquals(n, text.elementCount());
        assertEquals("4999", new String(text.byteStrings()[n - 1], StandardCharsets.UTF_8));
    }

    @Test
    void nestedDataMustFollowTheShape() {
        assertEquals("input 'x': nested 'data' has 1 elements at depth 2 where shape [2, 2] calls for 2",
                error(input("x", "INT32", "[2,2]", "[[1,2],[3]]")));
        assertTrue(error(input("x", "INT32", "[2,2]", "[[1,2,3],[4]]")).contains("nested 'data'"));
        assertTrue(error(input("x", "INT32", "[2]", "[[1],[2]]")).contains("does not match shape [2]"));
        assertTrue(error(input("x", "INT32", "[2,1]", "[[1],2]")).contains("does not match shape"));
        assertTrue(error(input("x", "INT32", "[2,1]", "[1,[2]]")).contains("either flat or nested"));
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8},
                decode(input("x", "INT32", "[2,2,2]", "[[[1,2],[3,4]],[[5,6],[7,8]]]")).inputs().get(0).ints());
        assertEquals(0, decode(input("x", "INT32", "[1,0]", "[[]]")).inputs().get(0).elementCount());
    }

    @Test
    void dataBeforeDatatypeAndShapeIsAccepted() {
        Tensor t = decode("{\"inputs\":[{\"data\":[1,2],\"name\":\"x\",\"shape\":[2],\"datatype\":\"INT32\"}]}").inputs().get(0);
        assertArrayEquals(new int[] {1, 2}, t.ints());
    }

    @Test
    void scalarTakesOneValueBareOrInArray() {
        assertArrayEquals(new double[] {2.5}, decode(input("s", "FP64", "[]", "[2.5]")).inputs().get(0).doubles());
        assertArrayEquals(new double[] {2.5}, decode(input("s", "FP64", "[]", "2.5")).inputs().get(0).doubles());
        assertTrue(error(input("s", "FP64", "[]", "[1,2]")).contains("'s'"));
    }

    @Test
    void unsignedExtremesAreCarriedInSignedBits() {
        Tensor u64 = decode(input("u", "UINT64", "[2]", "[0,18446744073709551615]")).inputs().get(0);
        assertArrayEquals(new long[] {0, -1L}, u64.longs());
        Tensor u8 = decode(input("u", "UINT8", "[2]", "[0,255]")).inputs().get(0);
        assertArrayEquals(new byte[] {0, (byte) 255}, u8.bytes());
        Tensor u32 = decode(input("u", "UINT32", "[1]", "[4294967295]")).inputs().get(0);
        assertArrayEquals(new int[] {-1}, u32.ints());
    }

    @Test
    void valuesOutOfRangeAreRejectedNamingTheTensor() {
        assertTrue(error(input("pix", "UINT8", "[1]", "[256]")).contains("input 'pix': value 256 is out of range for UINT8"));
        assertTrue(error(input("pix", "UINT8", "[1]", "[-1]")).contains("out of range for UINT8"));
        assertTrue(error(input("n", "INT8", "[1]", "[-129]")).contains("out of range for INT8"));
        assertTrue(error(input("n", "UINT64", "[1]", "[18446744073709551616]")).contains("input 'n'"));
        assertTrue(error(input("n", "INT64", "[1]", "[9223372036854775808]")).contains("out of range for INT64"));
        assertTrue(error(input("h", "FP16", "[1]", "[70000]")).contains("out of range for FP16"));
        assertTrue(error(input("f", "FP32", "[1]", "[1e39]")).contains("out of range for FP32"));
        assertTrue(error(input("f", "FP32", "[1]", "[1e400]")).contains("input 'f': value 1e400 is out of range for FP32 (-3.4028235E38..3.4028235E38)"));
        assertTrue(error(input("h", "FP16", "[1]", "[1e400]")).contains("value 1e400 is out of range for FP16 (-65504..65504)"));
        assertTrue(error(input("d", "FP64", "[1]", "[-1e400]")).contains("out of range for FP64"));
    }

    @Test
    void wrongJsonKindsAreRejectedNamingTheTensor() {
        assertTrue(error(input("i", "INT32", "[1]", "[1.5]")).contains("input 'i': value 1.5 is not valid for INT32"));
        assertTrue(error(input("b", "BOOL", "[1]", "[1]")).contains("input 'b'"));
        assertTrue(error(input("s", "BYTES", "[1]", "[1]")).contains("input 's'"));
        assertTrue(error(input("f", "FP32", "[1]", "[\"x\"]")).contains("input 'f'"));
        assertTrue(error(input("f", "FP32", "[1]", "[null]")).contains("input 'f'"));
    }

    @Test
    void dataCountMustMatchShape() {
        assertEquals("input 'x': data has 3 values but shape [2, 2] calls for 4",
                error(input("x", "FP32", "[2,2]", "[1,2,3]")));
        assertTrue(error(input("x", "FP32", "[2]", "[1,2,3]")).contains("more than the 2 values"));
    }

    @Test
    void unknownDatatypeAndMissingFieldsNameTheTensor() {
        assertEquals("input 'x': unknown datatype 'FLOAT32'", error(input("x", "FLOAT32", "[1]", "[1]")));
        assertEquals("input 'x': missing 'shape'", error("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"data\":[1]}]}"));
        assertEquals("inputs[0]: missing 'name'", error("{\"inputs\":[{\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]}"));
        assertTrue(error("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-1],\"data\":[1]}]}").contains("input 'x'"));
    }

    @Test
    void malformedJsonIsAProtocolError() {
        assertTrue(error("{\"inputs\": [").startsWith("malformed JSON"));
        assertTrue(error("[]").contains("JSON object"));
        assertTrue(error("{}").contains("no 'inputs'"));
    }

    @Test
    void idAndRequestedOutputsAreKeptInOrder() {
        InferenceRequest r = decode("{\"id\":\"r-1\",\"parameters\":{\"a\":1},\"inputs\":[],"
                + "\"outputs\":[{\"name\":\"b\"},{\"name\":\"a\",\"parameters\":{}}]}");
        assertEquals("r-1", r.id());
        assertEquals(List.of("b", "a"), r.requestedOutputs());
        assertNull(decode("{\"inputs\":[]}").id());
    }

    @Test
    void hugeDeclaredShapeFailsWithoutAllocatingIt() {
        assertTrue(error(input("x", "FP32", "[100000000, 100000000]", "[1]")).contains("input 'x'"));
        assertTrue(error(input("x", "FP32", "[1000000000]", "[1]")).contains("calls for 1000000000"));
    }

    @Test
    void responseEncodesUnsignedAndBytesAsTheProtocolSpellsThem() throws IOException {
        InferenceResponse response = new InferenceResponse("m", "1", "r-1", List.of(
                Tensor.of("u", TensorType.UINT64, new long[] {2}, new long[] {-1L, 7}),
                Tensor.of("b", TensorType.UINT8, new long[] {1}, new byte[] {(byte) 200}),
                Tensor.ofStrings("s", new long[] {1}, "héllo")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new InferenceResponseEncoder(mapper).encode(response, out);
        assertEquals("{\"model_name\":\"m\",\"model_version\":\"1\",\"id\":\"r-1\",\"outputs\":["
                + "{\"name\":\"u\",\"datatype\":\"UINT64\",\"shape\":[2],\"data\":[18446744073709551615,7]},"
                + "{\"name\":\"b\",\"datatype\":\"UINT8\",\"shape\":[1],\"data\":[200]},"
                + "{\"name\":\"s\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"héllo\"]}]}",
                out.toString(StandardCharsets.UTF_8));
    }
}
