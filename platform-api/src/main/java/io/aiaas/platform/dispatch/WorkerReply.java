package io.aiaas.platform.dispatch;

/**
 * A worker's answer to an infer call, passed back to the client unchanged, with what metering needs from its
 * headers.
 */
public record WorkerReply(WorkerTarget worker, int status, byte[] body, String contentType, String device,
        int items, long computeUs) {
}
