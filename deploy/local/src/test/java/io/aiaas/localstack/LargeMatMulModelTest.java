package io.aiaas.localstack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aiaas.engine.EngineOptions;
import io.aiaas.engine.InferenceResult;
import io.aiaas.engine.LoadedModel;
import io.aiaas.engine.OnnxEngine;
import io.aiaas.engine.Tensor;
import io.aiaas.engine.TensorType;
import io.aiaas.onnx.proto.ModelProto;
import io.aiaas.onnx.proto.TensorProto;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LargeMatMulModelTest {

    @Test
    void streamedFileIsTheSameModelProtobufAndOnnxRuntimeRunsIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("matmul.onnx");
        // 1000 x 300 FP32: 1.2 MB, so the weights span two 1 MiB chunks
        long size = LargeMatMulModel.write(file, 1000, 300);
        assertEquals(Files.size(file), size);

        ModelProto model;
        try (InputStream in = Files.newInputStream(file)) {
            model = ModelProto.parseFrom(in);
        }
        TensorProto weights = model.getGraph().getInitializer(0);
        assertEquals(LargeMatMulModel.WEIGHTS, weights.getName());
        assertEquals(List.of(1000L, 300L), weights.getDimsList());
        assertEquals(LargeMatMulModel.weightBytes(1000, 300), weights.getRawData().size());
        assertEquals("MatMul", model.getGraph().getNode(0).getOpType());

        float[] x = new float[1000];
        x[0] = 1f;
        try (OnnxEngine engine = new OnnxEngine(EngineOptions.cpu()); LoadedModel loaded = engine.load(file)) {
            InferenceResult result = loaded.run(List.of(Tensor.of(LargeMatMulModel.INPUT, TensorType.FP32,
                    new long[] {1, 1000}, x)), Set.of(LargeMatMulModel.OUTPUT));
            float[] y = result.output(LargeMatMulModel.OUTPUT).orElseThrow().floats();
            // x picks W's first row, which is the first 300 floats of the raw data
            float[] firstRow = new float[300];
            ByteBuffer.wrap(weights.getRawData().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()
                    .get(firstRow);
            assertArrayEquals(firstRow, y, 1e-6f);
        }
    }
}
