package io.aiaas.localstack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.engine.InferenceResult;
import io.aiaas.engine.Tensor;
import io.aiaas.engine.TensorType;
import io.aiaas.localstack.Json;
import io.aiaas.protocol.BinaryTensors;
import io.aiaas.protocol.InferenceCodec;
import io.aiaas.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Before a scenario is timed, checks that an HTTP target computes what ONNX Runtime computes in process: same
 * outputs, shapes and values (floats within {@link #TOLERANCE}), so the benchmark never times an error page. Answers
 * in the binary tensor extension are decoded from their bytes ({@link #requireSameBinary}).
 */
public final class AnswerCheck {

    public static final double TOLERANCE = 1e-4;

    private AnswerCheck() {
    }

    /** Throws IllegalStateException naming the target, the output and the first difference. */
    public static void requireSame(String target, InferenceResult raw, String answer) {
        JsonNode outputs = Json.parse(answer).path("outputs");
        if (!outputs.isArray()) {
            throw new IllegalStateException(target + " answered no outputs: " + abbreviate(answer));
        }
        for (Tensor expected : raw.outputs()) {
            JsonNode actual = find(outputs, expected.name());
            if (actual == null) {
                throw new IllegalStateException(target + " answered no output '" + expected.name() + "'");
            }
            requireShape(target, expected, shape(actual));
            JsonNode data = actual.path("data");
            double[] values = values(expected);
            if (data.size() != values.length) {
                throw new IllegalStateException(target + ": output '" + expected.name() + "' has " + data.size()
                        + " values, in process " + values.length);
            }
            for (int i = 0; i < values.length; i++) {
                double got = data.get(i).asDouble(Double.NaN);
                if (!(Math.abs(got - values[i]) <= TOLERANCE)) {
                    throw new IllegalStateException(target + ": output '" + expected.name() + "' value " + i
                            + " is " + data.get(i) + ", in process " + values[i]);
                }
            }
        }
    }

    /**
     * The same check for an answer in the binary tensor extension: the JSON part ({@code headerLength} bytes, from
     * the answer's {@code Inference-Header-Content-Length}), then each output with
     * {@code parameters.binary_data_size} as bytes, in output order. Every output must come back binary, as asked.
     */
    public static void requireSameBinary(String target, InferenceResult raw, byte[] body, String headerLength) {
        if (headerLength == null) {
            throw new IllegalStateException(target + " answered no " + InferenceCodec.INFERENCE_HEADER_CONTENT_LENGTH
                    + " header: " + abbreviate(new String(body, StandardCharsets.UTF_8)));
        }
        int jsonLength;
        try {
            jsonLength = InferenceCodec.headerLength(headerLength, body.length);
        } catch (ProtocolException e) {
            throw new IllegalStateException(target + ": " + e.getMessage(), e);
        }
        JsonNode outputs = Json.parse(new String(body, 0, jsonLength, StandardCharsets.UTF_8)).path("outputs");
        if (!outputs.isArray()) {
            throw new IllegalStateException(target + " answered no outputs");
        }
        Map<String, Tensor> decoded = new HashMap<>();
        int at = jsonLength;
        for (JsonNode output : outputs) {
            JsonNode size = output.path("parameters").path("binary_data_size");
            String name = output.path("name").asText();
            if (!size.canConvertToInt() || output.has("data")) {
                throw new IllegalStateException(target + ": output '" + name + "' did not come back as binary data");
            }
            if (at + size.asInt() > body.length) {
                throw new IllegalStateException(target + ": output '" + name + "' declares " + size.asInt()
                        + " bytes but only " + (body.length - at) + " remain");
            }
            TensorType type = TensorType.valueOf(output.path("datatype").asText());
            try {
                decoded.put(name, BinaryTensors.read(name, type, shape(output), body, at, size.asInt()));
            } catch (ProtocolException e) {
                throw new IllegalStateException(target + ": " + e.getMessage(), e);
            }
            at += size.asInt();
        }
        if (at != body.length) {
            throw new IllegalStateException(target + ": " + (body.length - at) + " bytes after the binary outputs");
        }
        for (Tensor expected : raw.outputs()) {
            Tensor actual = decoded.get(expected.name());
            if (actual == null) {
                throw new IllegalStateException(target + " answered no output '" + expected.name() + "'");
            }
            requireShape(target, expected, actual.shape());
            double[] got = values(actual);
            double[] values = values(expected);
            if (got.length != values.length) {
                throw new IllegalStateException(target + ": output '" + expected.name() + "' has " + got.length
                        + " values, in process " + values.length);
            }
            for (int i = 0; i < values.length; i++) {
                if (!(Math.abs(got[i] - values[i]) <= TOLERANCE)) {
                    throw new IllegalStateException(target + ": output '" + expected.name() + "' value " + i
                            + " is " + got[i] + ", in process " + values[i]);
                }
            }
        }
    }

    private static long[] shape(JsonNode tensor) {
        long[] shape = new long[tensor.path("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = tensor.path("shape").get(i).asLong();
        }
        return shape;
    }

    private static void requireShape(String target, Tensor expected, long[] shape) {
        if (!Arrays.equals(shape, expected.shape())) {
            throw new IllegalStateException(target + ": output '" + expected.name() + "' has shape "
                    + Arrays.toString(shape) + ", in process " + Arrays.toString(expected.shape()));
        }
    }

    private static JsonNode find(JsonNode outputs, String name) {
        for (JsonNode output : outputs) {
            if (name.equals(output.path("name").asText())) {
                return output;
            }
        }
        return null;
    }

    private static double[] values(Tensor tensor) {
        return switch (tensor.type()) {
            case FP32, FP16 -> {
                float[] f = tensor.floats();
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    d[i] = f[i];
                }
                yield d;
            }
            case FP64 -> tensor.doubles();
            case INT64 -> Arrays.stream(tensor.longs()).asDoubleStream().toArray();
            case INT32 -> Arrays.stream(tensor.ints()).asDoubleStream().toArray();
            default -> throw new IllegalStateException("output '" + tensor.name() + "' of type " + tensor.type()
                    + " cannot be compared by the benchmark");
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
