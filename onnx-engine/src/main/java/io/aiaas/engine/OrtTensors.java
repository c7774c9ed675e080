package io.aiaas.engine;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.TensorInfo.OnnxTensorType;
import ai.onnxruntime.platform.Fp16Conversions;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Converts between our flat-array {@link Tensor} and ONNX Runtime's {@link OnnxTensor}, via direct buffers. */
final class OrtTensors {

    private OrtTensors() {
    }

    /** Our datatype for an ONNX element type, or null when the protocol cannot carry it (bfloat16, complex, ...). */
    static TensorType typeOf(OnnxTensorType onnxType) {
        return switch (onnxType) {
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL -> TensorType.BOOL;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 -> TensorType.UINT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT16 -> TensorType.UINT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT32 -> TensorType.UINT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT64 -> TensorType.UINT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8 -> TensorType.INT8;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT16 -> TensorType.INT16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 -> TensorType.INT32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 -> TensorType.INT64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16 -> TensorType.FP16;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT -> TensorType.FP32;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE -> TensorType.FP64;
            case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING -> TensorType.BYTES;
            default -> null;
        };
    }

    /** Creates the native tensor; the caller closes it. */
    static OnnxTensor toOrt(OrtEnvironment env, Tensor tensor) throws Exception {
        long[] shape = tensor.shape();
        int count = tensor.elementCount();
        TensorType type = tensor.type();
        if (type == TensorType.BYTES) {
            byte[][] raw = tensor.byteStrings();
            String[] strings = new String[count];
            for (int i = 0; i < count; i++) {
                strings[i] = new String(raw[i], StandardCharsets.UTF_8);
            }
            return OnnxTensor.createTensor(env, strings, shape);
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(count * type.elementBytes()).order(ByteOrder.nativeOrder());
        // Writes go through views, so the byte buffer's position stays 0 and remaining() is the tensor size.
        switch (type) {
            case BOOL -> {
                boolean[] values = tensor.booleans();
                for (int i = 0; i < count; i++) {
                    buffer.put(i, values[i] ? (byte) 1 : (byte) 0);
                }
            }
            case INT8, UINT8 -> buffer.duplicate().put(tensor.bytes());
            case INT16, UINT16 -> buffer.asShortBuffer().put(tensor.shorts());
            case INT32, UINT32 -> buffer.asIntBuffer().put(tensor.ints());
            case INT64, UINT64 -> buffer.asLongBuffer().put(tensor.longs());
            case FP16 -> {
                float[] values = tensor.floats();
                for (int i = 0; i < count; i++) {
                    buffer.putShort(i * 2, Fp16Conversions.floatToFp16(values[i]));
                }
            }
            case FP32 -> buffer.asFloatBuffer().put(tensor.floats());
            case FP64 -> buffer.asDoubleBuffer().put(tensor.doubles());
            default -> throw new IllegalStateException("unhandled " + type);
        }
        return switch (type) {
            case UINT16, UINT32, UINT64 -> UnsignedTensors.create(env, buffer, shape, type);
            default -> OnnxTensor.createTensor(env, buffer, shape, javaType(type));
        };
    }

    private static OnnxJavaType javaType(TensorType type) {
        return switch (type) {
            case BOOL -> OnnxJavaType.BOOL;
            case INT8 -> OnnxJavaType.INT8;
            case UINT8 -> OnnxJavaType.UINT8;
            case INT16 -> OnnxJavaType.INT16;
            case INT32 -> OnnxJavaType.INT32;
            case INT64 -> OnnxJavaType.INT64;
            case FP16 -> OnnxJavaType.FLOAT16;
            case FP32 -> OnnxJavaType.FLOAT;
            case FP64 -> OnnxJavaType.DOUBLE;
            default -> throw new IllegalArgumentException(type + " has no direct OnnxJavaType");
        };
    }

    /** Copies a native tensor into a flat-array tensor of the given name. */
    static Tensor fromOrt(String name, OnnxTensor value) throws OrtException {
        TensorInfo info = value.getInfo();
        TensorType type = typeOf(info.onnxType);
        if (type == null) {
            throw new UnsupportedTypeException("output '" + name + "' has ONNX element type " + info.onnxType
                    + ", which the inference protocol cannot carry");
        }
        long[] shape = info.getShape();
        int count = Math.toIntExact(info.getNumElements());
        if (type == TensorType.BYTES) {
            List<String> strings = new ArrayList<>(count);
            flattenStrings(value.getValue(), strings);
            byte[][] raw = new byte[strings.size()][];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = strings.get(i).getBytes(StandardCharsets.UTF_8);
            }
            return Tensor.of(name, type, shape, raw);
        }
        ByteBuffer buffer = value.getByteBuffer().order(ByteOrder.nativeOrder());
        Object data = switch (type) {
            case BOOL -> {
                boolean[] values = new boolean[count];
                for (int i = 0; i < count; i++) {
                    values[i] = buffer.get(i) != 0;
                }
                yield values;
            }
            case INT8, UINT8 -> {
                byte[] values = new byte[count];
                buffer.duplicate().get(values);
                yield values;
            }
            case INT16, UINT16 -> {
                short[] values = new short[count];
                buffer.asShortBuffer().get(values);
                yield values;
            }
            case INT32, UINT32 -> {
                int[] values = new int[count];
                buffer.asIntBuffer().get(values);
                yield values;
            }
            case INT64, UINT64 -> {
                long[] values = new long[count];
                buffer.asLongBuffer().get(values);
                yield values;
            }
            case FP16 -> {
                float[] values = new float[count];
                for (int i = 0; i < count; i++) {
                    values[i] = Fp16Conversions.fp16ToFloat(buffer.getShort(i * 2));
                }
                yield values;
            }
            case FP32 -> {
                float[] values = new float[count];
                buffer.asFloatBuffer().get(values);
                yield values;
            }
            case FP64 -> {
                double[] values = new double[count];
                buffer.asDoubleBuffer().get(values);
                yield values;
            }
            default -> throw new IllegalStateException("unhandled " + type);
        };
        return Tensor.of(name, type, shape, data);
    }

    private static void flattenStrings(Object value, List<String> sink) {
        if (value instanceof String string) {
            sink.add(string);
        } else if (value != null && value.getClass().isArray()) {
            int length = Array.getLength(value);
            for (int i = 0; i < length; i++) {
                flattenStrings(Array.get(value, i), sink);
            }
        }
    }
}
