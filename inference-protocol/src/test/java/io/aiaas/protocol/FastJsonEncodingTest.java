package io.aiaas.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.aiaas.engine.Tensor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The direct tensor writer: shortest round-tripping floats, and the same JSON values as Jackson writes. */
class FastJsonEncodingTest {

    private final FloatText floatText = new FloatText();

    private String text(float v) {
        byte[] out = new byte[FloatText.MAX_LENGTH];
        int n = floatText.write(v, out, 0);
        return new String(out, 0, n, StandardCharsets.US_ASCII);
    }

    private void check(float v) {
        String ours = text(v);
        // Schubfach, as JDK 19+ Float.toString: the shortest decimal that reads back, the closest of those
        String schubfach = NumberOutput.toString(v, true);
        if (!ours.equals(schubfach) || Float.floatToRawIntBits(Float.parseFloat(ours)) != Float.floatToRawIntBits(v)) {
            fail(Float.floatToRawIntBits(v) + ": ours " + ours + ", Schubfach " + schubfach);
        }
    }

    @Test
    void millionsOfFloatsAreWrittenAsTheShortestDecimalThatReadsBack() {
        Random random = new Random(19);
        for (int k = 0; k < 2_000_000; k++) {
            float v = Float.intBitsToFloat(random.nextInt());
            if (Float.isFinite(v)) {
                check(v);
            }
            check((float) random.nextGaussian());
        }
    }

    @Test
    void everyFloatOfFourBinadesIsWrittenAsSchubfachWritesIt() {
        // the subnormals (the tiniest take the two-digit rule), [1, 2), [2^23, 2^24) (integers, and 1.0E7 where the
        // layout turns) and the largest binade (Float.MAX_VALUE): 2^23 floats each, compared byte for byte
        byte[] out = new byte[FloatText.MAX_LENGTH];
        int checked = 0;
        for (int biased : new int[] {0, 127, 150, 254}) {
            for (int t = 0; t < 1 << 23; t++) {
                float v = Float.intBitsToFloat(biased << 23 | t);
                int n = floatText.write(v, out, 0);
                String schubfach = NumberOutput.toString(v, true);
                boolean same = n == schubfach.length();
                for (int j = 0; same && j < n; j++) {
                    same = out[j] == schubfach.charAt(j);
                }
                if (!same) {
                    fail(Float.floatToRawIntBits(v) + ": ours " + new String(out, 0, n, StandardCharsets.US_ASCII)
                            + ", Schubfach " + schubfach);
                }
                checked++;
            }
        }
        assertEquals(4 << 23, checked);
    }

    @Test
    void edgeFloatsAreWrittenAsSchubfachWritesThem() {
        List<Float> edges = new ArrayList<>(List.of(0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
                Math.nextDown(Float.MIN_NORMAL), Float.MAX_VALUE, -Float.MAX_VALUE, 1f, 0.1f, 0.001f, 9.999999e-4f,
                1e7f, 9999999f, 1.0E7f, 123456.79f, 2e-45f, 3e-45f, 1e10f, 8.589973e9f, 1.0E-5f, 0.3f, 16777216f));
        for (int e = -45; e <= 38; e++) {
            float p = Float.parseFloat("1e" + e);
            edges.add(p);
            edges.add(Math.nextUp(p));
            edges.add(Math.nextDown(p));
        }
        for (int e = -149; e <= 127; e++) {
            float p = (float) Math.scalb(1.0, e);
            edges.add(p);
            edges.add(Math.nextUp(p));
            edges.add(Math.nextDown(p));
        }
        for (int bits = 1; bits < 100_000; bits++) {
            edges.add(Float.intBitsToFloat(bits)); // the subnormals with the fewest bits
        }
        for (float start : new float[] {1e6f, 4194000f, 8388000f, 1e7f, 1e-3f}) {
            // where decimals of 7 to 8 digits fall exactly halfway (4194303.75): ties go to the even digit
            for (int bits = Float.floatToIntBits(start), k = 0; k < 50_000; k++) {
                edges.add(Float.intBitsToFloat(bits + k));
            }
        }
        for (float v : edges) {
            check(v);
        }
        assertEquals("1.4E-45", text(Float.MIN_VALUE));
        assertEquals("3.4028235E38", text(Float.MAX_VALUE));
        assertEquals("-0.0", text(-0f));
        assertEquals("0.001", text(0.001f));
        assertEquals("1.0E7", text(1e7f));
        assertEquals("9999999.0", text(9999999f));
    }

    private final DoubleText doubleText = new DoubleText();

    private void checkDouble(double v) {
        byte[] out = new byte[DoubleText.MAX_LENGTH];
        int n = doubleText.write(v, out, 0);
        String ours = new String(out, 0, n, StandardCharsets.US_ASCII);
        String schubfach = NumberOutput.toString(v, true);
        if (!ours.equals(schubfach) || Double.doubleToRawLongBits(Double.parseDouble(ours)) != Double.doubleToRawLongBits(v)) {
            fail(Double.doubleToRawLongBits(v) + ": ours " + ours + ", Schubfach " + schubfach);
        }
    }

    @Test
    void millionsOfDoublesAreWrittenAsSchubfachWritesThem() {
        Random random = new Random(23);
        for (int k = 0; k < 500_000; k++) {
            double v = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(v)) {
                checkDouble(v);
            }
            checkDouble(random.nextGaussian());
            checkDouble(random.nextDouble());
            checkDouble(random.nextFloat()); // a float widened: few digits in binary, many in decimal
        }
        List<Double> edges = new ArrayList<>(List.of(0.0, -0.0, Double.MIN_VALUE, Double.MIN_NORMAL,
                Math.nextDown(Double.MIN_NORMAL), Double.MAX_VALUE, -Double.MAX_VALUE, 1.0, 0.1, 0.001, 1e7, 9999999.0,
                1e23, 8.41e21, 2e-323, 3e-323, 5.0E-324, 1.0E-5, 0.3, 9007199254740993.0, 4.35679693732e-311));
        for (int e = -324; e <= 308; e++) {
            double p = Double.parseDouble("1e" + e);
            edges.add(p);
            edges.add(Math.nextUp(p));
            edges.add(Math.nextDown(p));
        }
        for (int e = -1074; e <= 1023; e++) {
            double p = Math.scalb(1.0, e);
            edges.add(p);
            edges.add(Math.nextUp(p));
            edges.add(Math.nextDown(p));
        }
        for (long bits = 1; bits < 100_000; bits++) {
            edges.add(Double.longBitsToDouble(bits));
        }
        for (double v : edges) {
            checkDouble(v);
            checkDouble(-v);
        }
        byte[] out = new byte[DoubleText.MAX_LENGTH];
        assertEquals("4.9E-324", new String(out, 0, doubleText.write(Double.MIN_VALUE, out, 0), StandardCharsets.US_ASCII));
        assertEquals("1.7976931348623157E308", new String(out, 0, doubleText.write(Double.MAX_VALUE, out, 0), StandardCharsets.US_ASCII));
        assertEquals("1.0E23", new String(out, 0, doubleText.write(1e23, out, 0), StandardCharsets.US_ASCII));
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static InferenceResponse response(Random random, int n) {
        float[] floats = new float[n];
        double[] doubles = new double[n];
        int[] ints = new int[n];
        long[] longs = new long[n];
        byte[] bytes = new byte[n];
        short[] shorts = new short[n];
        boolean[] bools = new boolean[n];
        for (int k = 0; k < n; k++) {
            floats[k] = k % 50 == 0 ? Float.intBitsToFloat(random.nextInt()) : (float) random.nextGaussian();
            doubles[k] = k % 50 == 0 ? Double.longBitsToDouble(random.nextLong()) : random.nextGaussian();
            ints[k] = random.nextInt();
            longs[k] = random.nextLong();
            bytes[k] = (byte) random.nextInt();
            shorts[k] = (short) random.nextInt();
            bools[k] = random.nextBoolean();
        }
        floats[0] = Float.NaN;
        floats[1] = Float.NEGATIVE_INFINITY;
        doubles[1] = Double.POSITIVE_INFINITY;
        long[] shape = {n};
        return new InferenceResponse("m", "1", "id-\u00e9\"", List.of(Tensor.ofFp32("f32", shape, floats),
                Tensor.ofFp16("f16", shape, floats.clone()), Tensor.ofFp64("f64", shape, doubles),
                Tensor.ofInt32("i32", shape, ints), Tensor.ofUint32("u32", shape, ints.clone()),
                Tensor.ofInt64("i64", shape, longs), Tensor.ofUint64("u64", shape, longs.clone()),
                Tensor.ofInt8("i8", shape, bytes), Tensor.ofUint8("u8", shape, bytes.clone()),
                Tensor.ofInt16("i16", shape, shorts), Tensor.ofUint16("u16", shape, shorts.clone()),
                Tensor.ofBool("b", shape, bools), Tensor.ofStrings("s", new long[] {2}, "a\"b", "\u00e9")));
    }

    private static byte[] encode(InferenceResponseEncoder encoder, InferenceResponse response, boolean direct) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (direct) {
            encoder.encode(response, out);
        } else {
            encoder.encodeWithJackson(response, out);
        }
        return out.toByteArray();
    }

    @Test
    void theDirectWriterWritesTheValuesJacksonWrites() throws IOException {
        InferenceResponseEncoder encoder = new InferenceResponseEncoder(MAPPER);
        InferenceResponse response = response(new Random(5), 20_000);
        byte[] direct = encode(encoder, response, true);
        byte[] jackson = encode(encoder, response, false);
        JsonNode ours = MAPPER.readTree(direct);
        JsonNode theirs = MAPPER.readTree(jackson);
        assertEquals(theirs.size(), ours.size());
        assertEquals(theirs.get("id"), ours.get("id"));
        for (int t = 0; t < theirs.get("outputs").size(); t++) {
            JsonNode a = ours.get("outputs").get(t);
            JsonNode b = theirs.get("outputs").get(t);
            assertEquals(b.get("name"), a.get("name"));
            assertEquals(b.get("shape"), a.get("shape"));
            String type = b.get("datatype").asText();
            JsonNode da = a.get("data");
            JsonNode db = b.get("data");
            assertEquals(db.size(), da.size(), type);
            for (int k = 0; k < db.size(); k++) {
                if (type.startsWith("FP")) {
                    // the digits may differ from JDK 17's Float.toString (not always the shortest); the value may not
                    String x = da.get(k).asText();
                    String y = db.get(k).asText();
                    boolean same = type.equals("FP64") ? Double.parseDouble(x) == Double.parseDouble(y) || x.equals(y)
                            : Float.floatToRawIntBits(Float.parseFloat(x)) == Float.floatToRawIntBits(Float.parseFloat(y));
                    assertTrue(same && da.get(k).isTextual() == db.get(k).isTextual(), type + "[" + k + "]: " + x + " vs " + y);
                } else {
                    assertEquals(db.get(k), da.get(k), type + "[" + k + "]");
                }
            }
        }
        assertTrue(new String(direct, StandardCharsets.UTF_8).contains("[\"NaN\",\"-Infinity\","), "NaN and infinities quoted as Jackson does");
        assertEquals(response.outputs().get(0).floats()[5],
                new InferenceCodec().decode(("{\"inputs\":[{\"name\":\"f\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":["
                        + ours.get("outputs").get(0).get("data").get(5).asText() + "]}]}").getBytes(StandardCharsets.UTF_8)).inputs().get(0).floats()[0]);
    }

    @Test
    void mappersThatFormatNumbersThemselvesKeepJacksonWritingThem() throws IOException {
        InferenceResponse response = response(new Random(6), 100);
        for (ObjectMapper mapper : List.of(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build(),
                JsonMapper.builder().enable(JsonWriteFeature.WRITE_NUMBERS_AS_STRINGS).build(),
                JsonMapper.builder().disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS).build())) {
            InferenceResponseEncoder encoder = new InferenceResponseEncoder(mapper);
            byte[] direct = encode(encoder, response, true);
            byte[] jackson = encode(encoder, response, false);
            if (mapper.isEnabled(JsonGenerator.Feature.WRITE_NUMBERS_AS_STRINGS) || mapper.isEnabled(SerializationFeature.INDENT_OUTPUT)) {
                assertArrayEquals(jackson, direct, "written by Jackson itself");
            } else {
                assertTrue(new String(direct, StandardCharsets.UTF_8).contains("[NaN,-Infinity,"), "bare, as this mapper asks");
            }
        }
    }
}
