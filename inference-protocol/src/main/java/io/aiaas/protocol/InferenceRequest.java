package io.aiaas.protocol;

import io.aiaas.engine.Tensor;

import java.util.List;
import java.util.Set;

/**
 * A decoded Open Inference Protocol infer request.
 *
 * @param id               the caller's request id, echoed in the response; null when absent
 * @param inputs           the input tensors in request order
 * @param requestedOutputs the output names asked for in request order; empty means all outputs
 * @param binaryOutputs    the requested outputs asked for with {@code "parameters": {"binary_data": true}}
 * @param binaryDataOutput the request's {@code "parameters": {"binary_data_output": true}}: when no output is named,
 *                         every output is answered as binary data
 */
public record InferenceRequest(String id, List<Tensor> inputs, List<String> requestedOutputs, Set<String> binaryOutputs,
                               boolean binaryDataOutput) {

    public InferenceRequest {
        inputs = List.copyOf(inputs);
        requestedOutputs = List.copyOf(requestedOutputs);
        binaryOutputs = Set.copyOf(binaryOutputs);
    }

    /** A request whose outputs are all answered as JSON. */
    public InferenceRequest(String id, List<Tensor> inputs, List<String> requestedOutputs) {
        this(id, inputs, requestedOutputs, Set.of(), false);
    }

    /**
     * Whether the output is answered as binary data, as Triton decides it: a named output by its own
     * {@code binary_data} (false when absent), the outputs of a request naming none by {@code binary_data_output}.
     */
    public boolean wantsBinary(String output) {
        return requestedOutputs.isEmpty() ? binaryDataOutput : binaryOutputs.contains(output);
    }
}
