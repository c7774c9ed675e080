package io.aiaas.protocol;

import io.aiaas.engine.Tensor;

import java.util.List;
import java.util.Set;

/**
 * An Open Inference Protocol infer response before it is written.
 *
 * @param binaryOutputs the outputs written as binary data after the JSON (the binary tensor data extension); the
 *                      others are written as JSON {@code data}
 */
public record InferenceResponse(String modelName, String modelVersion, String id, List<Tensor> outputs,
                                Set<String> binaryOutputs) {

    public InferenceResponse {
        outputs = List.copyOf(outputs);
        binaryOutputs = Set.copyOf(binaryOutputs);
    }

    /** A response with every output written as JSON. */
    public InferenceResponse(String modelName, String modelVersion, String id, List<Tensor> outputs) {
        this(modelName, modelVersion, id, outputs, Set.of());
    }

    /** The response to {@code request}: its outputs in binary where the request asked for them so. */
    public static InferenceResponse answering(InferenceRequest request, String modelName, String modelVersion,
                                              List<Tensor> outputs) {
        Set<String> binary = new java.util.HashSet<>();
        for (Tensor output : outputs) {
            if (request.wantsBinary(output.name())) {
                binary.add(output.name());
            }
        }
        return new InferenceResponse(modelName, modelVersion, request.id(), outputs, binary);
    }
}
