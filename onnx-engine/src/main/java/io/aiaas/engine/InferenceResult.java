package io.aiaas.engine;

import java.util.List;
import java.util.Optional;

/** Outputs of one run, the nanoseconds ONNX Runtime spent computing, and the device ("cpu" or "cuda"). */
public record InferenceResult(List<Tensor> outputs, long computeNanos, String device) {

    public InferenceResult {
        outputs = List.copyOf(outputs);
    }

    public Optional<Tensor> output(String name) {
        return outputs.stream().filter(tensor -> tensor.name().equals(name)).findFirst();
    }
}
