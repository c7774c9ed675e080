package io.aiaas.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtException.OrtErrorCode;
import org.junit.jupiter.api.Test;

/** The classification of ONNX Runtime failures and the cleaning of their messages, on messages ONNX Runtime 1.29 gave. */
class OrtErrorsTest {

    // OrtException(code, message) puts "Error code - ORT_FAIL - message: " in front, as the native side does
    private static final String RESHAPE_IN_IF = "Non-zero status code returned while "
            + "running If node. Name:'if_1' Status Message: Non-zero status code returned while running Reshape node. "
            + "Name:'unsupported/reshape_0' Status Message: /onnxruntime_src/onnxruntime/core/providers/cpu/tensor/"
            + "reshape_helper.h:91 onnxruntime::ReshapeHelper::ReshapeHelper(const onnxruntime::TensorShape&, "
            + "onnxruntime::TensorShapeVector&, bool) input_shape_size == requested_shape_size was false. The input "
            + "tensor cannot be reshaped to the requested shape. Input shape:{1,4}, requested shape:{7,5}\n";

    private static EngineException classify(OrtErrorCode code, String message) {
        return OrtErrors.duringRun(new OrtException(code, message));
    }

    @Test
    void theExceptionCarriesTheCodePrefixThatCleaningRemoves() {
        assertEquals("Error code - ORT_FAIL - message: x", new OrtException(OrtErrorCode.ORT_FAIL, "x").getMessage());
    }

    @Test
    void kernelFailuresOnValidatedInputsAreTheInputs() {
        EngineException e = classify(OrtErrorCode.ORT_FAIL, RESHAPE_IN_IF);
        assertInstanceOf(ModelRejectedInputException.class, e);
        assertEquals("node 'unsupported/reshape_0' (Reshape) inside node 'if_1' (If): The input tensor cannot be "
                + "reshaped to the requested shape. Input shape:{1,4}, requested shape:{7,5}", e.getMessage());
        assertInstanceOf(ModelRejectedInputException.class, classify(OrtErrorCode.ORT_INVALID_ARGUMENT,
                "Non-zero status code returned while running Gather node. Name:'g' Status Message: indices element "
                        + "out of data bounds, idx=7 must be within the inclusive range [-3,2]"));
        EngineException thrown = classify(OrtErrorCode.ORT_RUNTIME_EXCEPTION, "[ErrorCode:RuntimeException] Non-zero "
                + "status code returned while running Add node. Name:'add_0' Status Message: /onnxruntime_src/"
                + "onnxruntime/core/providers/cpu/math/element_wise_ops.h:563 void onnxruntime::BroadcastIterator::"
                + "Init(ptrdiff_t, ptrdiff_t) axis == 1 || axis == largest was false. Attempting to broadcast an axis "
                + "by a dimension other than 1. 2 by 3");
        assertInstanceOf(ModelRejectedInputException.class, thrown);
        assertEquals("node 'add_0' (Add): Attempting to broadcast an axis by a dimension other than 1. 2 by 3",
                thrown.getMessage());
    }

    @Test
    void allocationFailuresAreOursAndRetryableUnlessLargerThanTheMachine() {
        String arena = "Non-zero status code returned while running MatMul node. "
                + "Name:'matmul_0' Status Message: /onnxruntime_src/onnxruntime/core/framework/bfc_arena.cc:359 void* "
                + "onnxruntime::BFCArena::AllocateRawInternal(size_t, bool, onnxruntime::Stream*) Failed to allocate "
                + "memory for requested buffer of size ";
        EngineException small = classify(OrtErrorCode.ORT_FAIL, arena + 4096);
        assertInstanceOf(EngineUnavailableException.class, small);
        assertEquals("out of memory while running the model", small.getMessage());
        EngineException huge = classify(OrtErrorCode.ORT_FAIL, arena + Long.MAX_VALUE);
        assertInstanceOf(ModelRejectedInputException.class, huge);
        assertEquals("node 'matmul_0' (MatMul): the input needs a buffer of " + Long.MAX_VALUE
                + " bytes, more than this machine's memory", huge.getMessage());
        assertInstanceOf(EngineUnavailableException.class, classify(OrtErrorCode.ORT_RUNTIME_EXCEPTION, "std::bad_alloc"));
        EngineException cudaOom = classify(OrtErrorCode.ORT_FAIL, "CUDA failure 2: out of memory ; GPU=0 ; "
                + "hostname=w1 ; file=/onnxruntime_src/onnxruntime/core/providers/cuda/cuda_allocator.cc ; line=48 ; "
                + "expr=cudaMalloc((void**)&p, size);");
        assertInstanceOf(EngineUnavailableException.class, cudaOom);
        assertEquals("out of memory while running the model", cudaOom.getMessage());
    }

    @Test
    void executionProviderAndSessionFailuresAreOursWithoutDetails() {
        EngineException cudnn = classify(OrtErrorCode.ORT_FAIL, "Non-zero status code returned while running Conv "
                + "node. Name:'conv' Status Message: CUDNN failure 4: CUDNN_STATUS_INTERNAL_ERROR ; GPU=0 ; hostname=w1 "
                + "; file=/onnxruntime_src/onnxruntime/core/providers/cuda/nn/conv.cc ; line=418");
        assertInstanceOf(EngineUnavailableException.class, cudnn);
        assertEquals("the execution provider (GPU) failed while running the model", cudnn.getMessage());
        assertInstanceOf(EngineUnavailableException.class, classify(OrtErrorCode.ORT_EP_FAIL, "anything"));
        // the environment released under a run (as a JVM shutdown hook of the binding does): not the input's fault
        EngineException released = classify(OrtErrorCode.ORT_FAIL, "Non-zero status code returned while running "
                + "Loop node. Name:'loop_0' Status Message: Non-zero status code returned while running Identity node. "
                + "Name:'step/identity_3' Status Message: Attempt to use DefaultLogger but none has been registered.");
        assertInstanceOf(EngineUnavailableException.class, released);
        assertEquals("ONNX Runtime is shutting down in this process", released.getMessage());
        assertInstanceOf(EngineUnavailableException.class, classify(OrtErrorCode.ORT_DEVICE_RESET, "reset"));
        EngineException engine = classify(OrtErrorCode.ORT_ENGINE_ERROR, "session state");
        assertInstanceOf(EngineUnavailableException.class, engine);
        assertEquals("the model's session cannot run right now", engine.getMessage());
    }

    @Test
    void aModelThatCannotRunAtAllIsNeitherTheInputsNorRetryable() {
        EngineException e = classify(OrtErrorCode.ORT_NOT_IMPLEMENTED, "Could not find an implementation for Foo(1) node with name 'foo_0'");
        assertInstanceOf(InferenceException.class, e);
        assertEquals("the model cannot run: Could not find an implementation for Foo(1) node with name 'foo_0'",
                e.getMessage());
        assertInstanceOf(InferenceException.class, classify(OrtErrorCode.ORT_JAVA_UNKNOWN, "binding"));
    }

    @Test
    void loadMessagesLoseTheServersPaths() {
        assertEquals("Protobuf parsing failed.", OrtErrors.clean("Error code - ORT_INVALID_PROTOBUF - message: Load "
                + "model from /var/cache/aiaas/junk-1-abc.onnx failed:Protobuf parsing failed."));
        assertEquals("ONNX Runtime gave no reason", OrtErrors.clean("Error code - ORT_FAIL - message: "));
        assertEquals("node 'x' (Relu): a check in the operator failed", OrtErrors.clean("Non-zero status code "
                + "returned while running Relu node. Name:'x' Status Message: /onnxruntime_src/a/b.cc:1 void "
                + "onnxruntime::f(int) n > 0 was false."));
    }
}
