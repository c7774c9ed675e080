package io.aiaas.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.engine.InvalidInputException;
import io.aiaas.engine.Tensor;
import io.aiaas.engine.TensorType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads an Open Inference Protocol v2 infer request from JSON into engine {@link Tensor}s.
 * <p>
 * Two paths, one result. {@link FastRequestDecoder} reads well-formed bodies straight from their bytes, numbers
 * into typed arrays with no object per value. Whatever it does not take (any error, BYTES tensors, unusual
 * encodings, repeated fields, limits it would have to enforce) goes through Jackson's streaming parser here, which
 * reads tensor data into typed arrays too and words every error; only when {@code data} comes before
 * {@code datatype} or {@code shape} in an input object is it buffered as a tree first.
 */
public final class InferenceRequestDecoder {

    private final ObjectMapper mapper;
    /** False when the mapper asks for checks the fast path does not make (duplicate keys, a token budget). */
    private final boolean fastPath;
    private final int maxStringLength;
    private final long maxDocumentLength;

    public InferenceRequestDecoder(ObjectMapper mapper) {
        this.mapper = mapper;
        try (JsonParser probe = mapper.createParser(new byte[0])) {
            StreamReadConstraints limits = probe.streamReadConstraints();
            this.fastPath = !probe.isEnabled(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    && limits.getMaxTokenCount() <= 0 && limits.getMaxNestingDepth() >= 64
                    && limits.getMaxNumberLength() >= 64;
            this.maxStringLength = Math.min(limits.getMaxStringLength(), limits.getMaxNameLength());
            this.maxDocumentLength = limits.getMaxDocumentLength();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decodes one request body; the stream is read to its end (nothing may follow the request object) and not
     * closed.
     *
     * @throws ProtocolException when the JSON is malformed or a tensor does not match its declaration
     */
    public InferenceRequest decode(InputStream body) {
        if (!fastPath) {
            return decodeWithJackson(body);
        }
        byte[] bytes;
        try {
            bytes = body.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return decode(bytes);
    }

    /** {@link #decode(InputStream)} of a body already in memory. */
    public InferenceRequest decode(byte[] body) {
        return decode(body, body.length, false);
    }

    /**
     * Decodes a request in the binary tensor data extension's layout: the JSON inference header is the first
     * {@code headerLength} bytes; the binary data of the inputs with {@code binary_data_size} follows, in input order.
     *
     * @throws ProtocolException also when the binary sizes do not add up to the rest of the body
     */
    public InferenceRequest decode(byte[] body, int headerLength) {
        if (headerLength < 0 || headerLength > body.length) {
            throw new ProtocolException("inference header length " + headerLength + " is outside the body of "
                    + body.length + " bytes");
        }
        return decode(body, headerLength, true);
    }

    private InferenceRequest decode(byte[] body, int headerLength, boolean binaryExtension) {
        if (fastPath && (maxDocumentLength <= 0 || headerLength <= maxDocumentLength)) {
            // the fast path leaves every input with a binary_data_size to the Jackson path
            InferenceRequest request = FastRequestDecoder.decode(mapper.getFactory(), maxStringLength, body, 0, headerLength);
            if (request != null) {
                new BinarySection(body, headerLength, binaryExtension).requireConsumed();
                return request;
            }
        }
        return decodeWithJackson(new ByteArrayInputStream(body, 0, headerLength),
                new BinarySection(body, headerLength, binaryExtension));
    }

    /** The Jackson path alone: the reference the fast path is tested and measured against. */
    InferenceRequest decodeWithJackson(InputStream body) {
        return decodeWithJackson(body, BinarySection.NONE);
    }

    private InferenceRequest decodeWithJackson(InputStream body, BinarySection binary) {
        try (JsonParser p = mapper.createParser(body)) {
            // the caller owns the stream
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            InferenceRequest request = readRequest(p, binary);
            binary.requireConsumed();
            return request;
        } catch (JsonProcessingException e) {
            throw ProtocolException.malformedJson(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bytes after the inference header, handed out to the binary inputs in order. */
    private static final class BinarySection {
        static final BinarySection NONE = new BinarySection(new byte[0], 0, false);

        final byte[] body;
        final boolean declared;
        int position;

        BinarySection(byte[] body, int start, boolean declared) {
            this.body = body;
            this.position = start;
            this.declared = declared;
        }

        int remaining() {
            return body.length - position;
        }

        Tensor take(String label, String name, TensorType type, long[] shape, long size) {
            if (size > remaining()) {
                throw new ProtocolException(declared
                        ? label + ": binary_data_size " + size + " exceeds the " + remaining()
                                + " bytes of binary data left after the inference header and the inputs before it"
                        : label + ": 'parameters.binary_data_size' needs binary data after the JSON; send the JSON"
                                + " part's length in the Inference-Header-Content-Length header");
            }
            Tensor tensor = BinaryTensors.read(name, type, shape, body, position, (int) size);
            position += (int) size;
            return tensor;
        }

        void requireConsumed() {
            if (remaining() > 0) {
                throw new ProtocolException("the body has " + remaining() + " bytes of binary data after the"
                        + " inference header that no input's 'parameters.binary_data_size' accounts for");
            }
        }
    }

    private InferenceRequest readRequest(JsonParser p, BinarySection binary) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new ProtocolException("request body must be a JSON object");
        }
        String id = null;
        List<Tensor> inputs = null;
        List<String> outputs = List.of();
        Set<String> binaryOutputs = new HashSet<>();
        boolean binaryDataOutput = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "id" -> {
                    if (value != JsonToken.VALUE_STRING) {
                        throw new ProtocolException("'id' must be a string");
                    }
                    id = text(p, "'id'");
                }
                case "parameters" -> binaryDataOutput = Boolean.TRUE.equals(
                        readFlag(p, "'parameters'", "binary_data_output"));
                case "inputs" -> inputs = readInputs(p, binary);
                case "outputs" -> {
                    binaryOutputs.clear();
                    outputs = readOutputs(p, binaryOutputs);
                }
                default -> p.skipChildren();
            }
        }
        if (p.nextToken() != null) {
            throw new ProtocolException("malformed JSON: unexpected content after the request object");
        }
        if (inputs == null) {
            throw new ProtocolException("request has no 'inputs'");
        }
        return new InferenceRequest(id, inputs, outputs, binaryOutputs, binaryDataOutput);
    }

    /**
     * Reads a {@code parameters} object and returns its boolean {@code flag} (null when absent); other parameters are
     * skipped.
     */
    private static Boolean readFlag(JsonParser p, String label, String flag) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new ProtocolException(label + " must be an object");
        }
        Boolean value = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken token = p.nextToken();
            if (field.equals(flag)) {
                if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
                    throw new ProtocolException(label + ": '" + flag + "' must be true or false");
                }
                value = token == JsonToken.VALUE_TRUE;
            } else {
                p.skipChildren();
            }
        }
        return value;
    }

    private List<Tensor> readInputs(JsonParser p, BinarySection binary) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new ProtocolException("'inputs' must be an array");
        }
        List<Tensor> inputs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            Tensor tensor = readInput(p, inputs.size(), binary);
            if (!names.add(tensor.name())) {
                throw new ProtocolException("input '" + tensor.name() + "' appears more than once");
            }
            inputs.add(tensor);
        }
        return inputs;
    }

    private Tensor readInput(JsonParser p, int index, BinarySection binary) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new ProtocolException("inputs[" + index + "] must be an object");
        }
        String name = null;
        TensorType type = null;
        long[] shape = null;
        TensorDataBuffer buffer = null;
        JsonNode earlyData = null;
        long binarySize = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            String label = name != null ? "input '" + SafeText.forMessage(name, 100) + "'" : "inputs[" + index + "]";
            switch (field) {
                case "name" -> {
                    if (p.currentToken() != JsonToken.VALUE_STRING || p.getText().isEmpty()) {
                        throw new ProtocolException(label + ": 'name' must be a non-empty string");
                    }
                    name = text(p, label + ": 'name'");
                }
                case "datatype" -> type = readDatatype(p, label);
                case "shape" -> shape = readShape(p, label);
                case "parameters" -> binarySize = readBinarySize(p, label);
                case "data" -> {
                    if (name != null && type != null && shape != null) {
                        buffer = TensorDataBuffer.create(name, type, elementCount(name, shape));
                        readValues(p, buffer, shape);
                    } else {
                        // Field order in JSON is free; keep the values until the declaration is complete.
                        // (the tree holds floats as doubles: an FP32 value here is rounded twice, as it always was;
                        // the fast path, which takes such bodies when they are well-formed, rounds once)
                        earlyData = p.readValueAsTree();
                    }
                }
                default -> p.skipChildren();
            }
        }
        String label = name != null ? "input '" + SafeText.forMessage(name, 100) + "'" : "inputs[" + index + "]";
        if (name == null) {
            throw new ProtocolException(label + ": missing 'name'");
        }
        if (type == null) {
            throw new ProtocolException(label + ": missing 'datatype'");
        }
        if (shape == null) {
            throw new ProtocolException(label + ": missing 'shape'");
        }
        if (binarySize >= 0) {
            if (buffer != null || earlyData != null) {
                throw new ProtocolException(label + ": give either 'data' or 'parameters.binary_data_size', not both");
            }
            elementCount(name, shape);
            return binary.take(label, name, type, shape, binarySize);
        }
        if (buffer == null) {
            if (earlyData == null) {
                throw new ProtocolException(label + ": missing 'data'");
            }
            buffer = TensorDataBuffer.create(name, type, elementCount(name, shape));
            try (JsonParser tree = earlyData.traverse(mapper)) {
                tree.nextToken();
                readValues(tree, buffer, shape);
            }
        }
        if (buffer.size != buffer.expected) {
            throw new ProtocolException(label + ": data has " + buffer.size + " values but shape "
                    + shapeText(shape) + " calls for " + buffer.expected);
        }
        return Tensor.of(name, type, shape, buffer.toArray());
    }

    /**
     * Reads {@code data}: a flat array, arrays nested exactly as the shape says (row-major), or for a scalar a
     * bare value.
     */
    private static void readValues(JsonParser p, TensorDataBuffer buffer, long[] shape) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.START_OBJECT) {
            throw buffer.error("'data' must be an array of values, not an object");
        }
        if (token != JsonToken.START_ARRAY) {
            buffer.add(p);
            return;
        }
        token = p.nextToken();
        if (token == JsonToken.START_ARRAY) {
            readNested(p, buffer, shape, 0);
            return;
        }
        for (; token != JsonToken.END_ARRAY; token = p.nextToken()) {
            if (token == JsonToken.START_ARRAY || token == JsonToken.START_OBJECT) {
                throw buffer.error("'data' must be either flat or nested as shape " + shapeText(shape));
            }
            buffer.add(p);
        }
    }

    /** The parser is on the first element of an array at {@code level}; that array must have shape[level] elements. */
    private static void readNested(JsonParser p, TensorDataBuffer buffer, long[] shape, int level) throws IOException {
        boolean leafLevel = level == shape.length - 1;
        long count = 0;
        for (JsonToken token = p.currentToken(); token != JsonToken.END_ARRAY; token = p.nextToken()) {
            if (level >= shape.length || (token == JsonToken.START_ARRAY) == leafLevel || token == JsonToken.START_OBJECT) {
                throw buffer.error("nested 'data' does not match shape " + shapeText(shape));
            }
            if (token == JsonToken.START_ARRAY) {
                p.nextToken();
                readNested(p, buffer, shape, level + 1);
            } else {
                buffer.add(p);
            }
            count++;
        }
        if (level < shape.length && count != shape[level]) {
            throw buffer.error("nested 'data' has " + count + " elements at depth " + (level + 1)
                    + " where shape " + shapeText(shape) + " calls for " + shape[level]);
        }
    }

    private static TensorType readDatatype(JsonParser p, String label) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new ProtocolException(label + ": 'datatype' must be a string");
        }
        String text = p.getText();
        try {
            return TensorType.fromProtocolName(text);
        } catch (InvalidInputException e) {
            throw new ProtocolException(label + ": unknown datatype '" + SafeText.forMessage(text, 40) + "'");
        }
    }

    private static long[] readShape(JsonParser p, String label) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new ProtocolException(label + ": 'shape' must be an array of non-negative integers");
        }
        List<Long> dims = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT
                    || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
                throw new ProtocolException(label + ": 'shape' must be an array of non-negative integers");
            }
            dims.add(p.getLongValue());
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static int elementCount(String name, long[] shape) {
        long count = 1;
        for (long dim : shape) {
            count *= dim;
            if (count > Integer.MAX_VALUE - 8) {
                throw new ProtocolException("input '" + name + "': shape " + shapeText(shape) + " is too large");
            }
        }
        return (int) count;
    }

    /** An input's {@code parameters}: its {@code binary_data_size}, or -1 when it has none. */
    private static long readBinarySize(JsonParser p, String label) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new ProtocolException(label + ": 'parameters' must be an object");
        }
        long size = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken token = p.nextToken();
            if (field.equals("binary_data_size")) {
                if (token != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        || p.getLongValue() < 0) {
                    throw new ProtocolException(label + ": 'parameters.binary_data_size' must be a non-negative integer");
                }
                size = p.getLongValue();
            } else {
                p.skipChildren();
            }
        }
        return size;
    }

    private List<String> readOutputs(JsonParser p, Set<String> binaryOutputs) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new ProtocolException("'outputs' must be an array");
        }
        Set<String> names = new LinkedHashSet<>();
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new ProtocolException("outputs[" + index + "] must be an object");
            }
            String name = null;
            Boolean binary = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("name") && p.currentToken() == JsonToken.VALUE_STRING) {
                    name = text(p, "outputs[" + index + "]: 'name'");
                } else if (field.equals("parameters")) {
                    binary = readFlag(p, "outputs[" + index + "]: 'parameters'", "binary_data");
                } else {
                    p.skipChildren();
                }
            }
            if (name == null || name.isEmpty()) {
                throw new ProtocolException("outputs[" + index + "]: missing 'name'");
            }
            names.add(name);
            // a name given twice: its last mention decides, as for every repeated field
            if (Boolean.TRUE.equals(binary)) {
                binaryOutputs.add(name);
            } else {
                binaryOutputs.remove(name);
            }
            index++;
        }
        return List.copyOf(names);
    }

    /** A string value that is valid Unicode: an unpaired surrogate can be neither matched nor echoed. */
    static String text(JsonParser p, String label) throws IOException {
        String text = p.getText();
        if (SafeText.hasUnpairedSurrogate(text)) {
            throw new ProtocolException(label + " contains an unpaired surrogate, which is not valid Unicode");
        }
        return text;
    }

    static String shapeText(long[] shape) {
        return java.util.Arrays.toString(shape);
    }
}
