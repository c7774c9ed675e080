package io.aiaas.worker.inference;

import io.aiaas.worker.config.WorkerConfig;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The resolved batching and queue settings of one model: its own value, else the {@code default} entry's, else
 * {@link #BUILT_IN}.
 *
 * @param enabled             batch requests of models whose first dimension is dynamic
 * @param maxBatchSize        most rows in one run
 * @param maxQueueDelayMicros how long the first request of a batch waits for more (0: only what is already queued)
 * @param preferredBatchSizes sizes dispatched at once when reached and the queue is empty
 * @param queueCapacity       requests waiting (batched) or running (unbatched) per version before refusing with 503
 * @param instances           batches of one version run at the same time
 */
public record BatchSettings(boolean enabled, int maxBatchSize, long maxQueueDelayMicros,
                            List<Integer> preferredBatchSizes, int queueCapacity, int instances) {

    /** Off: batching changes what a caller's latency depends on and assumes the model computes rows independently. */
    public static final BatchSettings BUILT_IN = new BatchSettings(false, 32, 0, List.of(), 128, 1);

    public BatchSettings {
        preferredBatchSizes = List.copyOf(preferredBatchSizes);
        if (maxBatchSize < 1 || maxQueueDelayMicros < 0 || queueCapacity < 1 || instances < 1) {
            throw new IllegalArgumentException("batching settings out of range: max-batch-size " + maxBatchSize
                    + ", max-queue-delay-us " + maxQueueDelayMicros + ", queue-capacity " + queueCapacity
                    + ", instances " + instances);
        }
    }

    /** The settings of {@code model} from the worker configuration. */
    public static BatchSettings of(Map<String, WorkerConfig.Batching> config, String model) {
        WorkerConfig.Batching own = config.get(model);
        WorkerConfig.Batching defaults = config.get("default");
        return new BatchSettings(
                pick(own, defaults, WorkerConfig.Batching::enabled, BUILT_IN.enabled),
                pick(own, defaults, WorkerConfig.Batching::maxBatchSize, BUILT_IN.maxBatchSize),
                pick(own, defaults, WorkerConfig.Batching::maxQueueDelayUs, BUILT_IN.maxQueueDelayMicros),
                pick(own, defaults, WorkerConfig.Batching::preferredBatchSizes, BUILT_IN.preferredBatchSizes),
                pick(own, defaults, WorkerConfig.Batching::queueCapacity, BUILT_IN.queueCapacity),
                pick(own, defaults, WorkerConfig.Batching::instances, BUILT_IN.instances));
    }

    private static <T> T pick(WorkerConfig.Batching own, WorkerConfig.Batching defaults,
                              Function<WorkerConfig.Batching, Optional<T>> field, T builtIn) {
        if (own != null && field.apply(own).isPresent()) {
            return field.apply(own).get();
        }
        if (defaults != null && field.apply(defaults).isPresent()) {
            return field.apply(defaults).get();
        }
        return builtIn;
    }
}
