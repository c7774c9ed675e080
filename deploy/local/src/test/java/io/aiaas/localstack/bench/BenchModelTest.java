package io.aiaas.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void convLoadsAndRunsInProcessLikeItsPlainJavaReferenceWithTheBatchDimensionDynamic(@TempDir Path dir)
            throws IOException {
        BenchModel model = BenchModel.named("conv");
        float[] rows = model.rows(2);
        assertArrayEquals(new long[] {2, 3, 48, 192}, model.shape(rows));

        float[] batched;
        float[] single;
        try (OnnxEngine engine = new OnnxEngine(EngineOptions.cpu());
             LoadedModel loaded = engine.load(Files.write(dir.resolve("conv.onnx"), model.onnx()))) {
            InferenceResult result = loaded.run(List.of(model.tensor(rows)), Set.of());
            assertArrayEquals(new long[] {2, BenchModel.CONV_CLASSES}, result.outputs().get(0).shape());
            batched = result.outputs().get(0).floats();
            float[] first = Arrays.copyOf(rows, model.features());
            single = loaded.run(List.of(model.tensor(first)), Set.of()).outputs().get(0).floats();
        }

        BenchModel.Conv w = BenchModel.convWeights();
        for (int r = 0; r < 2; r++) {
            float[] expected = ConvReference.forward(w, Arrays.copyOfRange(rows, r * model.features(),
                    (r + 1) * model.features()));
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[j], batched[r * BenchModel.CONV_CLASSES + j], 1e-4, "row " + r + " class " + j);
            }
        }
        // a row's answer does not depend on the batch it came in: what dynamic batching relies on
        assertArrayEquals(Arrays.copyOf(batched, BenchModel.CONV_CLASSES), single, 1e-6f);
        double spread = 0;
        for (int j = 1; j < BenchModel.CONV_CLASSES; j++) {
            spread = Math.max(spread, Math.abs(batched[j] - batched[0]));
        }
        assertTrue(spread > 1e-3, "the classes differ, so a wrong weight layout would show: " + spread);
    }

    @Test
    void convJsonBodyIsWrittenAsAPythonClientDoesAndItsBinaryBodyCarriesTheTensorBytes() {
        BenchModel model = BenchModel.named("conv");
        float[] rows = model.rows(1);

        byte[] json = model.requestBody(rows);
        JsonNode input = Json.parse(new String(json, StandardCharsets.UTF_8)).path("inputs").get(0);
        assertEquals(3 * 48 * 192, input.path("data").size());
        assertEquals(rows[77], input.path("data").get(77).floatValue());
        assertTrue(json.length > 500_000 && json.length < 650_000, "about the 556 KB of issue 8: " + json.length);

        BenchModel.BinaryBody binary = model.binaryBody(rows, List.of("y"));
        JsonNode header = Json.parse(new String(binary.body(), 0, binary.headerLength(), StandardCharsets.UTF_8));
        assertEquals(rows.length * 4, header.path("inputs").get(0).path("parameters").path("binary_data_size").asInt());
        assertTrue(header.path("outputs").get(0).path("parameters").path("binary_data").asBoolean());
        assertEquals(binary.headerLength() + rows.length * 4, binary.body().length);
        float first = java.nio.ByteBuffer.wrap(binary.body(), binary.headerLength(), 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat();
        assertEquals(rows[0], first);
    }
}
