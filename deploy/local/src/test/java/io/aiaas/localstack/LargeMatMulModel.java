package io.aiaas.localstack;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.aiaas.onnx.builder.OnnxModelBuilder;
import io.aiaas.onnx.proto.GraphProto;
import io.aiaas.onnx.proto.ModelProto;
import io.aiaas.onnx.proto.TensorProto;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code y = x · W} (x FP32 [1, n], W FP32 [n, k] stored as raw_data) straight to a file, the weights in
 * 1 MiB chunks, so that a model of hundreds of megabytes is made without holding it in the heap. A protobuf message
 * is its fields one after the other, each length-prefixed and in any order: the small parts come from
 * {@link OnnxModelBuilder}, and the big initializer is appended to the graph as one more field.
 */
final class LargeMatMulModel {

    static final String INPUT = "x";
    static final String OUTPUT = "y";
    static final String WEIGHTS = "W";
    private static final int CHUNK = 1 << 20;

    private LargeMatMulModel() {
    }

    /** The bytes of W alone: the bulk of the file. */
    static long weightBytes(int n, int k) {
        return 4L * n * k;
    }

    /** Writes the model and answers the file size. */
    static long write(Path file, int n, int k) throws IOException {
        ModelProto small = OnnxModelBuilder.create("large_matmul")
                .input(INPUT, TensorProto.DataType.FLOAT, 1, n)
                .output(OUTPUT, TensorProto.DataType.FLOAT, 1, k)
                .node("MatMul", OUTPUT, INPUT, WEIGHTS)
                .build();
        byte[] model = small.toBuilder().clearGraph().build().toByteArray();
        byte[] graph = small.getGraph().toByteArray();
        byte[] tensor = TensorProto.newBuilder().setName(WEIGHTS).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(n).addDims(k).build().toByteArray();
        long raw = weightBytes(n, k);
        long tensorLength = tensor.length + fieldHeader(TensorProto.RAW_DATA_FIELD_NUMBER, raw) + raw;
        long graphLength = graph.length + fieldHeader(GraphProto.INITIALIZER_FIELD_NUMBER, tensorLength)
                + tensorLength;
        if (graphLength > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a protobuf message stops at 2 GiB; " + n + "x" + k + " is too large");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), CHUNK)) {
            CodedOutputStream coded = CodedOutputStream.newInstance(out);
            coded.writeRawBytes(model);
            lengthDelimited(coded, ModelProto.GRAPH_FIELD_NUMBER, graphLength);
            coded.writeRawBytes(graph);
            lengthDelimited(coded, GraphProto.INITIALIZER_FIELD_NUMBER, tensorLength);
            coded.writeRawBytes(tensor);
            lengthDelimited(coded, TensorProto.RAW_DATA_FIELD_NUMBER, raw);
            coded.flush();
            byte[] chunk = weightChunk();
            for (long left = raw; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
        return Files.size(file);
    }

    private static long fieldHeader(int field, long length) {
        return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt64SizeNoTag(length);
    }

    private static void lengthDelimited(CodedOutputStream coded, int field, long length) throws IOException {
        coded.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        coded.writeUInt64NoTag(length);
    }

    /** Small weights in [-1/32, 1/32] (little-endian FP32, as ONNX raw_data is), the same pattern in every chunk. */
    private static byte[] weightChunk() {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; buffer.hasRemaining(); i++) {
            buffer.putFloat(((i * 31) % 255 - 127) / 4096f);
        }
        return buffer.array();
    }
}
