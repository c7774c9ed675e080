package io.aiaas.worker.metrics;

import io.aiaas.worker.model.ModelKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The worker's Prometheus meters, named after Triton's {@code nv_inference_*} with our prefix (scraped at
 * {@code /q/metrics}; every meter is listed in docs/observability.md). Every per-model meter is tagged with
 * {@link #modelTags model and version}; model names come from the control plane's catalog, so tags stay bounded.
 * The request path calls the intention-revealing methods below; other parts of the worker add their own meters
 * here, built on {@link #registry()} and {@link #modelTags}.
 */
@ApplicationScoped
public class WorkerMetrics {

    static final String SUCCESS = "aiaas.inference.request.success";
    static final String FAILURE = "aiaas.inference.request.failure";
    static final String COUNT = "aiaas.inference.count";
    static final String EXEC_COUNT = "aiaas.inference.exec.count";
    static final String QUEUE_DURATION = "aiaas.inference.queue.duration.us";
    static final String COMPUTE_DURATION = "aiaas.inference.compute.infer.duration.us";
    static final String PENDING = "aiaas.inference.pending.request.count";

    /** The meters one answered call moves, looked up once per version and device rather than on every call. */
    private record Answered(Counter success, Counter items, Counter queue, Counter compute) {
    }

    private record ByDevice(ModelKey key, String device) {
    }

    private final MeterRegistry registry;
    private final Map<ByDevice, Answered> answered = new ConcurrentHashMap<>();
    private final Map<ByDevice, Counter> executions = new ConcurrentHashMap<>();

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The registry, for meters other parts of the worker own. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The tags every per-model meter carries. */
    public static Tags modelTags(ModelKey key) {
        return Tags.of("model", key.name(), "version", Integer.toString(key.version()));
    }

    /**
     * One call answered: its items (the first dimension of its first input, as {@code x-aiaas-items} reports it), the
     * time it waited before its run, and its share of the run's compute time.
     */
    public void requestSucceeded(ModelKey key, String device, long items, long queueMicros, long computeMicros) {
        Answered meters = answered.computeIfAbsent(new ByDevice(key, device), k -> {
            Tags tags = modelTags(key);
            Tags withDevice = tags.and("device", device);
            return new Answered(
                    counter(SUCCESS, withDevice, "Infer calls answered"),
                    counter(COUNT, withDevice, "Items inferred (first dimension of the first input) by calls answered"),
                    counter(QUEUE_DURATION, tags, "Microseconds that calls answered waited before their run"),
                    counter(COMPUTE_DURATION, tags, "Microseconds of model compute of calls answered"));
        });
        meters.success().increment();
        meters.items().increment(items);
        meters.queue().increment(queueMicros);
        meters.compute().increment(computeMicros);
    }

    /** One call failed after it addressed a version on this worker. */
    public void requestFailed(ModelKey key, FailureReason reason) {
        counter(FAILURE, modelTags(key).and("reason", reason.tag()), "Infer calls that failed, by reason").increment();
    }

    /** One run of the model on {@code device}: a batch of many calls counts once. */
    public void executed(ModelKey key, String device) {
        executions.computeIfAbsent(new ByDevice(key, device), k -> counter(EXEC_COUNT,
                modelTags(key).and("device", device), "Model executions (a batch of calls counts once)")).increment();
    }

    /**
     * Publishes how many calls of {@code key} wait for their run now. The supplier is asked at each scrape and must
     * find the version's current queue by its key: a reload replaces the queue, not the gauge.
     */
    public void trackPending(ModelKey key, Supplier<Number> waiting) {
        Gauge.builder(PENDING, waiting).tags(modelTags(key)).description("Calls waiting for their run now")
                .strongReference(true).register(registry);
    }

    private Counter counter(String name, Tags tags, String description) {
        return Counter.builder(name).tags(tags).description(description).register(registry);
    }
}
