package io.aiaas.worker.model;

import io.aiaas.engine.EngineOptions;
import io.aiaas.engine.LoadedModel;
import io.aiaas.engine.OnnxEngine;
import io.aiaas.engine.Tensor;
import io.aiaas.engine.WarmUp;
import io.aiaas.worker.inference.BatchSettings;
import io.aiaas.worker.inference.ModelQueue;
import io.aiaas.worker.support.BatchModels;
import io.aiaas.worker.support.Worker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Throughput harness, not a test: batching off against on at 32 callers on a small MLP (about 0.1 ms per run),
 * in process (engine and batcher only) and through the worker's HTTP API; rounds interleaved, medians printed.
 * Run: {@code mvn -o test -pl onnx-engine,inference-protocol,inference-worker -Dtest=BatchThroughputBench
 * -Daiaas.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "aiaas.bench", matches = "true")
class BatchThroughputBench {

    private static final int CALLERS = Integer.getInteger("aiaas.bench.callers", 32);
    private static final int ROUNDS = Integer.getInteger("aiaas.bench.rounds", 5);
    private static final long ROUND_MILLIS = Long.getLong("aiaas.bench.round-ms", 2000);
    private static final int IN = 256;
    private static final int HIDDEN = 512;
    private static final int OUT = 16;

    interface Call {
        void run(int caller) throws Exception;
    }

    /**
     * p50 and p95 of a call, and p95 of a caller's cycle (from the end of its previous call to the end of this one):
     * with 32 threads on 2 cores much of the wait is for a CPU before the call starts, which only the cycle shows.
     */
    record Figures(double perSecond, double p50Micros, double p95Micros, double cycleP95Micros) {
    }

    private static Figures measure(Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        try {
            long warmEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            long end = warmEnd + TimeUnit.MILLISECONDS.toNanos(ROUND_MILLIS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<long[]>> futures = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                int caller = c;
                futures.add(pool.submit(() -> {
                    start.await();
                    long[] latencies = new long[1 << 17];
                    int n = 0;
                    long previous = System.nanoTime();
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        call.run(caller);
                        long t1 = System.nanoTime();
                        if (t0 >= warmEnd && n < latencies.length - 1) {
                            latencies[n++] = t1 - t0;
                            latencies[n++] = -(t1 - previous);
                        }
                        previous = t1;
                    }
                    return Arrays.copyOf(latencies, n);
                }));
            }
            start.countDown();
            List<Long> calls = new ArrayList<>();
            List<Long> cycles = new ArrayList<>();
            for (Future<long[]> f : futures) {
                for (long l : f.get()) {
                    if (l >= 0) {
                        calls.add(l);
                    } else {
                        cycles.add(-l);
                    }
                }
            }
            long[] sorted = calls.stream().mapToLong(Long::longValue).sorted().toArray();
            long[] cycle = cycles.stream().mapToLong(Long::longValue).sorted().toArray();
            return new Figures(sorted.length * 1000.0 / ROUND_MILLIS, sorted[sorted.length / 2] / 1000.0,
                    sorted[(int) (sorted.length * 0.95)] / 1000.0, cycle[(int) (cycle.length * 0.95)] / 1000.0);
        } finally {
            pool.shutdownNow();
        }
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v[v.length / 2];
    }

    private static void report(String what, List<Figures> off, List<Figures> on) {
        double offRate = median(off.stream().map(Figures::perSecond).toList());
        double onRate = median(on.stream().map(Figures::perSecond).toList());
        double offP95 = median(off.stream().map(Figures::p95Micros).toList());
        double onP95 = median(on.stream().map(Figures::p95Micros).toList());
        double offP50 = median(off.stream().map(Figures::p50Micros).toList());
        double onP50 = median(on.stream().map(Figures::p50Micros).toList());
        double offCycle = median(off.stream().map(Figures::cycleP95Micros).toList());
        double onCycle = median(on.stream().map(Figures::cycleP95Micros).toList());
        System.out.printf(Locale.ROOT, "%-10s off: %6.0f req/s p50 %6.0f p95 %6.0f cycle-p95 %6.0f us | on: %6.0f req/s"
                + " p50 %6.0f p95 %6.0f cycle-p95 %6.0f us | throughput x%.2f, p95 x%.2f, cycle-p95 x%.2f%n", what,
                offRate, offP50, offP95, offCycle, onRate, onP50, onP95, onCycle, onRate / offRate, onP95 / offP95,
                onCycle / offCycle);
    }

    private static float[] row(Random random) {
        float[] x = new float[IN];
        for (int i = 0; i < IN; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    @Test
    void batchingOffAgainstOnAt32Callers() throws Exception {
        byte[] onnx = BatchModels.mlp(IN, HIDDEN, OUT);
        Random random = new Random(1);
        List<float[]> rows = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
            rows.add(row(random));
        }
        System.out.printf(Locale.ROOT, "%d callers, MLP %d-%d-%d, %d rounds of %d ms, availableProcessors %d%n",
                CALLERS, IN, HIDDEN, OUT, ROUNDS, ROUND_MILLIS, Runtime.getRuntime().availableProcessors());

        // in process: the engine and the batcher, no HTTP
        Path file = Files.createTempFile("bench-mlp", ".onnx");
        Files.write(file, onnx);
        try (OnnxEngine engine = new OnnxEngine(EngineOptions.cpu()); LoadedModel model = engine.load(file)) {
            List<Tensor> one = List.of(Tensor.ofFp32("x", new long[] {1, IN}, rows.get(0)));
            for (int i = 0; i < 2000; i++) {
                model.run(one, Set.of());
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < 2000; i++) {
                model.run(one, Set.of());
            }
            System.out.printf(Locale.ROOT, "one run, one row, one caller: %.1f us%n",
                    (System.nanoTime() - t0) / 2000 / 1000.0);
            ModelVersion version = new ModelVersion(new ModelKey("bench", 1), "0".repeat(64), null);
            version.markReady(model, WarmUp.skipped("bench"));
            List<Figures> off = new ArrayList<>();
            List<Figures> on = new ArrayList<>();
            try (ModelQueue unbatched = new ModelQueue(version, new BatchSettings(false, 32, 0, List.of(), 1024, 1));
                 ModelQueue batched = new ModelQueue(version, new BatchSettings(true, 32, 0, List.of(), 1024, 1))) {
                for (int r = 0; r < ROUNDS; r++) {
                    off.add(measure(c -> unbatched.submit(List.of(Tensor.ofFp32("x", new long[] {1, IN},
                            rows.get(c))), Set.of()).result().get()));
                    on.add(measure(c -> batched.submit(List.of(Tensor.ofFp32("x", new long[] {1, IN},
                            rows.get(c))), Set.of()).result().get()));
                }
            }
            report("in-process", off, on);
        } finally {
            Files.deleteIfExists(file);
        }

        // through the worker's HTTP API
        Worker.load("bench_mlp_off", 1, onnx);
        Worker.load("bench_mlp_on", 1, onnx);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(4)).build();
        String token = Worker.token();
        List<String> bodies = new ArrayList<>();
        for (float[] x : rows) {
            StringBuilder data = new StringBuilder();
            for (int i = 0; i < x.length; i++) {
                data.append(i == 0 ? "" : ",").append(x[i]);
            }
            bodies.add("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1," + IN + "],\"data\":["
                    + data + "]}]}");
        }
        List<Figures> off = new ArrayList<>();
        List<Figures> on = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            off.add(measure(c -> post(http, token, "bench_mlp_off", bodies.get(c))));
            on.add(measure(c -> post(http, token, "bench_mlp_on", bodies.get(c))));
        }
        report("HTTP", off, on);
    }

    private static void post(HttpClient http, String token, String model, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port
                        + "/v2/models/" + model + "/versions/1/infer"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("status " + response.statusCode());
        }
    }
}
