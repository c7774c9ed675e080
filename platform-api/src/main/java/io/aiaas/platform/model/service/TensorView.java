package io.aiaas.platform.model.service;

/** One input or output of a model: name, Open Inference Protocol datatype and shape (-1 = dynamic). */
public record TensorView(String name, String datatype, long[] shape) {
}
