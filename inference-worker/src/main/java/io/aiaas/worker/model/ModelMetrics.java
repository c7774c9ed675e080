package io.aiaas.worker.model;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The model life-cycle meters (Prometheus names): {@code aiaas_model_load_total{outcome}},
 * {@code aiaas_model_unload_total{reason}}, {@code aiaas_model_cold_start_total},
 * {@code aiaas_model_memory_bytes{kind}} (tagged model and version), and the worker-wide
 * {@code aiaas_worker_memory_budget_bytes{kind}} and {@code aiaas_worker_memory_used_bytes{kind}}.
 */
public final class ModelMetrics {

    public static final String HOST = "host";
    public static final String DEVICE = "device";

    private final MeterRegistry meters;
    private final Map<ModelKey, List<Meter>> memoryGauges = new ConcurrentHashMap<>();

    public ModelMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Meters kept in memory only (plain tests). */
    public static ModelMetrics inMemory() {
        return new ModelMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry meters() {
        return meters;
    }

    /**
     * The worker-wide budget and use gauges; {@code used} is read at each scrape. Gauges hold their suppliers strongly:
     * Micrometer's default weak reference would let a lambda be collected and the gauge read NaN.
     */
    void worker(MemoryBudget budget, Supplier<ModelMemory> used) {
        Gauge.builder("aiaas.worker.memory.budget", budget, MemoryBudget::hostBytes).baseUnit("bytes").strongReference(true)
                .description("Memory budget of the loaded model versions (0: none)").tag("kind", HOST).register(meters);
        Gauge.builder("aiaas.worker.memory.budget", budget, MemoryBudget::deviceBytes).baseUnit("bytes").strongReference(true)
                .description("Memory budget of the loaded model versions (0: none)").tag("kind", DEVICE).register(meters);
        Gauge.builder("aiaas.worker.memory.used", used, u -> u.get().hostBytes()).baseUnit("bytes").strongReference(true)
                .description("Estimated memory held by the loaded model versions").tag("kind", HOST).register(meters);
        Gauge.builder("aiaas.worker.memory.used", used, u -> u.get().deviceBytes()).baseUnit("bytes").strongReference(true)
                .description("Estimated memory held by the loaded model versions").tag("kind", DEVICE).register(meters);
    }

    void loaded(ModelKey key, boolean success) {
        counter("aiaas.model.load", key, "outcome", success ? "success" : "failure",
                "Model version loads by outcome").increment();
    }

    /** @param reason evicted, undesired or replaced */
    void unloaded(ModelKey key, String reason) {
        counter("aiaas.model.unload", key, "reason", reason, "Model version unloads by reason").increment();
    }

    void coldStart(ModelKey key) {
        Counter.builder("aiaas.model.cold.start").description("Loads of an evicted version caused by a call to it")
                .tag("model", key.name()).tag("version", Integer.toString(key.version()))
                .register(meters).increment();
    }

    /** Gauges of one version's memory, read from the registry at each scrape (0 while not loaded). */
    void trackMemory(ModelKey key, Supplier<ModelMemory> memory) {
        memoryGauges.computeIfAbsent(key, k -> List.of(
                Gauge.builder("aiaas.model.memory", memory, m -> m.get().hostBytes()).baseUnit("bytes").strongReference(true)
                        .description("Estimated memory held by a loaded model version")
                        .tags("model", k.name(), "version", Integer.toString(k.version()), "kind", HOST)
                        .register(meters),
                Gauge.builder("aiaas.model.memory", memory, m -> m.get().deviceBytes()).baseUnit("bytes").strongReference(true)
                        .description("Estimated memory held by a loaded model version")
                        .tags("model", k.name(), "version", Integer.toString(k.version()), "kind", DEVICE)
                        .register(meters)));
    }

    /** Drops the memory gauges of a version that is no longer here. */
    void forget(ModelKey key) {
        List<Meter> gauges = memoryGauges.remove(key);
        if (gauges != null) {
            gauges.forEach(meters::remove);
        }
    }

    private Counter counter(String name, ModelKey key, String tag, String value, String description) {
        return Counter.builder(name).description(description)
                .tag("model", key.name()).tag("version", Integer.toString(key.version())).tag(tag, value)
                .register(meters);
    }
}
