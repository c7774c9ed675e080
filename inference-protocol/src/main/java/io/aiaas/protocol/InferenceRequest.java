package io.aiaas.protocol;

import io.aiaas.engine.Tensor;

import java.util.List;

/**
 * A decoded Open Inference Protocol infer request.
 *
 * @param id               the caller's request id, echoed in the response; null when absent
 * @param inputs           the input tensors in request order
 * @param requestedOutputs the output names asked for in request order; empty means all outputs
 */
public record InferenceRequest(String id, List<Tensor> inputs, List<String> requestedOutputs) {

    public InferenceRequest {
        inputs = List.copyOf(inputs);
        requestedOutputs = List.copyOf(requestedOutputs);
    }
}
