package io.aiaas.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.engine.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Decode and encode speed of tensor JSON, the Jackson path against the direct one, in one interleaved run.
 * Not a test (surefire's default patterns do not match it) and skipped unless asked for:
 * {@code mvn -B -ntp -o test -pl onnx-engine,inference-protocol -Dtest=TensorJsonBenchmark -Daiaas.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false}. Prints, per case, the median over {@code aiaas.bench.rounds} rounds
 * (default 15) of the time per call, MB/s of JSON, and the bytes allocated per call.
 */
@EnabledIfSystemProperty(named = "aiaas.bench", matches = "true")
class TensorJsonBenchmark {

    private static final long[] SHAPE = {1, 3, 48, 192};
    private static final int ROUNDS = Integer.getInteger("aiaas.bench.rounds", 15);

    private final ObjectMapper mapper = new ObjectMapper();
    private final InferenceRequestDecoder decoder = new InferenceRequestDecoder(mapper);
    private final InferenceResponseEncoder encoder = new InferenceResponseEncoder(mapper);
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** A request as a client writes it: Java's Float.toString, or a Python client's float64 repr with ", ". */
    private static byte[] request(float[] values, boolean python) {
        StringBuilder json = new StringBuilder("{\"id\": \"bench\", \"inputs\": [{\"name\": \"input\", \"shape\": [1, 3, 48, 192], "
                + "\"datatype\": \"FP32\", \"data\": [");
        for (int k = 0; k < values.length; k++) {
            json.append(k == 0 ? "" : python ? ", " : ",").append(python ? Double.toString(values[k]) : Float.toString(values[k]));
        }
        return json.append("]}]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    interface Call {
        void run() throws IOException;
    }

    /** Median nanoseconds per call over the rounds, and bytes allocated per call, for each case, interleaved. */
    private void measure(String title, long bytes, int calls, String[] names, Call[] cases) throws IOException {
        long budget = System.nanoTime() + 3_000_000_000L; // warm-up: let the JIT compile both paths
        while (System.nanoTime() < budget) {
            for (Call c : cases) {
                c.run();
            }
        }
        long[][] nanos = new long[cases.length][ROUNDS];
        long[] allocated = new long[cases.length];
        long thread = Thread.currentThread().getId();
        for (int r = 0; r < ROUNDS; r++) {
            for (int c = 0; c < cases.length; c++) {
                long a0 = threads.getThreadAllocatedBytes(thread);
                long t0 = System.nanoTime();
                for (int k = 0; k < calls; k++) {
                    cases[c].run();
                }
                nanos[c][r] = (System.nanoTime() - t0) / calls;
                allocated[c] += (threads.getThreadAllocatedBytes(thread) - a0) / calls;
            }
        }
        System.out.printf("%n%s (%,d bytes of JSON, %d rounds of %d calls)%n", title, bytes, ROUNDS, calls);
        System.out.printf("  %-26s %12s %10s %16s%n", "case", "median", "MB/s", "allocated/call");
        for (int c = 0; c < cases.length; c++) {
            long[] sorted = nanos[c].clone();
            Arrays.sort(sorted);
            long median = sorted[ROUNDS / 2];
            String time = median >= 100_000 ? String.format("%.3f ms", median / 1e6) : String.format("%.2f us", median / 1e3);
            System.out.printf("  %-26s %12s %10.0f %,16d%n", names[c], time, bytes / (median / 1e9) / 1e6, allocated[c] / ROUNDS);
        }
    }

    @Test
    void decodeAndEncode() throws IOException {
        Random random = new Random(2024);
        float[] values = new float[3 * 48 * 192];
        for (int k = 0; k < values.length; k++) {
            values[k] = (float) random.nextGaussian();
        }
        for (boolean python : new boolean[] {false, true}) {
            byte[] body = request(values, python);
            assertArrayEquals(values, decoder.decode(body).inputs().get(0).floats());
            assertArrayEquals(values, decoder.decodeWithJackson(new ByteArrayInputStream(body)).inputs().get(0).floats());
            measure("decode [1,3,48,192] FP32, " + (python ? "a Python client's float64 repr, \", \"" : "Java's Float.toString"),
                    body.length, 20, new String[] {"Jackson path (before)", "direct (now)"}, new Call[] {
                        () -> decoder.decodeWithJackson(new ByteArrayInputStream(body)),
                        () -> decoder.decode(body)});
        }

        InferenceResponse response = new InferenceResponse("bench", "1", "bench", List.of(Tensor.ofFp32("output", SHAPE, values)));
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        encoder.encode(response, out);
        int size = out.size();
        measure("encode [1,3,48,192] FP32 response", size, 20, new String[] {"Jackson path (before)", "direct (now)"},
                new Call[] {
                    () -> {
                        out.reset();
                        encoder.encodeWithJackson(response, out);
                    },
                    () -> {
                        out.reset();
                        encoder.encode(response, out);
                    }});

        double[] doubles = new double[values.length];
        for (int k = 0; k < doubles.length; k++) {
            doubles[k] = random.nextGaussian();
        }
        InferenceResponse fp64 = new InferenceResponse("bench", "1", "bench", List.of(Tensor.ofFp64("output", SHAPE, doubles)));
        out.reset();
        encoder.encode(fp64, out);
        measure("encode [1,3,48,192] FP64 response (full-precision doubles)", out.size(), 20,
                new String[] {"Jackson path (before)", "direct (now)"}, new Call[] {
                    () -> {
                        out.reset();
                        encoder.encodeWithJackson(fp64, out);
                    },
                    () -> {
                        out.reset();
                        encoder.encode(fp64, out);
                    }});

        byte[] iris = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[5.1,3.5,1.4,0.2]}]}"
                .getBytes(StandardCharsets.UTF_8);
        InferenceResponse irisOut = new InferenceResponse("iris", "1", null, List.of(Tensor.ofFp32("probabilities",
                new long[] {1, 3}, new float[] {0.97f, 0.025f, 4.0e-6f})));
        measure("Iris-sized: decode 4 floats, encode 3", iris.length, 20_000,
                new String[] {"decode, Jackson path", "decode, direct", "encode, Jackson path", "encode, direct"},
                new Call[] {
                    () -> decoder.decodeWithJackson(new ByteArrayInputStream(iris)),
                    () -> decoder.decode(iris),
                    () -> {
                        out.reset();
                        encoder.encodeWithJackson(irisOut, out);
                    },
                    () -> {
                        out.reset();
                        encoder.encode(irisOut, out);
                    }});
        System.out.println("\n(MB/s of the Iris rows is of the request body's size)");
    }
}
