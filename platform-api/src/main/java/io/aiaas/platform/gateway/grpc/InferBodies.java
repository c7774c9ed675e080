package io.aiaas.platform.gateway.grpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.aiaas.engine.Tensor;
import io.aiaas.engine.TensorType;
import io.aiaas.protocol.BinaryTensors;
import io.aiaas.protocol.InferenceCodec;
import io.aiaas.protocol.ProtocolException;
import io.aiaas.protocol.grpc.InferParameter;
import io.aiaas.protocol.grpc.InferTensorContents;
import io.aiaas.protocol.grpc.ModelInferRequest;
import io.aiaas.protocol.grpc.ModelInferRequest.InferInputTensor;
import io.aiaas.protocol.grpc.ModelInferRequest.InferRequestedOutputTensor;
import io.aiaas.protocol.grpc.ModelInferResponse;
import io.aiaas.protocol.grpc.ModelInferResponse.InferOutputTensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Translates between the gRPC messages and the HTTP gateway's body in Triton's binary tensor data extension: a
 * {@link ModelInferRequest} becomes a JSON header (inputs with {@code binary_data_size}, every output asked for as
 * binary) followed by the inputs' little-endian bytes; the binary answer becomes {@code raw_output_contents}. Typed
 * {@code contents} are laid out as Triton lays out raw data (BYTES: a 4-byte little-endian length before each element).
 * No HTTP and no gateway logic here: the gateway sees exactly the body a binary HTTP client would send.
 */
final class InferBodies {

    /** A body for the gateway: its JSON part is {@code headerLength} bytes long. */
    record Body(byte[] bytes, int headerLength) {
    }

    /** A request that cannot be turned into a body; its message names the input. */
    static final class MalformedRequest extends RuntimeException {
        MalformedRequest(String message) {
            super(message, null, false, false);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private InferBodies() {
    }

    /**
     * The binary-extension body of the request.
     *
     * @throws MalformedRequest when raw contents do not match the inputs, an input has both or neither kind of data, a
     *     datatype is unknown, or the data does not fit the shape and datatype
     */
    static Body toBody(ModelInferRequest request) {
        boolean raw = request.getRawInputContentsCount() > 0;
        if (raw && request.getRawInputContentsCount() != request.getInputsCount()) {
            throw new MalformedRequest("raw_input_contents has " + request.getRawInputContentsCount()
                    + " entries for " + request.getInputsCount() + " inputs; give one per input, in input order");
        }
        ObjectNode header = JSON.createObjectNode();
        if (!request.getId().isEmpty()) {
            header.put("id", request.getId());
        }
        ObjectNode parameters = parameters(request.getParametersMap());
        if (request.getOutputsCount() == 0) {
            // raw_output_contents is the gRPC form of an answer: every output comes back binary
            parameters.put("binary_data_output", true);
        }
        header.set("parameters", parameters);
        ArrayNode inputs = header.putArray("inputs");
        byte[][] data = new byte[request.getInputsCount()][];
        long dataBytes = 0;
        for (int i = 0; i < request.getInputsCount(); i++) {
            InferInputTensor input = request.getInputs(i);
            String label = "input '" + input.getName() + "'";
            TensorType type = datatype(label, input.getDatatype());
            long elements = elements(label, input.getShapeList());
            if (raw) {
                if (input.hasContents()) {
                    throw new MalformedRequest(label + " has contents, but the request uses raw_input_contents;"
                            + " give the data of every input one way");
                }
                data[i] = request.getRawInputContents(i).toByteArray();
                if (type != TensorType.BYTES && data[i].length != elements * type.elementBytes()) {
                    throw new MalformedRequest(label + ": raw_input_contents[" + i + "] has " + data[i].length
                            + " bytes; shape " + input.getShapeList() + " of " + type + " needs "
                            + elements * type.elementBytes());
                }
            } else {
                data[i] = typed(label, type, elements, input);
            }
            dataBytes += data[i].length;
            ObjectNode in = inputs.addObject();
            in.put("name", input.getName());
            in.put("datatype", type.name());
            ArrayNode shape = in.putArray("shape");
            input.getShapeList().forEach(shape::add);
            ObjectNode inputParameters = parameters(input.getParametersMap());
            inputParameters.put("binary_data_size", data[i].length);
            in.set("parameters", inputParameters);
        }
        if (request.getOutputsCount() > 0) {
            ArrayNode outputs = header.putArray("outputs");
            for (InferRequestedOutputTensor output : request.getOutputsList()) {
                ObjectNode out = outputs.addObject();
                out.put("name", output.getName());
                ObjectNode outputParameters = parameters(output.getParametersMap());
                outputParameters.put("binary_data", true);
                out.set("parameters", outputParameters);
            }
        }
        byte[] json = bytes(header);
        if (json.length + dataBytes > Integer.MAX_VALUE - 16) {
            throw new MalformedRequest("the request's tensors are too large");
        }
        byte[] body = Arrays.copyOf(json, json.length + (int) dataBytes);
        int at = json.length;
        for (byte[] chunk : data) {
            System.arraycopy(chunk, 0, body, at, chunk.length);
            at += chunk.length;
        }
        return new Body(body, json.length);
    }

    /**
     * The gRPC answer of a successful gateway answer: binary outputs become {@code raw_output_contents} slices; an
     * output the worker answered as JSON data is laid out the same way.
     *
     * @param headerLength the answer's {@code Inference-Header-Content-Length}, or null for an all-JSON answer
     * @throws IllegalStateException when the answer is not a well-formed inference answer (the platform's fault)
     */
    static ModelInferResponse toResponse(byte[] body, String headerLength) {
        int jsonLength;
        try {
            jsonLength = headerLength == null ? body.length : InferenceCodec.headerLength(headerLength, body.length);
        } catch (ProtocolException e) {
            throw new IllegalStateException("the answer's inference header is invalid: " + e.getMessage(), e);
        }
        JsonNode header;
        try {
            header = JSON.readTree(body, 0, jsonLength);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the answer's JSON is invalid", e);
        }
        ModelInferResponse.Builder response = ModelInferResponse.newBuilder()
                .setModelName(header.path("model_name").asText(""))
                .setModelVersion(header.path("model_version").asText(""))
                .setId(header.path("id").asText(""));
        putParameters(header.path("parameters"), response::putParameters, null);
        int at = jsonLength;
        for (JsonNode output : header.path("outputs")) {
            InferOutputTensor.Builder tensor = InferOutputTensor.newBuilder()
                    .setName(output.path("name").asText())
                    .setDatatype(output.path("datatype").asText());
            output.path("shape").forEach(dim -> tensor.addShape(dim.asLong()));
            putParameters(output.path("parameters"), tensor::putParameters, "binary_data_size");
            JsonNode size = output.path("parameters").path("binary_data_size");
            if (size.canConvertToInt()) {
                int length = size.asInt();
                if (length < 0 || length > body.length - at) {
                    throw new IllegalStateException("output " + tensor.getName() + ": binary_data_size " + length
                            + " runs past the answer");
                }
                response.addRawOutputContents(ByteString.copyFrom(body, at, length));
                at += length;
            } else {
                response.addRawOutputContents(ByteString.copyFrom(fromJsonData(output)));
            }
            response.addOutputs(tensor);
        }
        return response.build();
    }

    /** An output given as JSON {@code data}, in the raw layout, read by the protocol's own decoder. */
    private static byte[] fromJsonData(JsonNode output) {
        ObjectNode request = JSON.createObjectNode();
        request.putArray("inputs").add(output);
        Tensor tensor = new InferenceCodec().decode(bytes(request)).inputs().get(0);
        return BinaryTensors.toBytes(tensor);
    }

    private static TensorType datatype(String label, String name) {
        try {
            return TensorType.fromProtocolName(name);
        } catch (RuntimeException e) {
            throw new MalformedRequest(label + ": " + e.getMessage());
        }
    }

    private static long elements(String label, List<Long> shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new MalformedRequest(label + ": shape " + shape + " has a negative dimension");
            }
            count = dim == 0 ? 0 : Math.multiplyExact(count, dim);
            if (count > Integer.MAX_VALUE) {
                throw new MalformedRequest(label + ": shape " + shape + " is too large");
            }
        }
        return count;
    }

    /** The typed contents of an input in the raw layout; only the field of its datatype may hold values. */
    private static byte[] typed(String label, TensorType type, long elements, InferInputTensor input) {
        InferTensorContents c = input.getContents();
        int[] counts = {c.getBoolContentsCount(), c.getIntContentsCount(), c.getInt64ContentsCount(),
            c.getUintContentsCount(), c.getUint64ContentsCount(), c.getFp32ContentsCount(), c.getFp64ContentsCount(),
            c.getBytesContentsCount()};
        int field = switch (type) {
            case BOOL -> 0;
            case INT8, INT16, INT32 -> 1;
            case INT64 -> 2;
            case UINT8, UINT16, UINT32 -> 3;
            case UINT64 -> 4;
            case FP32 -> 5;
            case FP64 -> 6;
            case BYTES -> 7;
            case FP16 -> throw new MalformedRequest(label + ": FP16 has no typed contents; send it in"
                    + " raw_input_contents");
        };
        for (int i = 0; i < counts.length; i++) {
            if (i != field && counts[i] > 0) {
                throw new MalformedRequest(label + " is " + type + ": give its data in " + FIELDS[field]
                        + ", not " + FIELDS[i]);
            }
        }
        if (counts[field] != elements) {
            throw new MalformedRequest(label + ": shape " + input.getShapeList() + " holds " + elements
                    + " elements, " + FIELDS[field] + " has " + counts[field]);
        }
        int n = (int) elements;
        if (type == TensorType.BYTES) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (ByteString element : c.getBytesContentsList()) {
                int size = element.size();
                out.write(size);
                out.write(size >>> 8);
                out.write(size >>> 16);
                out.write(size >>> 24);
                out.writeBytes(element.toByteArray());
            }
            return out.toByteArray();
        }
        ByteBuffer buffer = ByteBuffer.allocate(n * type.elementBytes()).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case BOOL -> c.getBoolContentsList().forEach(b -> buffer.put((byte) (b ? 1 : 0)));
            case INT8 -> c.getIntContentsList().forEach(v -> buffer.put((byte) (int) ranged(label, v, -128, 127)));
            case INT16 -> c.getIntContentsList().forEach(v -> buffer.putShort((short) (int) ranged(label, v,
                    Short.MIN_VALUE, Short.MAX_VALUE)));
            case INT32 -> c.getIntContentsList().forEach(buffer::putInt);
            case INT64 -> c.getInt64ContentsList().forEach(buffer::putLong);
            case UINT8 -> c.getUintContentsList().forEach(v -> buffer.put((byte) (int) unsigned(label, v, 0xFF)));
            case UINT16 -> c.getUintContentsList().forEach(v -> buffer.putShort((short) (int) unsigned(label, v,
                    0xFFFF)));
            case UINT32 -> c.getUintContentsList().forEach(buffer::putInt);
            case UINT64 -> c.getUint64ContentsList().forEach(buffer::putLong);
            case FP32 -> c.getFp32ContentsList().forEach(buffer::putFloat);
            case FP64 -> c.getFp64ContentsList().forEach(buffer::putDouble);
            default -> throw new IllegalStateException("unexpected datatype " + type);
        }
        return buffer.array();
    }

    private static final String[] FIELDS = {"bool_contents", "int_contents", "int64_contents", "uint_contents",
        "uint64_contents", "fp32_contents", "fp64_contents", "bytes_contents"};

    private static Integer ranged(String label, int value, int min, int max) {
        if (value < min || value > max) {
            throw new MalformedRequest(label + ": " + value + " is out of range [" + min + ", " + max + "]");
        }
        return value;
    }

    /** A uint32 field's value (Java's int holds its bits), checked to fit {@code max}. */
    private static Integer unsigned(String label, int bits, int max) {
        long value = Integer.toUnsignedLong(bits);
        if (value > max) {
            throw new MalformedRequest(label + ": " + value + " is out of range [0, " + max + "]");
        }
        return bits;
    }

    /** The JSON form of gRPC parameters (a parameter with no value is left out). */
    private static ObjectNode parameters(Map<String, InferParameter> parameters) {
        ObjectNode node = JSON.createObjectNode();
        parameters.forEach((name, value) -> {
            switch (value.getParameterChoiceCase()) {
                case BOOL_PARAM -> node.put(name, value.getBoolParam());
                case INT64_PARAM -> node.put(name, value.getInt64Param());
                case STRING_PARAM -> node.put(name, value.getStringParam());
                case PARAMETERCHOICE_NOT_SET -> { }
            }
        });
        return node;
    }

    /** JSON parameters as gRPC ones; values of other kinds (numbers with fractions, objects) are left out. */
    private static void putParameters(JsonNode parameters, java.util.function.BiConsumer<String, InferParameter> put,
            String skip) {
        for (Iterator<Map.Entry<String, JsonNode>> it = parameters.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode value = entry.getValue();
            if (entry.getKey().equals(skip)) {
                continue;
            }
            if (value.isBoolean()) {
                put.accept(entry.getKey(), InferParameter.newBuilder().setBoolParam(value.booleanValue()).build());
            } else if (value.isIntegralNumber() && value.canConvertToLong()) {
                put.accept(entry.getKey(), InferParameter.newBuilder().setInt64Param(value.longValue()).build());
            } else if (value.isTextual()) {
                put.accept(entry.getKey(), InferParameter.newBuilder().setStringParam(value.textValue()).build());
            }
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write JSON", e);
        }
    }
}
