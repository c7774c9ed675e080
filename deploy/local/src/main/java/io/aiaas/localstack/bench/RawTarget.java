package io.aiaas.localstack.bench;

import io.aiaas.engine.InferenceResult;
import io.aiaas.engine.LoadedModel;
import io.aiaas.engine.Tensor;
import java.util.List;
import java.util.Set;

/** ONNX Runtime in this process through onnx-engine, with the worker's thread settings: the floor to compare with. */
public final class RawTarget implements Target {

    private final LoadedModel model;
    private final List<Tensor> inputs;

    public RawTarget(LoadedModel model, Tensor input) {
        this.model = model;
        this.inputs = List.of(input);
    }

    @Override
    public String name() {
        return RAW;
    }

    @Override
    public void call() {
        run();
    }

    /** One run with all outputs, for the check that every target answers alike. */
    public InferenceResult run() {
        InferenceResult result = model.run(inputs, Set.of());
        if (result.outputs().isEmpty()) {
            throw new IllegalStateException("the model answered no outputs");
        }
        return result;
    }
}
