package io.aiaas.platform.dispatch;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

/**
 * An infer request body as the worker gets it: the client's bytes, content type and, for Triton's binary tensor data
 * extension, its {@code Inference-Header-Content-Length} (null when absent), all unchanged.
 *
 * @param bytes the body, held once: {@link #of} wraps the array the gateway received without copying it, and the
 *     same buffer is written to every worker the call tries
 */
public record ForwardedBody(Buffer bytes, String contentType, String inferenceHeaderLength) {

    /** The body over {@code bytes} itself (no copy). */
    public static ForwardedBody of(byte[] bytes, String contentType, String inferenceHeaderLength) {
        return new ForwardedBody(Buffer.buffer(Unpooled.wrappedBuffer(bytes)), contentType, inferenceHeaderLength);
    }

    public int length() {
        return bytes.length();
    }
}
