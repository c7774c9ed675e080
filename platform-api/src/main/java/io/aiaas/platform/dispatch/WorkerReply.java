package io.aiaas.platform.dispatch;

/**
 * A worker's answer to an infer call, passed back to the client unchanged, with what metering needs from its
 * headers.
 *
 * @param inferenceHeaderLength the worker's {@code Inference-Header-Content-Length} (a binary answer: the length of
 *     its JSON part), null when it sent none
 */
public record WorkerReply(WorkerTarget worker, int status, byte[] body, String contentType, String device,
        int items, long computeUs, String inferenceHeaderLength) {
}
