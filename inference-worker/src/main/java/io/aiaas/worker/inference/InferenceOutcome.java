package io.aiaas.worker.inference;

import io.aiaas.protocol.InferenceResponse;

/**
 * The result of one infer call plus what goes into the {@code x-aiaas-*} headers; {@code coldStart}: the version had
 * been evicted and the call waited {@code loadMillis} for it to be loaded again.
 */
public record InferenceOutcome(InferenceResponse response, String device, long computeMicros, long items,
                               boolean coldStart, long loadMillis) {

    public InferenceOutcome(InferenceResponse response, String device, long computeMicros, long items) {
        this(response, device, computeMicros, items, false, 0);
    }
}
