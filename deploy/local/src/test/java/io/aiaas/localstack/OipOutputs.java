package io.aiaas.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.onnx.builder.RealModels.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares the {@code outputs} of an Open Inference Protocol infer response with the tensors a model should answer:
 * name, datatype, shape and every value (INT64 exactly, FP32 within a small tolerance). The protocol allows the data
 * flat or nested; both are read.
 */
final class OipOutputs {

    static final double ABSOLUTE_TOLERANCE = 1e-5;
    static final double RELATIVE_TOLERANCE = 1e-5;

    private OipOutputs() {
    }

    /** What differs, one line each; empty when the outputs are the expected ones (extra outputs are ignored). */
    static List<String> mismatches(List<Values> expected, JsonNode outputs) {
        List<String> problems = new ArrayList<>();
        if (outputs == null || !outputs.isArray()) {
            problems.add("no outputs array: " + outputs);
            return problems;
        }
        for (Values want : expected) {
            JsonNode got = null;
            for (JsonNode output : outputs) {
                if (want.name().equals(output.path("name").asText())) {
                    got = output;
                }
            }
            if (got == null) {
                problems.add("output '" + want.name() + "' is missing");
                continue;
            }
            String name = want.name();
            if (!want.datatype().equals(got.path("datatype").asText())) {
                problems.add(name + ": datatype " + got.path("datatype").asText() + ", expected " + want.datatype());
            }
            long[] shape = longs(got.path("shape"));
            if (!Arrays.equals(want.shape(), shape)) {
                problems.add(name + ": shape " + Arrays.toString(shape) + ", expected " + Arrays.toString(want.shape()));
            }
            List<JsonNode> data = new ArrayList<>();
            flatten(got.path("data"), data);
            int count = want.data() instanceof long[] longs ? longs.length : want.floats().length;
            if (data.size() != count) {
                problems.add(name + ": " + data.size() + " values, expected " + count);
                continue;
            }
            for (int i = 0; i < count; i++) {
                JsonNode value = data.get(i);
                if (!value.isNumber()) {
                    problems.add(name + "[" + i + "]: not a number: " + value);
                } else if (want.data() instanceof long[] longs) {
                    if (!value.canConvertToLong() || value.isFloatingPointNumber() || value.asLong() != longs[i]) {
                        problems.add(name + "[" + i + "] = " + value + ", expected " + longs[i]);
                    }
                } else {
                    double w = want.floats()[i];
                    double g = value.asDouble();
                    if (Math.abs(g - w) > ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * Math.abs(w)) {
                        problems.add(name + "[" + i + "] = " + value + ", expected " + w);
                    }
                }
            }
        }
        return problems;
    }

    private static long[] longs(JsonNode array) {
        if (!array.isArray()) {
            return null;
        }
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asLong();
        }
        return values;
    }

    private static void flatten(JsonNode data, List<JsonNode> into) {
        if (data.isArray()) {
            data.forEach(item -> flatten(item, into));
        } else if (!data.isMissingNode()) {
            into.add(data);
        }
    }
}
