package io.aiaas.localstack.bench;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.engine.InferenceResult;
import io.aiaas.engine.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerCheckTest {

    private static final InferenceResult RAW = new InferenceResult(List.of(
            Tensor.ofFp32("probabilities", new long[] {1, 2}, new float[] {0.25f, 0.75f}),
            Tensor.ofInt64("label", new long[] {1}, new long[] {1})), 1000, "cpu");

    private static String mismatch(String answer) {
        return assertThrows(IllegalStateException.class, () -> AnswerCheck.requireSame("worker", RAW, answer))
                .getMessage();
    }

    @Test
    void theSameOutputsWithinToleranceAreAccepted() {
        String answer = """
                {"model_name": "iris", "outputs": [
                  {"name": "label", "datatype": "INT64", "shape": [1], "data": [1]},
                  {"name": "probabilities", "datatype": "FP32", "shape": [1, 2], "data": [0.25000001, 0.75]}]}""";

        assertDoesNotThrow(() -> AnswerCheck.requireSame("worker", RAW, answer));
    }

    @Test
    void aDifferentValueIsNamedWithItsIndex() {
        String message = mismatch("""
                {"outputs": [{"name": "label", "shape": [1], "data": [1]},
                  {"name": "probabilities", "shape": [1, 2], "data": [0.25, 0.7]}]}""");

        assertTrue(message.contains("worker: output 'probabilities' value 1 is 0.7"), message);
    }

    @Test
    void missingOutputsWrongShapesAndErrorBodiesAreRejected() {
        assertTrue(mismatch("""
                {"outputs": [{"name": "probabilities", "shape": [1, 2], "data": [0.25, 0.75]}]}""")
                .contains("no output 'label'"));
        assertTrue(mismatch("""
                {"outputs": [{"name": "label", "shape": [1], "data": [1]},
                  {"name": "probabilities", "shape": [2], "data": [0.25, 0.75]}]}""")
                .contains("has shape [2], in process [1, 2]"));
        assertTrue(mismatch("{\"error\": \"input 'x': wrong datatype\"}").contains("answered no outputs"));
    }
}
