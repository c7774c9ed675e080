package io.aiaas.engine;

import java.util.List;
import java.util.Optional;

/**
 * The inputs and outputs of a loaded model, in the model's order, and the outputs it cannot serve: those that are not
 * tensors (a sequence of maps, as scikit-learn classifiers answer their probabilities by default), which the Open
 * Inference Protocol cannot carry. Such outputs are never computed or returned; the model serves its tensor outputs.
 */
public record ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs, List<OmittedOutput> omittedOutputs) {

    /** An output the model has but does not serve, and what it is instead of a tensor (in words). */
    public record OmittedOutput(String name, String kind) {
    }

    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        omittedOutputs = omittedOutputs == null ? List.of() : List.copyOf(omittedOutputs);
    }

    /** A signature whose outputs are all tensors. */
    public ModelSignature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
        this(inputs, outputs, List.of());
    }

    public Optional<TensorSpec> input(String name) {
        return inputs.stream().filter(spec -> spec.name().equals(name)).findFirst();
    }

    public Optional<TensorSpec> output(String name) {
        return outputs.stream().filter(spec -> spec.name().equals(name)).findFirst();
    }
}
