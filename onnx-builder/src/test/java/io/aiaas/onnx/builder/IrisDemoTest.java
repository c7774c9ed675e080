package io.aiaas.onnx.builder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IrisDemoTest {

    private static final IrisDemo.Trained TRAINED = IrisDemo.train();

    @Test
    void datasetHas150RowsFiftyPerClass() {
        IrisDemo.Dataset all = IrisDemo.load();
        assertEquals(150, all.size());
        for (int label = 0; label < 3; label++) {
            int l = label;
            assertEquals(50, Arrays.stream(all.labels()).filter(x -> x == l).count());
        }
    }

    @Test
    void splitIsStratifiedAndDeterministic() {
        assertEquals(120, TRAINED.train().size());
        assertEquals(30, TRAINED.test().size());
        IrisDemo.Trained again = IrisDemo.train();
        assertArrayEquals(TRAINED.test().labels(), again.test().labels());
        assertArrayEquals(TRAINED.bias(), again.bias());
    }

    @Test
    void testAccuracyIsAtLeastNinetyPercent() {
        assertTrue(TRAINED.testAccuracy() >= 0.9, "test accuracy " + TRAINED.testAccuracy());
        assertTrue(TRAINED.trainAccuracy() >= 0.9, "train accuracy " + TRAINED.trainAccuracy());
    }

    @Test
    void onnxRuntimeOutputsEqualTheJavaReference() throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[][] x = TRAINED.test().features();
        try (OrtSession session = env.createSession(TRAINED.onnx(), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, x);
             OrtSession.Result result = session.run(Map.of(IrisDemo.INPUT, input))) {
            float[][] probabilities = (float[][]) result.get(IrisDemo.PROBABILITIES).orElseThrow().getValue();
            long[] labels = (long[]) result.get(IrisDemo.LABEL).orElseThrow().getValue();
            float[][] expected = TRAINED.probabilities(x);
            for (int r = 0; r < x.length; r++) {
                assertArrayEquals(expected[r], probabilities[r], 1e-5f, "row " + r);
            }
            assertArrayEquals(TRAINED.labels(x), labels);
        }
    }

    @Test
    void mainWritesTheModel(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("iris.onnx");
        IrisDemo.main(new String[] {file.toString()});
        assertArrayEquals(TRAINED.onnx(), Files.readAllBytes(file));
        assertEquals(java.util.List.of("setosa", "versicolor", "virginica"), TRAINED.classNames());
    }
}
