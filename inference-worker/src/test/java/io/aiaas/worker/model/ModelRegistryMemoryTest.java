package io.aiaas.worker.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.engine.EngineOptions;
import io.aiaas.engine.OnnxEngine;
import io.aiaas.internalauth.Audiences;
import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.Issuers;
import io.aiaas.internalauth.SigningKey;
import io.aiaas.onnx.builder.OnnxModelBuilder;
import io.aiaas.onnx.proto.TensorProto.DataType;
import io.aiaas.protocol.InferenceCodec;
import io.aiaas.worker.support.FakeControlPlane;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory budgets on real ONNX Runtime sessions, without HTTP: LRU eviction of idle versions only, cold starts on
 * demand (one load for concurrent callers, from the cached file), FAILED when nothing idle can make room, and an
 * unload that gives the session's memory back to the operating system.
 */
class ModelRegistryMemoryTest {

    /** 256 x 1024 FP32 weights: a 1 MiB artifact. */
    static final int ROWS = 256;
    static final int COLUMNS = 1024;

    @TempDir
    static Path cache;
    private static OnnxEngine engine;
    private static InferenceCodec codec;
    private static FakeControlPlane cp;
    private ModelRegistry registry;

    @BeforeAll
    static void start() {
        engine = new OnnxEngine(EngineOptions.cpu());
        codec = new InferenceCodec(new ObjectMapper());
        cp = FakeControlPlane.standalone();
    }

    @AfterAll
    static void stop() {
        engine.close();
        cp.stop();
    }

    @AfterEach
    void closeRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    /** A MatMul whose weights make the artifact {@code rows x COLUMNS x 4} bytes (plus a few hundred). */
    static byte[] model(String name, int rows, float seed) {
        float[] weights = new float[rows * COLUMNS];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = seed + (i % 7);
        }
        return OnnxModelBuilder.create(name)
                .input("x", DataType.FLOAT, -1, rows)
                .output("y", DataType.FLOAT, -1, COLUMNS)
                .initializer("W", weights, rows, COLUMNS)
                .node("MatMul", "y", "x", "W")
                .toBytes();
    }

    private ModelRegistry registry(MemoryBudget budget, ModelMetrics metrics, LongSupplier rss) {
        InternalTokens tokens = new InternalTokens();
        SigningKey workerKey = SigningKey.generate();
        String identity = cp.enrolDirectly(workerKey);
        ArtifactDownloader downloader = new ArtifactDownloader(
                () -> tokens.issue(workerKey, Issuers.WORKER, Audiences.CONTROL_PLANE, identity, Duration.ofMinutes(5)),
                cache, cp.url());
        registry = new ModelRegistry(engine, downloader, codec, 2, budget, metrics, rss);
        return registry;
    }

    private static ModelVersion loadAndWait(ModelRegistry registry, String name, byte[] onnx) {
        String sha = cp.publish(name, 1, onnx);
        ModelVersion v = registry.load(new ModelKey(name, 1), sha, null);
        try {
            return v.whenReady().join();
        } catch (CompletionException e) {
            return v;
        }
    }

    private static void call(ModelRegistry registry, String name) {
        try (CallLease lease = registry.acquire(name, 1, Duration.ofSeconds(30))) {
            assertTrue(lease.version().acquire());
            lease.version().release();
        }
    }

    private static ModelState state(ModelRegistry registry, String name) {
        return registry.find(new ModelKey(name, 1)).orElseThrow().state();
    }

    private static double count(MeterRegistry meters, String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void aVersionThatDoesNotFitEvictsTheLeastRecentlyCalledIdleOneAndACallLoadsItBack() {
        // RSS unknown: each version is estimated at 2x its artifact, so two fit in the budget and three do not.
        byte[] a = model("lru_a", ROWS, 1);
        long estimate = (long) (a.length * ModelRegistry.UNMEASURED_FACTOR);
        ModelMetrics metrics = ModelMetrics.inMemory();
        ModelRegistry registry = registry(new MemoryBudget(estimate * 5 / 2, 0), metrics, () -> -1);

        loadAndWait(registry, "lru_a", a);
        loadAndWait(registry, "lru_b", model("lru_b", ROWS, 2));
        assertEquals(ModelState.READY, state(registry, "lru_a"));
        assertEquals(2 * estimate, registry.used().hostBytes());
        call(registry, "lru_a"); // b is now the least recently called

        loadAndWait(registry, "lru_c", model("lru_c", ROWS, 3));
        assertEquals(ModelState.READY, state(registry, "lru_a"));
        assertEquals(ModelState.EVICTED, state(registry, "lru_b"));
        assertEquals(ModelState.READY, state(registry, "lru_c"));
        assertEquals(0, registry.find(new ModelKey("lru_b", 1)).orElseThrow().memory().hostBytes());
        assertEquals(2 * estimate, registry.used().hostBytes());
        assertEquals(1, count(metrics.meters(), "aiaas.model.unload", "model", "lru_b", "reason", "evicted"));

        // A call to b loads it again (from the kept file: no second download), evicting a, now the least recent.
        long downloads = cp.artifactRequests().stream().filter("lru_b/1"::equals).count();
        try (CallLease lease = registry.acquire("lru_b", null, Duration.ofSeconds(30))) {
            assertTrue(lease.coldStart());
            assertTrue(lease.loadMillis() >= 0);
            assertEquals(ModelState.READY, lease.version().state());
        }
        assertEquals(ModelState.EVICTED, state(registry, "lru_a"));
        assertEquals(ModelState.READY, state(registry, "lru_c"));
        assertEquals(downloads, cp.artifactRequests().stream().filter("lru_b/1"::equals).count());
        assertEquals(1, count(metrics.meters(), "aiaas.model.cold.start", "model", "lru_b"));
        // the loader counts the load just after it releases the waiting calls
        await().atMost(Duration.ofSeconds(5)).until(() ->
                count(metrics.meters(), "aiaas.model.load", "model", "lru_b", "outcome", "success") == 2);
        assertEquals(estimate * 5 / 2, metrics.meters().find("aiaas.worker.memory.budget").tag("kind", "host")
                .gauge().value());
        assertEquals(2 * estimate, metrics.meters().find("aiaas.worker.memory.used").tag("kind", "host")
                .gauge().value());

        // The next call is warm.
        try (CallLease lease = registry.acquire("lru_b", 1, Duration.ofSeconds(30))) {
            assertEquals(false, lease.coldStart());
        }
    }

    @Test
    void busyVersionsAreNeverEvictedAndWhatCannotFitIsFailedWithTheReason() {
        byte[] a = model("busy_a", ROWS, 1);
        long estimate = (long) (a.length * ModelRegistry.UNMEASURED_FACTOR);
        ModelMetrics metrics = ModelMetrics.inMemory();
        ModelRegistry registry = registry(new MemoryBudget(estimate * 5 / 2, 0), metrics, () -> -1);
        loadAndWait(registry, "busy_a", a);
        loadAndWait(registry, "busy_b", model("busy_b", ROWS, 2));

        try (CallLease holdA = registry.acquire("busy_a", 1, Duration.ofSeconds(5));
             CallLease holdB = registry.acquire("busy_b", 1, Duration.ofSeconds(5))) {
            ModelVersion c = loadAndWait(registry, "busy_c", model("busy_c", ROWS, 3));
            assertEquals(ModelState.FAILED, c.state());
            assertTrue(c.reason().startsWith("does not fit in the memory budget: it needs about 1.5 MiB of host "
                    + "memory, and 4.0 MiB of the 5.0 MiB host budget are held by versions with calls in flight"),
                    c.reason());
            assertTrue(c.failedForRoom());
            assertEquals(false, c.worthRetrying(), "not again at once");
            assertEquals(ModelState.READY, holdA.version().state());
            assertEquals(ModelState.READY, holdB.version().state());
        }

        // Too big for the whole budget: FAILED before anything is downloaded when the size is known.
        byte[] huge = model("busy_huge", ROWS * 4, 4);
        String sha = cp.publish("busy_huge", 1, huge);
        ModelVersion v = registry.load(new ModelKey("busy_huge", 1), sha, null, huge.length);
        assertThrows(CompletionException.class, () -> v.whenReady().join());
        assertTrue(v.reason().startsWith("does not fit in the memory budget: it needs about 6.0 MiB of host memory "
                + "and the budget is 5.0 MiB"), v.reason());
        assertEquals(0, cp.artifactRequests().stream().filter("busy_huge/1"::equals).count());
        assertEquals(1, count(metrics.meters(), "aiaas.model.load", "model", "busy_huge", "outcome", "failure"));
    }

    @Test
    void concurrentCallsToAnEvictedVersionWaitForOneLoad() throws Exception {
        ModelMetrics metrics = ModelMetrics.inMemory();
        ModelRegistry registry = registry(MemoryBudget.NONE, metrics, () -> -1);
        loadAndWait(registry, "cold", model("cold", ROWS, 1));
        assertTrue(registry.evictIfIdle(new ModelKey("cold", 1)));
        assertEquals(ModelState.EVICTED, state(registry, "cold"));

        int callers = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<Boolean>> cold = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            cold.add(pool.submit(() -> {
                go.await();
                try (CallLease lease = registry.acquire("cold", 1, Duration.ofSeconds(30))) {
                    return lease.coldStart() && lease.version().state() == ModelState.READY;
                }
            }));
        }
        go.countDown();
        int waited = 0;
        for (Future<Boolean> f : cold) {
            waited += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();
        assertTrue(waited >= 1, "at least the first caller waited for the load");
        assertEquals(1, count(metrics.meters(), "aiaas.model.cold.start", "model", "cold"));
        // the loader counts the load just after it wakes the callers
        await().atMost(Duration.ofSeconds(5))
                .until(() -> count(metrics.meters(), "aiaas.model.load", "model", "cold", "outcome", "success") >= 2);
        assertEquals(2, count(metrics.meters(), "aiaas.model.load", "model", "cold", "outcome", "success"),
                "the first load and one reload for all " + callers + " callers");
        assertEquals(0, registry.find(new ModelKey("cold", 1)).orElseThrow().calls());
    }

    @Test
    void unloadingGivesTheSessionsMemoryBack() throws Exception {
        // 96 MiB of weights: far above any noise of the JVM between two readings.
        int rows = 24 * 1024;
        byte[] big = model("rss_big", rows, 1);
        long weights = (long) rows * COLUMNS * Float.BYTES;
        String sha = cp.publish("rss_big", 1, big);
        ModelRegistry registry = registry(MemoryBudget.NONE, ModelMetrics.inMemory(), ProcessMemory::rssBytes);
        settle();
        long before = ProcessMemory.rssBytes();
        ModelVersion v = registry.load(new ModelKey("rss_big", 1), sha, null);
        v.whenReady().join();
        settle();
        long loaded = ProcessMemory.rssBytes();
        ModelMemory estimate = v.memory();
        assertTrue(registry.unload(new ModelKey("rss_big", 1)));
        settle();
        long after = ProcessMemory.rssBytes();
        System.out.printf("RSS figures (MiB): weights %.1f, before load %.1f, after load %.1f, after unload %.1f; "
                        + "estimate %.1f (measured %s); freed %.1f%n", mib(weights), mib(before), mib(loaded),
                mib(after), mib(estimate.hostBytes()), estimate.measured(), mib(loaded - after));
        assertTrue(estimate.measured());
        assertTrue(estimate.hostBytes() >= weights, "the estimate covers at least the weights");
        assertTrue(loaded - before > weights / 2, "loading raised RSS by at least half the weights");
        // A leaked session would keep its weights: the drop must be most of them.
        assertTrue(loaded - after > weights * 3 / 4, "unloading gave back " + mib(loaded - after) + " MiB of "
                + mib(weights) + " MiB of weights");
    }

    private static void settle() throws InterruptedException {
        System.gc();
        Thread.sleep(300);
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }
    @Test
    void anArchivedModelIsReckonedByWhatItUnpacksToNotByItsCompressedSize() {
        // 4 MiB of weights that deflate to a few KB; ONNX Runtime maps the data file, so the process barely grows
        int n = 1024 * 1024;
        io.aiaas.onnx.proto.TensorProto w = io.aiaas.onnx.proto.TensorProto.newBuilder().setName("W")
                .setDataType(DataType.FLOAT.getNumber()).addDims(n)
                .setDataLocation(io.aiaas.onnx.proto.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(io.aiaas.onnx.proto.StringStringEntryProto.newBuilder().setKey("location")
                        .setValue("weights.bin"))
                .build();
        byte[] onnx = OnnxModelBuilder.create("gather").input("idx", DataType.INT64, -1)
                .output("y", DataType.FLOAT, -1).initializer(w).node("Gather", "y", "W", "idx").toBytes();
        java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        entries.put("model.onnx", onnx);
        entries.put("weights.bin", new byte[n * 4]);
        byte[] archive = io.aiaas.onnx.builder.TestModels.zip(entries);
        assertTrue(archive.length < 64 * 1024, "compressed to " + archive.length);

        ModelRegistry registry = registry(new MemoryBudget(64L << 20, 0), ModelMetrics.inMemory(), () -> 1L << 30);
        ModelVersion v = loadAndWait(registry, "archived", archive);
        assertEquals(ModelState.READY, v.state(), v.reason());
        assertTrue(v.memory().hostBytes() >= 4L * n, "reckoned at " + v.memory().hostBytes() + " bytes");
    }
}
