package io.aiaas.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * An infer response ready to send: its body (written on demand) and the HTTP headers that go with it. With binary
 * outputs the body is the JSON part followed by their bytes, and {@link #headerLength()} is the JSON part's length for
 * {@value InferenceCodec#INFERENCE_HEADER_CONTENT_LENGTH}.
 */
public final class EncodedResponse {

    /** Writes the body. */
    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private final int headerLength;
    private final Body body;

    EncodedResponse(int headerLength, Body body) {
        this.headerLength = headerLength;
        this.body = body;
    }

    /** Whether binary data follows the JSON: then send {@link #headerLength()} and {@link #contentType()}. */
    public boolean binary() {
        return headerLength >= 0;
    }

    /** The JSON part's length, the value of {@value InferenceCodec#INFERENCE_HEADER_CONTENT_LENGTH}; -1 when plain JSON. */
    public int headerLength() {
        return headerLength;
    }

    /** {@code application/octet-stream} with binary data (as Triton answers), otherwise {@code application/json}. */
    public String contentType() {
        return binary() ? "application/octet-stream" : "application/json";
    }

    /** Writes the body; the stream is flushed, not closed. */
    public void writeTo(OutputStream out) throws IOException {
        body.writeTo(out);
    }

    /** The body in memory. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            body.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }
}
