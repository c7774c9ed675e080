package io.aiaas.platform.dispatch;

import io.vertx.core.buffer.Buffer;

/**
 * A worker's answer to an infer call, passed back to the client unchanged, with what metering needs from its
 * headers.
 *
 * @param body the answer as the worker's connection delivered it, handed on to the client without a copy
 * @param inferenceHeaderLength the worker's {@code Inference-Header-Content-Length} (a binary answer: the length of
 *     its JSON part), null when it sent none
 * @param retryAfter the worker's {@code Retry-After} (seconds) when it sent one, else null
 * @param coldStart true when the worker had to load the version for this call ({@code x-aiaas-cold-start})
 * @param loadMs how long that load took ({@code x-aiaas-load-ms}), null when the worker sent none
 * @param draining true when the worker refused the call because it shuts down ({@code x-aiaas-draining})
 */
public record WorkerReply(WorkerTarget worker, int status, Buffer body, String contentType, String device,
        int items, long computeUs, String inferenceHeaderLength, String retryAfter, boolean coldStart, Long loadMs,
        boolean draining) {
}
