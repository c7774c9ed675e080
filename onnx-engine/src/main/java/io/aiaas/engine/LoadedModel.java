package io.aiaas.engine;

import java.util.List;
import java.util.Set;

/**
 * One model held in an ONNX Runtime session; {@link #run} may be called from many threads at once. {@link #close()}
 * waits for running calls; later calls get {@link EngineUnavailableException}.
 */
public interface LoadedModel extends AutoCloseable {

    ModelSignature signature();

    /** "cuda" or "cpu": where this session runs. */
    String device();

    /**
     * Runs the model.
     *
     * @param inputs           one tensor per model input
     * @param requestedOutputs names of the outputs wanted; empty means all
     * @throws InvalidInputException        when an input is unknown, missing, of the wrong datatype or shape, or an
     *                                      output name is unknown; the message names the tensor
     * @throws ModelRejectedInputException  (an {@link InvalidInputException}) when the inputs passed those checks
     *                                      but the model's graph cannot take their values; ONNX Runtime's cleaned
     *                                      message names the node
     * @throws EngineUnavailableException   when the run failed for a reason of ours that a retry may cure (out of
     *                                      memory, the GPU, the model closed meanwhile)
     * @throws InferenceException           when the model cannot run at all although it loaded
     */
    InferenceResult run(List<Tensor> inputs, Set<String> requestedOutputs);

    /**
     * The checks {@link #run} makes before running, without running: a batcher calls it before a request joins a
     * batch, so that one caller's bad input never fails the others'.
     *
     * @throws InvalidInputException as {@link #run} would for these inputs and outputs
     */
    default void validate(List<Tensor> inputs, Set<String> requestedOutputs) {
    }

    /**
     * Warms the model up with the caller's example so that the first request is not slow, and proves the example
     * runs; with a null example, the same as {@link #warmUpWithZeros()}.
     *
     * @return {@link WarmUp#example()} (or the zeros' outcome for a null example)
     * @throws InvalidInputException       when the example does not fit the model or the model refuses its values
     *                                     ({@link ModelRejectedInputException}): the caller decides what that means
     * @throws EngineUnavailableException  when the run failed for a reason of ours
     */
    WarmUp warmUp(List<Tensor> example);

    /**
     * Warms the model up with zero-filled inputs (dynamic dimensions 1, an unknown rank as a scalar, empty strings
     * for BYTES). A model that refuses zeros is still a valid model: the outcome is then
     * {@link WarmUp.Status#SKIPPED} with ONNX Runtime's cleaned reason, and nothing is thrown.
     *
     * @throws EngineUnavailableException when the run failed for a reason of ours
     * @throws InferenceException         when the model cannot run at all
     */
    WarmUp warmUpWithZeros();

    @Override
    void close();
}
