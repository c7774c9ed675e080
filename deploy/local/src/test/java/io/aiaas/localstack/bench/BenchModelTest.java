package io.aiaas.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.engine.EngineOptions;
import io.aiaas.engine.InferenceResult;
import io.aiaas.engine.LoadedModel;
import io.aiaas.engine.OnnxEngine;
import io.aiaas.localstack.Json;
import io.aiaas.onnx.builder.IrisDemo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchModelTest {

    @Test
    void mlpRunsInOnnxRuntimeLikeItsPlainJavaReference(@TempDir Path dir) throws IOException {
        BenchModel model = BenchModel.named("mlp");
        float[] rows = model.rows(2);

        float[] y;
        try (OnnxEngine engine = new OnnxEngine(EngineOptions.cpu());
             LoadedModel loaded = engine.load(Files.write(dir.resolve("mlp.onnx"), model.onnx()))) {
            InferenceResult result = loaded.run(List.of(model.tensor(rows)), Set.of());
            assertArrayEquals(new long[] {2, BenchModel.MLP_CLASSES}, result.outputs().get(0).shape());
            y = result.outputs().get(0).floats();
        }

        BenchModel.Mlp reference = BenchModel.mlpWeights();
        for (int r = 0; r < 2; r++) {
            float[] expected = reference.forward(Arrays.copyOfRange(rows, r * BenchModel.WIDE,
                    (r + 1) * BenchModel.WIDE));
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[j], y[r * BenchModel.MLP_CLASSES + j], 1e-4, "row " + r + " class " + j);
            }
        }
    }

    @Test
    void requestBodyIsAnInferRequestWithTheBatchShape() {
        BenchModel model = BenchModel.named("linear256");
        float[] rows = model.rows(32);

        JsonNode input = Json.parse(new String(model.requestBody(rows), StandardCharsets.UTF_8))
                .path("inputs").get(0);

        assertEquals("x", input.path("name").asText());
        assertEquals("FP32", input.path("datatype").asText());
        assertEquals(32, input.path("shape").get(0).asInt());
        assertEquals(256, input.path("shape").get(1).asInt());
        assertEquals(32 * 256, input.path("data").size());
        assertEquals(rows[100], input.path("data").get(100).floatValue());
    }

    @Test
    void irisUsesTheDemoModelAndTheDataSetsRows() {
        BenchModel iris = BenchModel.named("iris");

        assertArrayEquals(IrisDemo.train().onnx(), iris.onnx());
        assertEquals("iris", iris.servedName());
        float[][] all = IrisDemo.load().features();
        float[] rows = iris.rows(2);
        assertArrayEquals(all[1], Arrays.copyOfRange(rows, 4, 8));
    }

    @Test
    void inputsAreTheSameOnEveryRunAndUnknownModelsAreRejected() {
        assertArrayEquals(BenchModel.named("linear256").rows(4), BenchModel.named("linear256").rows(4));
        assertThrows(IllegalArgumentException.class, () -> BenchModel.named("resnet"));
    }
}
