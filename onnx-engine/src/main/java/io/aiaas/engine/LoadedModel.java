package io.aiaas.engine;

import java.util.List;
import java.util.Set;

/** One model held in an ONNX Runtime session; {@link #run} may be called from many threads at once. */
public interface LoadedModel extends AutoCloseable {

    ModelSignature signature();

    /** "cuda" or "cpu": where this session runs. */
    String device();

    /**
     * Runs the model.
     *
     * @param inputs           one tensor per model input
     * @param requestedOutputs names of the outputs wanted; empty means all
     * @throws InvalidInputException when an input is unknown, missing, of the wrong datatype or shape, or an
     *                               output name is unknown; the message names the tensor
     * @throws InferenceException    when ONNX Runtime fails on valid inputs
     */
    InferenceResult run(List<Tensor> inputs, Set<String> requestedOutputs);

    /** Runs once on zero-filled inputs (dynamic dimensions 1, empty strings) so the first request is not slow. */
    void warmUp();

    @Override
    void close();
}
