package io.aiaas.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.engine.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The Open Inference Protocol v2 codec in one object: infer request bodies to engine tensors, results to response
 * bodies, in JSON and in the binary tensor data extension. Thread-safe; one instance can serve a whole process.
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

    /**
     * Decodes a request that may use the binary tensor data extension: {@code inferenceHeaderContentLength} is the
     * value of the {@value #INFERENCE_HEADER_CONTENT_LENGTH} HTTP header, null when the request has none (then the
     * body is plain JSON, as {@link #decode(InputStream)} reads it).
     *
     * @throws ProtocolException also when the header is not a length within the body, or the binary data does not
     *                           match the inputs' {@code binary_data_size}
     */
    public InferenceRequest decode(InputStream body, String inferenceHeaderContentLength) {
        if (inferenceHeaderContentLength == null) {
            return decoder.decode(body);
        }
        byte[] bytes;
        try {
            bytes = body.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return decode(bytes, inferenceHeaderContentLength);
    }

    /** {@link #decode(InputStream, String)} of a body already in memory. */
    public InferenceRequest decode(byte[] body, String inferenceHeaderContentLength) {
        if (inferenceHeaderContentLength == null) {
            return decoder.decode(body);
        }
        return decoder.decode(body, headerLength(inferenceHeaderContentLength, body.length));
    }

    /** The HTTP header that gives the length of the JSON part of a body with binary tensor data after it. */
    public static final String INFERENCE_HEADER_CONTENT_LENGTH = "Inference-Header-Content-Length";

    /**
     * Parses the {@value #INFERENCE_HEADER_CONTENT_LENGTH} header of a body of {@code bodyLength} bytes.
     *
     * @throws ProtocolException when it is not a decimal number from 0 to the body's length
     */
    public static int headerLength(String value, long bodyLength) {
        String text = value.strip();
        boolean digits = !text.isEmpty() && text.length() <= 10;
        for (int k = 0; digits && k < text.length(); k++) {
            digits = text.charAt(k) >= '0' && text.charAt(k) <= '9';
        }
        if (!digits) {
            throw new ProtocolException(INFERENCE_HEADER_CONTENT_LENGTH + " must be a non-negative decimal integer, got '"
                    + SafeText.forMessage(value, 40) + "'");
        }
        long length = Long.parseLong(text);
        if (length > bodyLength) {
            throw new ProtocolException(INFERENCE_HEADER_CONTENT_LENGTH + " " + length + " is larger than the body of "
                    + bodyLength + " bytes");
        }
        return (int) length;
    }

    /**
     * Writes the response; outputs named in {@link InferenceResponse#binaryOutputs()} as binary data after the JSON
     * (then the JSON's length must reach the client: use {@link #prepare}). The stream is flushed, not closed.
     */
    public void encode(InferenceResponse response, OutputStream out) throws IOException {
        prepare(response).writeTo(out);
    }

    /** The response as bytes ({@link #encode(InferenceResponse, OutputStream)}). */
    public byte[] encode(InferenceResponse response) {
        return prepare(response).toBytes();
    }

    /**
     * The response ready to send, with the HTTP headers it needs: plain JSON, streamed, when no output is binary;
     * otherwise its JSON part is written now and the binary data streams after it.
     */
    public EncodedResponse prepare(InferenceResponse response) {
        long binaryBytes = 0;
        for (Tensor output : response.outputs()) {
            if (response.binaryOutputs().contains(output.name())) {
                binaryBytes += BinaryTensors.byteSize(output);
            }
        }
        if (response.binaryOutputs().isEmpty()) {
            return new EncodedResponse(-1, out -> encoder.encode(response, out));
        }
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try {
            encoder.encode(response, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        byte[] header = json.toByteArray();
        // As Triton: the header and application/octet-stream only when binary bytes follow.
        return new EncodedResponse(binaryBytes == 0 ? -1 : header.length, out -> {
            out.write(header);
            for (Tensor output : response.outputs()) {
                if (response.binaryOutputs().contains(output.name())) {
                    BinaryTensors.write(output, out);
                }
            }
            out.flush();
        });
    }
}
