package io.aiaas.platform.model.service;

import java.util.List;

/** The inputs and outputs of a model version, as stored in model_versions.signature. */
public record SignatureView(List<TensorView> inputs, List<TensorView> outputs) {
}
