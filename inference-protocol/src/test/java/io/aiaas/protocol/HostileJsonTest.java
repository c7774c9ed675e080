package io.aiaas.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bodies written to break the decoder: each is a ProtocolException whose message names the problem and no internals. */
class HostileJsonTest {

    private final InferenceCodec codec = new InferenceCodec();

    private String error(String json) {
        return error(json.getBytes(StandardCharsets.UTF_8));
    }

    private String error(byte[] json) {
        String message = assertThrows(ProtocolException.class, () -> codec.decode(json)).getMessage();
        for (String internal : List.of("`", "Source", "java.", "com.fasterxml", "Feature", "StreamReadConstraints",
                "BufferedInputStream", "byte[]")) {
            assertFalse(message.contains(internal), "'" + internal + "' in: " + message);
        }
        assertFalse(SafeText.hasUnpairedSurrogate(message), message);
        return message;
    }

    @Test
    void nonNumericLiteralsAreMalformedJsonWithoutTheFeatureThatWouldAllowThem() {
        assertEquals("malformed JSON: Non-standard token 'NaN'",
                error("{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": [NaN]}]}"));
        assertTrue(error("{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": [Infinity]}]}")
                .startsWith("malformed JSON: Non-standard token 'Infinity'"));
        assertTrue(error("{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": [-Infinity]}]}")
                .startsWith("malformed JSON: Non-standard token '-Infinity'"));
    }

    @Test
    void deepNestingIsRefusedByJacksonsLimitNamedWithoutItsJavaName() {
        String deepExtra = "{\"extra\": " + "[".repeat(5000) + "1" + "]".repeat(5000) + ", \"inputs\": []}";
        assertEquals("malformed JSON: Document nesting depth (1001) exceeds the maximum allowed (1000)", error(deepExtra));
        // data before its declaration is buffered as a tree: the same limit applies there
        String deepData = "{\"inputs\": [{\"data\": " + "[".repeat(5000) + "1" + "]".repeat(5000)
                + ", \"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1]}]}";
        assertTrue(error(deepData).startsWith("malformed JSON: Document nesting depth"));
        // declared first, nesting deeper than the shape is refused at once
        assertEquals("input 'x': nested 'data' does not match shape [1]", error("{\"inputs\": [{\"name\": \"x\", "
                + "\"datatype\": \"FP32\", \"shape\": [1], \"data\": " + "[".repeat(5000) + "1" + "]".repeat(5000) + "}]}"));
        assertTrue(error("{\"parameters\": " + "{\"a\":".repeat(3000) + "1" + "}".repeat(3000) + ", \"inputs\": []}")
                .startsWith("malformed JSON: Document nesting depth"));
    }

    @Test
    void truncatedDocumentsDoNotDescribeTheParsersSource() {
        assertTrue(error("{\"inputs\": [").startsWith("malformed JSON: Unexpected end-of-input"));
        assertTrue(error("{\"inputs\": [{\"name\": \"x").startsWith("malformed JSON: Unexpected end-of-input"));
        assertTrue(error("").startsWith("request body must be a JSON object") || error("").startsWith("malformed JSON"));
    }

    @Test
    void hugeNumbersAreOutOfRangeNamingTheTensor() {
        String digits = "9".repeat(900);
        String message = error("{\"inputs\": [{\"name\": \"n\", \"datatype\": \"INT64\", \"shape\": [1], \"data\": [" + digits + "]}]}");
        assertTrue(message.startsWith("input 'n': value 9999999999"), message);
        assertTrue(message.length() < 200, message);
        assertTrue(error("{\"inputs\": [{\"name\": \"n\", \"datatype\": \"INT64\", \"shape\": [1], \"data\": [" + "9".repeat(2000) + "]}]}")
                .startsWith("malformed JSON: Number value length"));
        assertTrue(error("{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [" + digits + "], \"data\": [1]}]}")
                .contains("'shape' must be an array of non-negative integers"));
    }

    @Test
    void unpairedSurrogatesAreRefusedWhereverAStringIsUsed() {
        assertEquals("'id' contains an unpaired surrogate, which is not valid Unicode",
                error("{\"id\": \"a\\ud800b\", \"inputs\": []}"));
        assertEquals("inputs[0]: 'name' contains an unpaired surrogate, which is not valid Unicode",
                error("{\"inputs\": [{\"name\": \"\\udc00\", \"datatype\": \"BYTES\", \"shape\": [1], \"data\": [\"a\"]}]}"));
        assertEquals("input 's': element 1 contains an unpaired surrogate, which is not valid Unicode",
                error("{\"inputs\": [{\"name\": \"s\", \"datatype\": \"BYTES\", \"shape\": [2], \"data\": [\"ok\", \"\\ud83d\"]}]}"));
        assertEquals("outputs[0]: 'name' contains an unpaired surrogate, which is not valid Unicode",
                error("{\"inputs\": [], \"outputs\": [{\"name\": \"\\ud800\"}]}"));
        // a proper pair is fine, and NUL is a character like any other in BYTES
        InferenceRequest ok = codec.decode("{\"id\": \"\\ud83d\\ude00\", \"inputs\": [{\"name\": \"s\", \"datatype\": \"BYTES\", \"shape\": [1], \"data\": [\"a\\u0000b\"]}]}"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("\uD83D\uDE00", ok.id());
        assertArrayEquals(new byte[] {'a', 0, 'b'}, ok.inputs().get(0).byteStrings()[0]);
    }

    @Test
    void invalidUtf8IsMalformed() {
        byte[] body = "{\"id\": \"xx\", \"inputs\": []}".getBytes(StandardCharsets.UTF_8);
        body[8] = (byte) 0xff;
        assertTrue(error(body).startsWith("malformed JSON: Invalid UTF-8"), error(body));
    }

    @Test
    void echoedValuesAreCutAndMadeValidUnicode() {
        String message = error("{\"inputs\": [{\"name\": \"x\", \"datatype\": \"" + "D".repeat(500) + "\", \"shape\": [1], \"data\": [1]}]}");
        assertEquals("input 'x': unknown datatype '" + "D".repeat(40) + "...'", message);
        String half = "\uD83D\uDE00".repeat(30);
        String cut = SafeText.forMessage(half, 41);
        assertFalse(SafeText.hasUnpairedSurrogate(cut), cut);
        assertEquals("a\uFFFDb", SafeText.forMessage("a\uDC00b", 10));
    }

    @Test
    void wrongTypesForEveryFieldNameTheField() {
        assertEquals("'inputs' must be an array", error("{\"inputs\": {}}"));
        assertEquals("'id' must be a string", error("{\"id\": 7, \"inputs\": []}"));
        assertEquals("'parameters' must be an object", error("{\"parameters\": [], \"inputs\": []}"));
        assertEquals("'outputs' must be an array", error("{\"inputs\": [], \"outputs\": \"y\"}"));
        assertEquals("inputs[0] must be an object", error("{\"inputs\": [1]}"));
        assertEquals("inputs[0]: 'name' must be a non-empty string", error("{\"inputs\": [{\"name\": 1}]}"));
        assertEquals("input 'x': 'datatype' must be a string", error("{\"inputs\": [{\"name\": \"x\", \"datatype\": 1}]}"));
        assertEquals("input 'x': 'shape' must be an array of non-negative integers",
                error("{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1.5], \"data\": [1]}]}"));
        assertEquals("input 'x': 'data' must be an array of values, not an object",
                error("{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": {}}]}"));
        assertEquals("malformed JSON: unexpected content after the request object", error("{\"inputs\": []} {}"));
    }
}
