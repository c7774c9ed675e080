package io.aiaas.worker.inference;

import io.aiaas.protocol.InferenceResponse;

/** The result of one infer call plus what goes into the {@code x-aiaas-*} headers. */
public record InferenceOutcome(InferenceResponse response, String device, long computeMicros, long items) {
}
