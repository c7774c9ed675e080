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

    /** A binary answer as the worker writes it: the JSON part, then each output's little-endian bytes. */
    private static byte[] binaryAnswer(float second, int extra) {
        String json = "{\"outputs\":[{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[1,2],"
                + "\"parameters\":{\"binary_data_size\":8}},{\"name\":\"label\",\"datatype\":\"INT64\","
                + "\"shape\":[1],\"parameters\":{\"binary_data_size\":8}}]}";
        java.nio.ByteBuffer body = java.nio.ByteBuffer.allocate(json.length() + 16 + extra)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        body.put(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)).putFloat(0.25f).putFloat(second).putLong(1);
        return body.array();
    }

    private static int headerLength() {
        byte[] body = binaryAnswer(0.75f, 0);
        return body.length - 16;
    }

    @Test
    void aBinaryAnswerIsDecodedFromItsBytesAndCompared() {
        assertDoesNotThrow(() -> AnswerCheck.requireSameBinary("worker/binary", RAW, binaryAnswer(0.75f, 0),
                String.valueOf(headerLength())));

        String wrong = assertThrows(IllegalStateException.class, () -> AnswerCheck.requireSameBinary(
                "worker/binary", RAW, binaryAnswer(0.5f, 0), String.valueOf(headerLength()))).getMessage();
        assertTrue(wrong.contains("worker/binary: output 'probabilities' value 1 is 0.5"), wrong);
        String trailing = assertThrows(IllegalStateException.class, () -> AnswerCheck.requireSameBinary(
                "worker/binary", RAW, binaryAnswer(0.75f, 3), String.valueOf(headerLength()))).getMessage();
        assertTrue(trailing.contains("3 bytes after the binary outputs"), trailing);
        String noHeader = assertThrows(IllegalStateException.class, () -> AnswerCheck.requireSameBinary(
                "worker/binary", RAW, "{\"outputs\": []}".getBytes(java.nio.charset.StandardCharsets.UTF_8), null))
                .getMessage();
        assertTrue(noHeader.contains("answered no Inference-Header-Content-Length header"), noHeader);
    }

    @Test
    void aJsonOutputInABinaryAnswerIsRejected() {
        String json = "{\"outputs\":[{\"name\":\"label\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[1]}]}";
        byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);

        String message = assertThrows(IllegalStateException.class, () -> AnswerCheck.requireSameBinary(
                "control-plane/binary", RAW, body, String.valueOf(body.length))).getMessage();
        assertTrue(message.contains("output 'label' did not come back as binary data"), message);
    }
}
