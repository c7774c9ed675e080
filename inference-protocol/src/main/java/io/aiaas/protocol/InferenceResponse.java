package io.aiaas.protocol;

import io.aiaas.engine.Tensor;

import java.util.List;

/** An Open Inference Protocol infer response before it is written as JSON. */
public record InferenceResponse(String modelName, String modelVersion, String id, List<Tensor> outputs) {

    public InferenceResponse {
        outputs = List.copyOf(outputs);
    }
}
