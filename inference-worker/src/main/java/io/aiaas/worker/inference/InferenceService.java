package io.aiaas.worker.inference;

import io.aiaas.engine.EngineUnavailableException;
import io.aiaas.engine.InferenceException;
import io.aiaas.engine.InferenceResult;
import io.aiaas.engine.ModelRejectedInputException;
import io.aiaas.engine.Tensor;
import io.aiaas.worker.lifecycle.WorkerDrainingException;
import io.aiaas.worker.lifecycle.WorkerLifecycle;
import io.aiaas.worker.model.CallLease;
import io.aiaas.worker.model.ModelRegistry;
import io.aiaas.worker.model.ModelVersion;
import io.aiaas.protocol.InferenceRequest;
import io.aiaas.protocol.InferenceCodec;
import io.aiaas.protocol.InferenceResponse;
import io.aiaas.worker.config.WorkerConfig;
import io.aiaas.worker.metrics.FailureReason;
import io.aiaas.worker.metrics.WorkerMetrics;
import io.aiaas.worker.model.ModelKey;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** Decodes an infer request, runs it on the addressed READY model version and counts requests in flight. */
@ApplicationScoped
public class InferenceService {

    private static final Logger LOG = Logger.getLogger(InferenceService.class);

    private final ModelRegistry registry;
    private final InferenceCodec codec;
    private final WorkerConfig config;
    private final WorkerLifecycle lifecycle;
    private final WorkerMetrics metrics;
    private final AtomicInteger outstanding = new AtomicInteger();
    // Keyed by the version object: a reload of the same name and version is a new object with a new queue.
    private final Map<ModelVersion, ModelQueue> queues = new ConcurrentHashMap<>();

    public InferenceService(ModelRegistry registry, InferenceCodec codec, WorkerConfig config,
                            WorkerLifecycle lifecycle, WorkerMetrics metrics) {
        this.metrics = metrics;
        this.lifecycle = lifecycle;
        this.registry = registry;
        this.codec = codec;
        this.config = config;
    }

    /** The queue of the version now serving {@code key}, if a request has reached it. */
    public Optional<ModelQueue> queue(ModelKey key) {
        return queues.values().stream().filter(q -> q.version().key().equals(key) && !q.stale()).findFirst();
    }

    private ModelQueue queueOf(ModelVersion target) {
        ModelQueue existing = queues.get(target);
        if (existing != null) {
            return existing;
        }
        // Drop the queues of unloaded versions whenever a new one is made.
        queues.values().removeIf(q -> {
            if (q.stale()) {
                q.close();
                return true;
            }
            return false;
        });
        if (!target.acquire()) {
            throw new InferenceUnavailableException(target.key(), "it was unloaded meanwhile");
        }
        try {
            return queues.computeIfAbsent(target, v -> {
                // once per queue, not per call: the gauge reads whichever queue the version has at scrape time
                metrics.trackPending(v.key(), () -> queue(v.key()).map(ModelQueue::waiting).orElse(0));
                return new ModelQueue(v, BatchSettings.of(config.batching(), v.key().name()),
                        device -> metrics.executed(v.key(), device));
            });
        } finally {
            target.release();
        }
    }

    @PreDestroy
    void close() {
        queues.values().forEach(ModelQueue::close);
    }

    /** Requests being decoded or run right now; reported in heartbeats. */
    public int outstanding() {
        return outstanding.get();
    }

    public InferenceOutcome infer(String name, Integer version, InputStream body) {
        return infer(name, version, body, null);
    }

    /**
     * @param inferenceHeaderContentLength the {@code Inference-Header-Content-Length} header: the length of the JSON
     *                                     part of a body with binary tensor data after it; null for plain JSON
     */
    public InferenceOutcome infer(String name, Integer version, InputStream body, String inferenceHeaderContentLength) {
        return infer(name, version, body, inferenceHeaderContentLength, cancel -> { });
    }

    /**
     * @param onGiveUp receives what to call when the caller gives up (its connection closed): a request still
     *                 waiting in a batching queue is then removed and never runs
     */
    public InferenceOutcome infer(String name, Integer version, InputStream body, String inferenceHeaderContentLength,
                                  Consumer<Runnable> onGiveUp) {
        outstanding.incrementAndGet();
        // Counted before the check: a drain that sees no call outstanding knows none can start after it.
        if (lifecycle.draining()) {
            outstanding.decrementAndGet();
            if (version != null) { // the control plane always names the version
                metrics.requestFailed(new ModelKey(name, version), FailureReason.DRAINING);
            }
            throw new WorkerDrainingException(lifecycle.name());
        }
        ModelKey addressed = null; // failures are counted per version once the call addressed one
        // The lease keeps the version from being evicted until answered, and loads it again first if it was.
        try (CallLease lease = registry.acquire(name, version, config.memory().coldStartTimeout())) {
            ModelVersion target = lease.version();
            addressed = target.key();
            InferenceRequest request = codec.decode(body, inferenceHeaderContentLength);
            InferenceResult result;
            long waitedNanos;
            try {
                ModelQueue.Pending pending = queueOf(target).submit(request.inputs(),
                        new LinkedHashSet<>(request.requestedOutputs()));
                onGiveUp.accept(pending::cancel);
                result = await(pending, target);
                waitedNanos = pending.waitedNanos();
            } catch (ModelRejectedInputException e) {
                throw new InputRejectedException(target.key(), e.getMessage());
            } catch (EngineUnavailableException e) {
                throw new InferenceUnavailableException(target.key(), e.getMessage());
            } catch (InferenceException e) {
                throw new InferenceFailedException(target.key(), e.getMessage(), e);
            }
            InferenceResponse response = InferenceResponse.answering(request, name,
                    Integer.toString(target.key().version()), ordered(result.outputs(), request.requestedOutputs()));
            InferenceOutcome outcome = new InferenceOutcome(response, result.device(),
                    TimeUnit.NANOSECONDS.toMicros(result.computeNanos()), items(request.inputs()),
                    lease.coldStart(), lease.loadMillis());
            metrics.requestSucceeded(target.key(), outcome.device(), outcome.items(),
                    TimeUnit.NANOSECONDS.toMicros(waitedNanos), outcome.computeMicros());
            LOG.debugf("answered %s: %d item(s) on %s, %d us compute", target.key(), outcome.items(), outcome.device(),
                    outcome.computeMicros());
            return outcome;
        } catch (RuntimeException e) {
            if (addressed != null) {
                metrics.requestFailed(addressed, FailureReason.of(e));
            }
            throw e;
        } finally {
            outstanding.decrementAndGet();
        }
    }

    private static InferenceResult await(ModelQueue.Pending pending, ModelVersion target) {
        try {
            return pending.result().get();
        } catch (CancellationException e) {
            // The caller hung up while it waited; nobody reads this answer.
            throw new CallerGaveUpException(target.key());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            pending.cancel();
            Thread.currentThread().interrupt();
            throw new InferenceUnavailableException(target.key(), "interrupted while it waited");
        }
    }

    /** Requested outputs come back in the order they were asked for. */
    private static List<Tensor> ordered(List<Tensor> outputs, List<String> requested) {
        if (requested.isEmpty()) {
            return outputs;
        }
        Map<String, Tensor> byName = new HashMap<>();
        outputs.forEach(t -> byName.put(t.name(), t));
        List<Tensor> result = new ArrayList<>(requested.size());
        for (String name : requested) {
            Tensor tensor = byName.get(name);
            if (tensor != null) {
                result.add(tensor);
            }
        }
        return result;
    }

    /** The batch size billed: the first dimension of the first input, 1 for a scalar. */
    static long items(List<Tensor> inputs) {
        if (inputs.isEmpty() || inputs.get(0).shape().length == 0) {
            return 1;
        }
        return inputs.get(0).shape()[0];
    }
}
