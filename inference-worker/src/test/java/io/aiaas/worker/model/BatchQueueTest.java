package io.aiaas.worker.model;

import io.aiaas.engine.EngineOptions;
import io.aiaas.engine.InferenceResult;
import io.aiaas.engine.LoadedModel;
import io.aiaas.engine.ModelSignature;
import io.aiaas.engine.OnnxEngine;
import io.aiaas.engine.Tensor;
import io.aiaas.engine.WarmUp;
import io.aiaas.worker.inference.BatchSettings;
import io.aiaas.worker.inference.ModelQueue;
import io.aiaas.worker.inference.QueueFullException;
import io.aiaas.worker.rest.ErrorBody;
import io.aiaas.worker.rest.ErrorMappers;
import io.aiaas.worker.support.BatchModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batching queue on a real ONNX Runtime session held busy by a gate: a full queue refuses at once, a cancelled
 * request never runs, outputs and compute time are split by rows.
 */
class BatchQueueTest {

    private static OnnxEngine engine;
    private static LoadedModel mlp;

    @BeforeAll
    static void load(@TempDir Path dir) throws Exception {
        engine = new OnnxEngine(EngineOptions.cpu());
        Path file = Files.write(dir.resolve("mlp.onnx"), BatchModels.mlp(4, 8, 2));
        mlp = engine.load(file);
    }

    @AfterAll
    static void close() {
        mlp.close();
        engine.close();
    }

    /** Holds every run until opened and records the first value of each row it ran. */
    static final class Gate implements LoadedModel {
        final CountDownLatch open = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        final List<Float> firstValues = new CopyOnWriteArrayList<>();

        @Override
        public ModelSignature signature() {
            return mlp.signature();
        }

        @Override
        public String device() {
            return mlp.device();
        }

        @Override
        public InferenceResult run(List<Tensor> inputs, Set<String> requestedOutputs) {
            entered.countDown();
            try {
                open.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            float[] x = inputs.get(0).floats();
            for (int row = 0; row < x.length / 4; row++) {
                firstValues.add(x[row * 4]);
            }
            return mlp.run(inputs, requestedOutputs);
        }

        @Override
        public void validate(List<Tensor> inputs, Set<String> requestedOutputs) {
            mlp.validate(inputs, requestedOutputs);
        }

        @Override
        public WarmUp warmUp(List<Tensor> example) {
            return WarmUp.skipped("test");
        }

        @Override
        public WarmUp warmUpWithZeros() {
            return WarmUp.skipped("test");
        }

        @Override
        public void close() {
        }
    }

    private static ModelVersion ready(LoadedModel model) {
        ModelVersion version = new ModelVersion(new ModelKey("gated", 1), "0".repeat(64), null);
        assertTrue(version.markReady(model, WarmUp.skipped("test")));
        return version;
    }

    private static List<Tensor> row(float first) {
        return List.of(Tensor.ofFp32("x", new long[] {1, 4}, new float[] {first, 1, 2, 3}));
    }

    @Test
    void aFullQueueRefusesAtOnceAndACancelledRequestNeverRuns() throws Exception {
        Gate gate = new Gate();
        BatchSettings settings = new BatchSettings(true, 8, 0, List.of(), 2, 1);
        try (ModelQueue queue = new ModelQueue(ready(gate), settings)) {
            assertTrue(queue.batched());
            ModelQueue.Pending running = queue.submit(row(1), Set.of());
            assertTrue(gate.entered.await(5, TimeUnit.SECONDS), "the first request holds the batcher");

            ModelQueue.Pending cancelled = queue.submit(row(2), Set.of());
            ModelQueue.Pending waiting = queue.submit(row(3), Set.of());
            long start = System.nanoTime();
            QueueFullException full = assertThrows(QueueFullException.class, () -> queue.submit(row(4), Set.of()));
            assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(100), "refused at once");
            assertTrue(full.getMessage().contains("queue is full"), full.getMessage());
            jakarta.ws.rs.core.Response answer = new ErrorMappers().unavailable(full);
            assertEquals(503, answer.getStatus());
            assertEquals("1", answer.getHeaderString("Retry-After"));
            assertEquals("model 'gated' version 1 cannot run right now (its queue is full: 2 requests are waiting);"
                    + " retry shortly", ((ErrorBody) answer.getEntity()).error());

            cancelled.cancel();
            assertTrue(cancelled.result().isCancelled());
            // the cancelled request freed its place
            ModelQueue.Pending late = queue.submit(row(5), Set.of());

            gate.open.countDown();
            assertEquals(2, running.result().get(5, TimeUnit.SECONDS).outputs().get(0).shape()[1]);
            waiting.result().get(5, TimeUnit.SECONDS);
            late.result().get(5, TimeUnit.SECONDS);
            assertFalse(gate.firstValues.contains(2f), "the cancelled request ran: " + gate.firstValues);
            assertTrue(gate.firstValues.containsAll(List.of(1f, 3f, 5f)), gate.firstValues.toString());
            assertEquals(3, queue.requestsRun());
        }
    }

    @Test
    void unbatchedRequestsAreBoundedToo() throws Exception {
        Gate gate = new Gate();
        BatchSettings settings = new BatchSettings(false, 8, 0, List.of(), 1, 1);
        try (ModelQueue queue = new ModelQueue(ready(gate), settings)) {
            assertFalse(queue.batched());
            Thread holder = new Thread(() -> queue.submit(row(1), Set.of()));
            holder.start();
            assertTrue(gate.entered.await(5, TimeUnit.SECONDS));
            assertThrows(QueueFullException.class, () -> queue.submit(row(2), Set.of()));
            gate.open.countDown();
            holder.join(5000);
            assertEquals(1, queue.requestsRun());
            queue.submit(row(3), Set.of()).result().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void computeTimeIsSharedByRowsAndOutputsSplitExactly() throws Exception {
        BatchSettings settings = new BatchSettings(true, 8, 200_000, List.of(), 16, 1);
        try (ModelQueue queue = new ModelQueue(ready(mlp), settings)) {
            List<Tensor> one = row(1);
            List<Tensor> three = List.of(Tensor.ofFp32("x", new long[] {3, 4},
                    new float[] {5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}));
            ModelQueue.Pending a = queue.submit(one, Set.of());
            ModelQueue.Pending b = queue.submit(three, Set.of());
            InferenceResult ra = a.result().get(5, TimeUnit.SECONDS);
            InferenceResult rb = b.result().get(5, TimeUnit.SECONDS);
            assertEquals(1, queue.executions(), "both waited for the same run");
            assertEquals(1, ra.outputs().get(0).shape()[0]);
            assertEquals(3, rb.outputs().get(0).shape()[0]);
            assertArrayEquals(mlp.run(one, Set.of()).outputs().get(0).floats(), ra.outputs().get(0).floats());
            assertArrayEquals(mlp.run(three, Set.of()).outputs().get(0).floats(), rb.outputs().get(0).floats());
            // a quarter and three quarters of the run's compute
            long total = ra.computeNanos() + rb.computeNanos();
            assertTrue(Math.abs(rb.computeNanos() - 3 * ra.computeNanos()) <= 3, ra.computeNanos() + " vs "
                    + rb.computeNanos() + " of " + total);
        }
    }

    private static void assertArrayEquals(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]), "value " + i);
        }
    }
}
