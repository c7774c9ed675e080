package io.aiaas.platform.dispatch;

/**
 * An infer request body as the worker gets it: the client's bytes, content type and, for Triton's binary tensor data
 * extension, its {@code Inference-Header-Content-Length} (null when absent), all unchanged.
 */
public record ForwardedBody(byte[] bytes, String contentType, String inferenceHeaderLength) {
}
