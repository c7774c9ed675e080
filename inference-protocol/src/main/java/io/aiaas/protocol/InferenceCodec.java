package io.aiaas.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The Open Inference Protocol v2 JSON codec in one object: infer request bodies to engine tensors, results to
 * response bodies. Thread-safe; one instance can serve a whole process.
 */
public final class InferenceCodec {

    private final InferenceRequestDecoder decoder;
    private final InferenceResponseEncoder encoder;

    /** A codec on a plain Jackson {@link ObjectMapper} (no NaN or Infinity literals, Jackson's nesting limits). */
    public InferenceCodec() {
        this(new ObjectMapper());
    }

    /** A codec on the application's {@link ObjectMapper}, so that its stream limits apply. */
    public InferenceCodec(ObjectMapper mapper) {
        this.decoder = new InferenceRequestDecoder(mapper);
        this.encoder = new InferenceResponseEncoder(mapper);
    }

    /**
     * Decodes one infer request body; the stream is read to its end (nothing may follow the JSON value) and not
     * closed.
     *
     * @throws ProtocolException when the JSON is malformed or a tensor does not match its declaration; the message
     *                           names the tensor or field
     */
    public InferenceRequest decode(InputStream body) {
        return decoder.decode(body);
    }

    /** {@link #decode(InputStream)} of a body already in memory. */
    public InferenceRequest decode(byte[] body) {
        return decoder.decode(body);
    }

    /** Writes the response as JSON, streaming the tensor data; the stream is flushed, not closed. */
    public void encode(InferenceResponse response, OutputStream out) throws IOException {
        encoder.encode(response, out);
    }

    /** The response as UTF-8 JSON bytes. */
    public byte[] encode(InferenceResponse response) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            encoder.encode(response, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }
}
