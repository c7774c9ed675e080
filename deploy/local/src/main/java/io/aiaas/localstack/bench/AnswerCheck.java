package io.aiaas.localstack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.engine.InferenceResult;
import io.aiaas.engine.Tensor;
import io.aiaas.localstack.Json;
import java.util.Arrays;

/**
 * Before a scenario is timed, checks that an HTTP target computes what ONNX Runtime computes in process: same
 * outputs, shapes and values (floats within {@link #TOLERANCE}), so the benchmark never times an error page.
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
            long[] shape = new long[actual.path("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = actual.path("shape").get(i).asLong();
            }
            if (!Arrays.equals(shape, expected.shape())) {
                throw new IllegalStateException(target + ": output '" + expected.name() + "' has shape "
                        + Arrays.toString(shape) + ", in process " + Arrays.toString(expected.shape()));
            }
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
