package io.aiaas.platform.model.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The inputs and outputs of a model version, as stored in model_versions.signature, and the outputs it has but does
 * not serve ({@code omitted_outputs}, only when there are some): those that are not tensors, such as the sequence of
 * maps a scikit-learn classifier answers its probabilities in, which the Open Inference Protocol cannot carry.
 */
public record SignatureView(List<TensorView> inputs, List<TensorView> outputs,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<OmittedOutputView> omittedOutputs) {

    /** An output that is not served, and what it is instead of a tensor ("a sequence of maps from string to float"). */
    public record OmittedOutputView(String name, String kind) {
    }
}
