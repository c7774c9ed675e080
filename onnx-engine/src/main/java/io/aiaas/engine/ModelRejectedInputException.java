package io.aiaas.engine;

/**
 * Thrown when ONNX Runtime refuses the values of inputs that passed validation: the model's graph cannot take them
 * (an index out of range, a shape a Reshape cannot reach, two dynamic inputs of different lengths, an If branch that
 * fails for the given scalar). The message is ONNX Runtime's, without its source paths or internals, naming the node:
 * {@code node 'gather_1' (Gather): indices element out of data bounds, idx=-100 must be within ...}.
 */
public class ModelRejectedInputException extends InvalidInputException {
    public ModelRejectedInputException(String message) {
        super(message);
    }
}
