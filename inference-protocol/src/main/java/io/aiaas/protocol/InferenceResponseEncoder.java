package io.aiaas.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.engine.Tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Writes an Open Inference Protocol v2 infer response as JSON, streaming the tensor data.
 * Unsigned types are written as their unsigned values; FP16 leaves the engine as float already.
 * <p>
 * Jackson writes the structure and the strings; the values of numeric and BOOL tensors go straight into the stream
 * through {@link TensorDataWriter}, floats as their shortest round-tripping decimal, unless the mapper asks for a
 * pretty printer, numbers as strings or an output decorator, in which case Jackson writes them one by one.
 */
public final class InferenceResponseEncoder {

    private final ObjectMapper mapper;

    public InferenceResponseEncoder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Writes the JSON of the response; outputs in {@link InferenceResponse#binaryOutputs()} appear with their
     * {@code binary_data_size} and no data (their bytes are the caller's to write after it).
     */
    public void encode(InferenceResponse response, OutputStream out) throws IOException {
        encode(response, out, true);
    }

    /** The Jackson path alone: the reference the direct writer is tested and measured against. */
    void encodeWithJackson(InferenceResponse response, OutputStream out) throws IOException {
        encode(response, out, false);
    }

    private void encode(InferenceResponse response, OutputStream out, boolean direct) throws IOException {
        try (JsonGenerator g = mapper.createGenerator(out)) {
            // the caller owns the stream; closing the generator only flushes it
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeStringField("model_name", response.modelName());
            g.writeStringField("model_version", response.modelVersion());
            if (response.id() != null) {
                g.writeStringField("id", response.id());
            }
            g.writeArrayFieldStart("outputs");
            Set<String> binary = response.binaryOutputs();
            TensorDataWriter writer = direct && writesDirectly(g) && response.outputs().stream()
                    .anyMatch(t -> !binary.contains(t.name()) && TensorDataWriter.handles(t))
                    ? new TensorDataWriter(out, g.isEnabled(JsonWriteFeature.WRITE_NAN_AS_STRINGS.mappedFeature()))
                    : null;
            for (Tensor tensor : response.outputs()) {
                writeTensor(g, tensor, writer, binary.contains(tensor.name()));
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** Whether bytes written to the stream between the generator's tokens land where the generator would put them. */
    private boolean writesDirectly(JsonGenerator g) {
        return g.getPrettyPrinter() == null && mapper.getFactory().getOutputDecorator() == null
                && !g.isEnabled(JsonWriteFeature.WRITE_NUMBERS_AS_STRINGS.mappedFeature());
    }

    private static void writeTensor(JsonGenerator g, Tensor tensor, TensorDataWriter writer, boolean binary)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("name", tensor.name());
        g.writeStringField("datatype", tensor.type().name());
        g.writeArrayFieldStart("shape");
        for (long dim : tensor.shape()) {
            g.writeNumber(dim);
        }
        g.writeEndArray();
        if (binary) {
            // the binary tensor data extension: the bytes follow the JSON, in output order
            g.writeObjectFieldStart("parameters");
            g.writeNumberField("binary_data_size", BinaryTensors.byteSize(tensor));
            g.writeEndObject();
            g.writeEndObject();
            return;
        }
        g.writeArrayFieldStart("data");
        if (writer != null && TensorDataWriter.handles(tensor)) {
            // the generator has written '"data":[' and sees an empty array; the values go in between
            g.flush();
            writer.write(tensor);
        } else {
            writeData(g, tensor);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeData(JsonGenerator g, Tensor tensor) throws IOException {
        Object data = tensor.data();
        switch (tensor.type()) {
            case BOOL -> {
                for (boolean v : (boolean[]) data) {
                    g.writeBoolean(v);
                }
            }
            case INT8 -> {
                for (byte v : (byte[]) data) {
                    g.writeNumber(v);
                }
            }
            case UINT8 -> {
                for (byte v : (byte[]) data) {
                    g.writeNumber(Byte.toUnsignedInt(v));
                }
            }
            case INT16 -> {
                for (short v : (short[]) data) {
                    g.writeNumber(v);
                }
            }
            case UINT16 -> {
                for (short v : (short[]) data) {
                    g.writeNumber(Short.toUnsignedInt(v));
                }
            }
            case INT32 -> {
                for (int v : (int[]) data) {
                    g.writeNumber(v);
                }
            }
            case UINT32 -> {
                for (int v : (int[]) data) {
                    g.writeNumber(Integer.toUnsignedLong(v));
                }
            }
            case INT64 -> {
                for (long v : (long[]) data) {
                    g.writeNumber(v);
                }
            }
            case UINT64 -> {
                for (long v : (long[]) data) {
                    if (v >= 0) {
                        g.writeNumber(v);
                    } else {
                        g.writeNumber(Long.toUnsignedString(v));
                    }
                }
            }
            case FP16, FP32 -> {
                for (float v : (float[]) data) {
                    g.writeNumber(v);
                }
            }
            case FP64 -> {
                for (double v : (double[]) data) {
                    g.writeNumber(v);
                }
            }
            case BYTES -> {
                for (byte[] v : (byte[][]) data) {
                    g.writeString(new String(v, StandardCharsets.UTF_8));
                }
            }
        }
    }
}
