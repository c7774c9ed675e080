package io.aiaas.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import io.aiaas.engine.Tensor;
import io.aiaas.engine.TensorType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decodes well-formed infer requests straight from the bytes: numbers go from the JSON text into the tensor's typed
 * array with no object per value. It accepts a subset of what the Jackson decoder accepts and produces the same
 * tensors for it; anything else (an error of any kind, BYTES tensors, escapes it cannot prove, duplicate fields,
 * unusual encodings or limits) makes {@link #decode} return null, and the caller runs the Jackson decoder, which
 * says what is wrong in its usual words. One instance decodes one body.
 */
final class FastRequestDecoder extends TensorDataScanner {

    private FastRequestDecoder(JsonFactory factory, int maxStringLength, byte[] b, int offset, int length) {
        super(factory, maxStringLength, b, offset, length);
    }

    /** The request, or null when the body is not one the fast path can prove it decodes as Jackson would. */
    static InferenceRequest decode(JsonFactory factory, int maxStringLength, byte[] body, int offset, int length) {
        try {
            return new FastRequestDecoder(factory, maxStringLength, body, offset, length).request();
        } catch (RuntimeException e) {
            // Fallback, or anything unforeseen: the Jackson path is the reference and answers instead
            return null;
        }
    }

    private InferenceRequest request() {
        if (next() != '{') {
            throw fallback();
        }
        enter();
        i++;
        String id = null;
        List<Tensor> inputs = null;
        List<String> outputs = null;
        boolean seenId = false;
        boolean seenParameters = false;
        boolean binaryDataOutput = false;
        Set<String> binaryOutputs = new HashSet<>();
        if (next() == '}') {
            i++;
        } else {
            do {
                String field = fieldName();
                switch (field) {
                    case "id" -> {
                        seenId = once(seenId);
                        id = checkedText(string());
                    }
                    case "parameters" -> {
                        seenParameters = once(seenParameters);
                        binaryDataOutput = Boolean.TRUE.equals(flag("binary_data_output"));
                    }
                    case "inputs" -> {
                        once(inputs != null);
                        inputs = inputs();
                    }
                    case "outputs" -> {
                        once(outputs != null);
                        outputs = outputs(binaryOutputs);
                    }
                    default -> skipValue();
                }
            } while (commaOr('}'));
        }
        depth--;
        if (next() != -1 || inputs == null) {
            throw fallback();
        }
        return new InferenceRequest(id, inputs, outputs == null ? List.of() : outputs, binaryOutputs, binaryDataOutput);
    }

    private List<Tensor> inputs() {
        expect('[');
        enter();
        List<Tensor> inputs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (next() == ']') {
            i++;
        } else {
            do {
                Tensor tensor = input();
                if (!names.add(tensor.name())) {
                    throw fallback();
                }
                inputs.add(tensor);
            } while (commaOr(']'));
        }
        depth--;
        return inputs;
    }

    private Tensor input() {
        expect('{');
        enter();
        String name = null;
        long[] shape = null;
        type = null;
        data = null;
        int earlyData = -1;
        boolean seenParameters = false;
        if (next() == '}') {
            throw fallback();
        }
        do {
            String field = fieldName();
            switch (field) {
                case "name" -> {
                    once(name != null);
                    name = checkedText(string());
                    if (name.isEmpty()) {
                        throw fallback();
                    }
                }
                case "datatype" -> {
                    once(type != null);
                    type = TensorType.fromProtocolName(string());
                    if (type == TensorType.BYTES) {
                        throw fallback(); // strings stay with Jackson
                    }
                }
                case "shape" -> {
                    once(shape != null);
                    shape = shape();
                }
                case "parameters" -> {
                    seenParameters = once(seenParameters);
                    // binary inputs are the Jackson path's: their JSON header is small
                    if (flag("binary_data_size") != null) {
                        throw fallback();
                    }
                }
                case "data" -> {
                    once(data != null || earlyData >= 0);
                    if (name != null && type != null && shape != null) {
                        data(shape);
                    } else {
                        // Field order in JSON is free: come back once the declaration is complete.
                        earlyData = skipWhitespace();
                        skipValue();
                    }
                }
                default -> skipValue();
            }
        } while (commaOr('}'));
        depth--;
        if (name == null || type == null || shape == null || (data == null && earlyData < 0)) {
            throw fallback();
        }
        if (data == null) {
            int resume = i;
            i = earlyData;
            data(shape);
            i = resume;
        }
        return Tensor.of(name, type, shape, data);
    }

    private long[] shape() {
        expect('[');
        long[] dims = new long[8];
        int n = 0;
        if (next() == ']') {
            i++;
            return new long[0];
        }
        do {
            next();
            if (n == dims.length) {
                dims = java.util.Arrays.copyOf(dims, n * 2);
            }
            dims[n++] = nonNegativeInteger();
        } while (commaOr(']'));
        return java.util.Arrays.copyOf(dims, n);
    }

    /**
     * A {@code parameters} object: the value of {@code key} when it is true or false, null when absent; any other
     * value of it goes to Jackson.
     */
    private Boolean flag(String key) {
        expect('{');
        enter();
        Boolean value = null;
        if (next() == '}') {
            i++;
        } else {
            do {
                String field = fieldName();
                if (field.equals(key)) {
                    once(value != null);
                    if (literal("true")) {
                        value = true;
                    } else if (literal("false")) {
                        value = false;
                    } else {
                        throw fallback();
                    }
                } else {
                    skipValue();
                }
            } while (commaOr('}'));
        }
        depth--;
        return value;
    }

    private List<String> outputs(Set<String> binaryOutputs) {
        expect('[');
        enter();
        Set<String> names = new LinkedHashSet<>();
        if (next() == ']') {
            i++;
        } else {
            do {
                expect('{');
                enter();
                String name = null;
                Boolean binary = null;
                boolean seenParameters = false;
                if (next() == '}') {
                    throw fallback();
                }
                do {
                    String field = fieldName();
                    if (field.equals("name")) {
                        once(name != null);
                        name = checkedText(string());
                    } else if (field.equals("parameters")) {
                        seenParameters = once(seenParameters);
                        binary = flag("binary_data");
                    } else {
                        skipValue();
                    }
                } while (commaOr('}'));
                depth--;
                if (name == null || name.isEmpty()) {
                    throw fallback();
                }
                names.add(name);
                if (Boolean.TRUE.equals(binary)) {
                    binaryOutputs.add(name);
                } else {
                    binaryOutputs.remove(name);
                }
            } while (commaOr(']'));
        }
        depth--;
        return List.copyOf(names);
    }

    private static boolean once(boolean seen) {
        if (seen) {
            throw fallback(); // a repeated field: Jackson's path keeps its exact semantics
        }
        return true;
    }
}
