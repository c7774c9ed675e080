package io.aiaas.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.engine.Tensor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The fast decoder against the rules it must keep: every number it reads is bit for bit what
 * {@link Float#parseFloat}, {@link Double#parseDouble} or {@link Long#parseLong} read from the same text, every body
 * it does not take goes to the Jackson path, and the codec's answer (tensors or error message) is the Jackson path's.
 */
class FastJsonDecodingTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final InferenceRequestDecoder decoder = new InferenceRequestDecoder(mapper);

    private static byte[] body(String type, List<String> values) {
        StringBuilder json = new StringBuilder("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"").append(type)
                .append("\",\"shape\":[").append(values.size()).append("],\"data\":[");
        for (int k = 0; k < values.size(); k++) {
            json.append(k == 0 ? "" : k % 7 == 0 ? ",\n  " : ",").append(values.get(k));
        }
        return json.append("]}]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Decoded by the fast path itself: null would mean it handed the body to Jackson. */
    private Tensor fast(byte[] body) {
        InferenceRequest request = FastRequestDecoder.decode(mapper.getFactory(), Integer.MAX_VALUE, body, 0, body.length);
        assertNotNull(request, () -> "the fast path refused " + new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8));
        return request.inputs().get(0);
    }

    private Tensor jackson(byte[] body) {
        return decoder.decodeWithJackson(new ByteArrayInputStream(body)).inputs().get(0);
    }

    /** Random decimal texts of every JSON shape: short and long mantissas, small and large exponents. */
    private static String randomDecimal(Random random) {
        StringBuilder s = new StringBuilder();
        if (random.nextBoolean()) {
            s.append('-');
        }
        int digits = 1 + random.nextInt(random.nextInt(4) == 0 ? 25 : 10);
        String mantissa = Long.toString(Math.abs(random.nextLong())) + Long.toString(Math.abs(random.nextLong()));
        mantissa = mantissa.substring(0, Math.min(digits, mantissa.length()));
        int point = random.nextInt(mantissa.length() + 1);
        String whole = point == 0 ? "0" : mantissa.substring(0, point).replaceFirst("^0+(?=.)", "");
        s.append(whole);
        if (point < mantissa.length()) {
            s.append('.').append(random.nextInt(3) == 0 ? "000" : "").append(mantissa.substring(point));
        }
        switch (random.nextInt(4)) {
            case 0 -> s.append(random.nextBoolean() ? 'e' : 'E').append(random.nextInt(50) - 50);
            case 1 -> s.append("e+").append(random.nextInt(40));
            case 2 -> s.append("E0").append(random.nextInt(10));
            default -> { }
        }
        return s.toString();
    }

    @Test
    void millionsOfFloatsDecodeBitForBitAsParseFloat() {
        Random random = new Random(8);
        for (int round = 0; round < 60; round++) {
            List<String> texts = new ArrayList<>();
            for (int k = 0; k < 20_000; k++) {
                float f = switch (k % 4) {
                    case 0 -> (float) random.nextGaussian();
                    case 1 -> Float.intBitsToFloat(random.nextInt()) ;
                    default -> Float.NaN;
                };
                String text = switch (k % 4) {
                    case 0 -> Float.toString(f);
                    case 1 -> Float.isFinite(f) ? Double.toString(f) : "1.5";  // as a Python client writes float32
                    case 2 -> randomDecimal(random);
                    default -> Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(20) - 10));
                };
                if (Math.abs(Double.parseDouble(text)) >= Float.MAX_VALUE) {
                    text = "0.5"; // beyond the range refusal, covered below
                }
                texts.add(text.replace("E", random.nextBoolean() ? "E" : "e"));
            }
            byte[] body = body("FP32", texts);
            float[] fast = fast(body).floats();
            float[] jackson = jackson(body).floats();
            for (int k = 0; k < texts.size(); k++) {
                int expected = Float.floatToRawIntBits(Float.parseFloat(texts.get(k)));
                if (Float.floatToRawIntBits(fast[k]) != expected || Float.floatToRawIntBits(jackson[k]) != expected) {
                    fail(texts.get(k) + ": parseFloat " + Float.parseFloat(texts.get(k)) + ", fast " + fast[k] + ", jackson " + jackson[k]);
                }
            }
        }
    }

    @Test
    void millionsOfDoublesDecodeBitForBitAsParseDouble() {
        Random random = new Random(64);
        for (int round = 0; round < 25; round++) {
            List<String> texts = new ArrayList<>();
            for (int k = 0; k < 20_000; k++) {
                double d = Double.longBitsToDouble(random.nextLong());
                String text = switch (k % 3) {
                    case 0 -> Double.toString(random.nextGaussian());
                    case 1 -> Double.isFinite(d) ? Double.toString(d) : "2.5";
                    default -> randomDecimal(random);
                };
                texts.add(text);
            }
            byte[] body = body("FP64", texts);
            double[] fast = fast(body).doubles();
            double[] jackson = jackson(body).doubles();
            for (int k = 0; k < texts.size(); k++) {
                long expected = Double.doubleToRawLongBits(Double.parseDouble(texts.get(k)));
                if (Double.doubleToRawLongBits(fast[k]) != expected || Double.doubleToRawLongBits(jackson[k]) != expected) {
                    fail(texts.get(k) + ": parseDouble " + Double.parseDouble(texts.get(k)) + ", fast " + fast[k] + ", jackson " + jackson[k]);
                }
            }
        }
    }

    @Test
    void integersDecodeAsParseLongForEveryWidth() {
        Random random = new Random(16);
        long[][] ranges = {{-128, 127}, {0, 255}, {-32768, 32767}, {0, 65535}, {Integer.MIN_VALUE, Integer.MAX_VALUE},
                {0, 0xFFFF_FFFFL}, {Long.MIN_VALUE + 1, Long.MAX_VALUE}, {0, Long.MAX_VALUE}};
        String[] types = {"INT8", "UINT8", "INT16", "UINT16", "INT32", "UINT32", "INT64", "UINT64"};
        for (int t = 0; t < types.length; t++) {
            long min = ranges[t][0];
            long max = ranges[t][1];
            List<String> texts = new ArrayList<>(List.of(Long.toString(min), Long.toString(max), "0", "-0"));
            for (int k = 0; k < 50_000; k++) {
                long v = switch (k % 3) {
                    case 0 -> min + Math.floorMod(random.nextLong(), Math.max(1, Math.min(max - min, Long.MAX_VALUE)));
                    case 1 -> Math.max(min, Math.min(max, random.nextInt(2001) - 1000));
                    default -> random.nextBoolean() ? min : max;
                };
                texts.add(Long.toString(v));
            }
            byte[] body = body(types[t], texts);
            Tensor fast = fast(body);
            Tensor jackson = jackson(body);
            long[] fastValues = widen(fast.data());
            assertArrayEquals(widen(jackson.data()), fastValues, types[t]);
            for (int k = 0; k < texts.size(); k++) {
                long expected = Long.parseLong(texts.get(k));
                long actual = types[t].startsWith("U") && !types[t].equals("UINT64") ? fastValues[k] & ((1L << (8 << (t / 2))) - 1) : fastValues[k];
                assertEquals(expected, actual, types[t] + " " + texts.get(k));
            }
        }
    }

    private static long[] widen(Object data) {
        if (data instanceof byte[] a) {
            long[] w = new long[a.length];
            Arrays.setAll(w, k -> a[k]);
            return w;
        }
        if (data instanceof short[] a) {
            long[] w = new long[a.length];
            Arrays.setAll(w, k -> a[k]);
            return w;
        }
        if (data instanceof int[] a) {
            long[] w = new long[a.length];
            Arrays.setAll(w, k -> a[k]);
            return w;
        }
        return (long[]) data;
    }

    @Test
    void edgeValuesDecodeAsTheJdkReadsThem() {
        List<String> texts = List.of("1e-45", "1.4e-45", "1.4E-45", "7.006492321624085e-46", "7.006492321624086e-46",
                "3e-46", "1.17549435E-38", "1.1754942E-38", "3.4028235e38", "3.4028234663852886E38", "-3.4028235E+38",
                "-0.0", "-0", "0", "0.0", "0e999999", "-0e-5", "1e-999999999", "0.000000000000000000000000000001",
                "1E+2", "1e-2", "1E0", "1e007", "123456789012345678901234567890", "0.1000000000000000055511151231257827",
                "16777217", "16777216.5", "33554435", "1.00000005960464477539062", "1.000000059604644775390625",
                "1.0000000596046447753906251", "9007199254740993", "4.9e-324", "2.2250738585072014E-308");
        byte[] body = body("FP32", texts);
        float[] fast = fast(body).floats();
        float[] jackson = jackson(body).floats();
        for (int k = 0; k < texts.size(); k++) {
            float expected = Float.parseFloat(texts.get(k));
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(fast[k]), texts.get(k));
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(jackson[k]), texts.get(k));
        }
        byte[] doubles = body("FP64", texts);
        double[] fastD = fast(doubles).doubles();
        for (int k = 0; k < texts.size(); k++) {
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(texts.get(k))), Double.doubleToRawLongBits(fastD[k]), texts.get(k));
        }
    }

    @Test
    void fp32RefusesOnlyWhatRoundsBeyondTheLargestFloat() {
        byte[] edge = body("FP32", List.of("3.4028235E38", "-3.4028235e38", "3.40282356e38", "65504.0000001"));
        float[] values = fast(edge).floats();
        assertArrayEquals(new float[] {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MAX_VALUE, 65504f}, values);
        assertArrayEquals(values, jackson(edge).floats());
        for (String beyond : List.of("3.4028236e38", "1e39", "-1e300", "1e999")) {
            byte[] body = body("FP32", List.of(beyond));
            String message = org.junit.jupiter.api.Assertions.assertThrows(ProtocolException.class, () -> decoder.decode(body)).getMessage();
            assertEquals("input 'x': value " + beyond + " is out of range for FP32 (-3.4028235E38..3.4028235E38)", message);
        }
        byte[] half = body("FP16", List.of("65504.0000001"));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(ProtocolException.class, () -> decoder.decode(half)).getMessage()
                .contains("out of range for FP16 (-65504..65504)"));
        assertEquals(65504f, fast(body("FP16", List.of("65504.0"))).floats()[0]);
    }

    @Test
    void bodiesTheFastPathDoesNotTakeGetTheJacksonPathsAnswer() {
        String ok = "{\"id\":\"r1\",\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2,2],\"data\":[[1,2],[3,4]]}]}";
        List<String> refused = List.of(
                "\uFEFF" + ok,                                                     // byte order mark
                ok.replace("\"id\":\"r1\"", "\"id\":\"r\\u00e9\",\"id\":\"r2\""),  // a repeated field
                ok.replace("FP32", "BYTES").replace("[[1,2],[3,4]]", "[\"a\",\"b\",\"c\",\"d\"]"),
                ok.replace("[[1,2],[3,4]]", "[[1,2],[3,4e39]]"),                    // out of range
                ok.replace("[[1,2],[3,4]]", "[[1,2],[3,3.4028236e38]]").replace("FP32", "FP16"),
                ok.replace("[[1,2],[3,4]]", "[[1,2],[3,65504.0000001]]").replace("FP32", "FP16"),
                ok.replace("[[1,2],[3,4]]", "[[1,2],[3,-3.4028236e38]]"),           // rounds beyond the largest float
                ok.replace("[[1,2],[3,4]]", "[[1,2],[3," + "1".repeat(70) + "]]"),  // long number
                ok.replace("[[1,2],[3,4]]", "[1,2,3,4,5]"),
                ok.replace("[[1,2],[3,4]]", "[[1,2],[3]]"),
                ok.replace("[[1,2],[3,4]]", "[[1,2],[3,04]]"),
                ok.replace("[[1,2],[3,4]]", "[[1,2],[3,.4]]"),
                ok.replace("[[1,2],[3,4]]", "[[1,2],[3,4.]]"),
                ok.replace("[[1,2],[3,4]]", "[[1,2],[3,+4]]"),
                ok.replace("[[1,2],[3,4]]", "[[1,2],[3,NaN]]"),
                ok.replace("[[1,2],[3,4]]", "[[1,2],[3,null]]"),
                ok.replace("FP32", "INT32").replace("[[1,2],[3,4]]", "[[1,2],[3,4.0]]"),
                ok.replace("FP32", "INT32").replace("[[1,2],[3,4]]", "[[1,2],[3,4e0]]"),
                ok.replace("FP32", "UINT64").replace("[[1,2],[3,4]]", "[[1,2],[3,18446744073709551615]]"),
                ok + " x",
                ok.substring(0, ok.length() - 3),
                "[" + ok + "]",
                "{\"inputs\":[]," + "\"p\":".repeat(1) + "[".repeat(100) + "]".repeat(100) + "}");
        for (String json : refused) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            assertNull(FastRequestDecoder.decode(mapper.getFactory(), Integer.MAX_VALUE, body, 0, body.length), json);
            assertSameOutcome(body);
        }
        // the ordinary forms it does take
        for (String json : List.of(ok, ok.replace(":", " : ").replace(",", " ,\n\t"), ok.replace("\"id\":\"r1\"", "\"id\":\"r\\u00e9\\n\""),
                "{\"inputs\":[{\"data\":[1,2,3,4],\"shape\":[4],\"name\":\"x\",\"datatype\":\"FP16\"}],\"outputs\":[{\"name\":\"y\"},{\"name\":\"y\"}]}",
                "{\"parameters\":{\"a\":[1,{\"b\":null}],\"c\":\"\u00e9\"},\"inputs\":[{\"name\":\"s\",\"datatype\":\"BOOL\",\"shape\":[],\"data\":true}]}")) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            assertNotNull(FastRequestDecoder.decode(mapper.getFactory(), Integer.MAX_VALUE, body, 0, body.length), json);
            assertSameOutcome(body);
        }
    }

    @Test
    void everyPrefixAndThousandsOfMutationsGetTheSameAnswerAsTheJacksonPath() {
        String ok = "{\"id\":\"r-1\",\"parameters\":{\"p\":[1,true,null,\"s\"]},\"inputs\":[{\"name\":\"a\",\"datatype\":\"FP32\","
                + "\"shape\":[2,3],\"data\":[[1.5,-2e-3,3.25E+2],[0,-0.0,7]]},{\"name\":\"b\",\"datatype\":\"INT64\",\"shape\":[3],"
                + "\"data\":[-9223372036854775807,0,42]},{\"name\":\"c\",\"datatype\":\"BOOL\",\"shape\":[2],\"data\":[true,false]},"
                + "{\"data\":[255,0],\"name\":\"d\",\"shape\":[2],\"datatype\":\"UINT8\"}],\"outputs\":[{\"name\":\"y\"}]}";
        byte[] valid = ok.getBytes(StandardCharsets.UTF_8);
        assertNotNull(FastRequestDecoder.decode(mapper.getFactory(), Integer.MAX_VALUE, valid, 0, valid.length));
        for (int n = 0; n <= valid.length; n++) {
            assertSameOutcome(Arrays.copyOf(valid, n));
        }
        Random random = new Random(42);
        byte[] alphabet = "{}[]\":,.-+eE0123456789 \ntrufalsn\\\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        for (int k = 0; k < 20_000; k++) {
            byte[] mutated = valid.clone();
            for (int m = 1 + random.nextInt(3); m > 0; m--) {
                mutated[random.nextInt(mutated.length)] = alphabet[random.nextInt(alphabet.length)];
            }
            assertSameOutcome(mutated);
        }
    }

    @Test
    void aStreamThatTricklesGivesTheSameTensors() {
        List<String> texts = new ArrayList<>();
        Random random = new Random(3);
        for (int k = 0; k < 5000; k++) {
            texts.add(Float.toString((float) random.nextGaussian()));
        }
        byte[] body = body("FP32", texts);
        InputStream trickle = new ByteArrayInputStream(body) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(7)));
            }
        };
        assertArrayEquals(jackson(body).floats(), decoder.decode(trickle).inputs().get(0).floats());
    }

    /** The codec and the Jackson path alone: the same tensors, or a ProtocolException with the same message. */
    private void assertSameOutcome(byte[] body) {
        Object expected = outcome(() -> decoder.decodeWithJackson(new ByteArrayInputStream(body)));
        Object actual = outcome(() -> decoder.decode(body));
        assertEquals(expected, actual, () -> new String(body, StandardCharsets.UTF_8));
        assertTrue(!(actual instanceof String s) || s.startsWith(ProtocolException.class.getSimpleName()), () -> actual + " for " + new String(body, StandardCharsets.UTF_8));
    }

    private static Object outcome(java.util.function.Supplier<InferenceRequest> decode) {
        try {
            InferenceRequest request = decode.get();
            List<Object> parts = new ArrayList<>(List.of(String.valueOf(request.id()), request.requestedOutputs()));
            for (Tensor t : request.inputs()) {
                parts.add(t.name() + " " + t.type() + " " + Arrays.toString(t.shape()));
                parts.add(switch (t.type()) {
                    case FP32, FP16 -> Arrays.toString(t.floats());
                    case FP64 -> Arrays.toString(t.doubles());
                    case BYTES -> Arrays.deepToString(t.byteStrings());
                    case BOOL -> Arrays.toString((boolean[]) t.data());
                    default -> Arrays.toString(widen(t.data()));
                });
            }
            return parts;
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
