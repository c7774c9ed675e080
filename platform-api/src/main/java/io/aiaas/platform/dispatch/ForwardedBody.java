package io.aiaas.platform.dispatch;

import io.aiaas.platform.common.error.ApiException;
import io.aiaas.protocol.InferenceCodec;
import io.aiaas.protocol.ProtocolException;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import java.util.Locale;

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

    /**
     * The body as the worker gets it. A bad {@code Inference-Header-Content-Length} is refused here (400, as the
     * worker would), so that no worker is called for it; nothing after the JSON part is ever parsed here.
     */
    public static ForwardedBody fromClient(byte[] payload, String contentType, String inferenceHeaderLength) {
        if (inferenceHeaderLength == null) {
            if (contentType != null && contentType.strip().toLowerCase(Locale.ROOT)
                    .startsWith("application/octet-stream")) {
                // without the header nothing says where the JSON ends: not a body any worker can read
                throw ApiException.of(415, "unsupported_media_type", "application/octet-stream is for binary tensors"
                        + " and needs the Inference-Header-Content-Length header; send JSON as application/json");
            }
            return of(payload, "application/json", null);
        }
        int length;
        try {
            length = InferenceCodec.headerLength(inferenceHeaderLength, payload.length);
        } catch (ProtocolException e) {
            throw ApiException.badRequest("invalid_inference_header", e.getMessage());
        }
        String type = contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
        return of(payload, type, Integer.toString(length));
    }
}
