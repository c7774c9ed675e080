package io.aiaas.engine;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.Buffer;
import java.nio.ByteBuffer;

/**
 * Creates UINT16/UINT32/UINT64 input tensors, which ONNX Runtime Java 1.29 has no public factory for
 * (its {@code OnnxJavaType} lacks unsigned wide types). The native code behind {@code OnnxTensor.createTensor}
 * takes the ONNX element type as a plain int, so we call that same private entry point with the unsigned type.
 * If a future ONNX Runtime changes these internals, {@link #unavailableReason()} says why and run() reports the
 * datatype as unsupported instead of failing obscurely.
 */
final class UnsignedTensors {

    private static final Method CREATE_FROM_BUFFER;
    private static final Constructor<OnnxTensor> TENSOR;
    private static final Constructor<TensorInfo> INFO;
    private static final Field API_HANDLE;
    private static final Field DEFAULT_ALLOCATOR;
    private static final Field ALLOCATOR_HANDLE;
    private static final String UNAVAILABLE;

    static {
        Method create = null;
        Constructor<OnnxTensor> tensor = null;
        Constructor<TensorInfo> info = null;
        Field apiHandle = null;
        Field defaultAllocator = null;
        Field allocatorHandle = null;
        String unavailable = null;
        try {
            create = OnnxTensor.class.getDeclaredMethod("createTensorFromBuffer",
                    long.class, long.class, Buffer.class, int.class, long.class, long[].class, int.class);
            create.setAccessible(true);
            tensor = OnnxTensor.class.getDeclaredConstructor(
                    long.class, long.class, TensorInfo.class, Buffer.class, boolean.class);
            tensor.setAccessible(true);
            info = TensorInfo.class.getDeclaredConstructor(long[].class, OnnxJavaType.class, OnnxTensorType.class);
            info.setAccessible(true);
            apiHandle = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("ortApiHandle");
            apiHandle.setAccessible(true);
            defaultAllocator = OrtEnvironment.class.getDeclaredField("defaultAllocator");
            defaultAllocator.setAccessible(true);
            allocatorHandle = Class.forName("ai.onnxruntime.OrtAllocator").getDeclaredField("handle");
            allocatorHandle.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // a fixed reason: it reaches API answers, where the binding's internals have no place
            unavailable = "this ONNX Runtime build offers no way to create unsigned 16/32/64-bit tensors";
        }
        CREATE_FROM_BUFFER = create;
        TENSOR = tensor;
        INFO = info;
        API_HANDLE = apiHandle;
        DEFAULT_ALLOCATOR = defaultAllocator;
        ALLOCATOR_HANDLE = allocatorHandle;
        UNAVAILABLE = unavailable;
    }

    private UnsignedTensors() {
    }

    /** Null when unsigned tensors can be created, else the reason. */
    static String unavailableReason() {
        return UNAVAILABLE;
    }

    /**
     * @param data  direct buffer in native order, exactly the tensor's bytes; kept alive by the returned tensor
     * @param type  UINT16, UINT32 or UINT64
     */
    static OnnxTensor create(OrtEnvironment env, ByteBuffer data, long[] shape, TensorType type) throws Exception {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException(UNAVAILABLE);
        }
        OnnxTensorType onnxType;
        OnnxJavaType carrier;
        switch (type) {
            case UINT16 -> {
                onnxType = OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16;
                carrier = OnnxJavaType.INT16;
            }
            case UINT32 -> {
                onnxType = OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32;
                carrier = OnnxJavaType.INT32;
            }
            case UINT64 -> {
                onnxType = OnnxTensorType.ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64;
                carrier = OnnxJavaType.INT64;
            }
            default -> throw new IllegalArgumentException(type + " is not an unsigned wide type");
        }
        Object allocator = DEFAULT_ALLOCATOR.get(env);
        long allocatorHandle = ALLOCATOR_HANDLE.getLong(allocator);
        try {
            long handle = (long) CREATE_FROM_BUFFER.invoke(null, API_HANDLE.getLong(null), allocatorHandle,
                    data, data.position(), (long) data.remaining(), shape.clone(), onnxType.value);
            TensorInfo info = INFO.newInstance(shape.clone(), carrier, onnxType);
            return TENSOR.newInstance(handle, allocatorHandle, info, data, false);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
