package io.aiaas.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aiaas.onnx.builder.RealModels;
import io.aiaas.onnx.builder.RealModels.Values;
import java.util.List;
import org.junit.jupiter.api.Test;

class OipOutputsTest {

    private static final List<Values> FLOATS = List.of(Values.fp32("y", new long[] {2, 2}, 1f, 2.5f, -3f, 0.1f));
    private static final List<Values> LONGS = List.of(Values.int64("positions", new long[] {3}, 0, 3, 6));

    @Test
    void flatAndNestedDataBothMatch() {
        assertEquals(List.of(), OipOutputs.mismatches(FLOATS, Json.parse("""
                [{"name": "y", "datatype": "FP32", "shape": [2, 2], "data": [1.0, 2.5, -3.0, 0.1]}]""")));
        assertEquals(List.of(), OipOutputs.mismatches(FLOATS, Json.parse("""
                [{"name": "y", "datatype": "FP32", "shape": [2, 2], "data": [[1.0, 2.5], [-3.0, 0.100000001]]}]""")));
        assertEquals(List.of(), OipOutputs.mismatches(LONGS, Json.parse("""
                [{"name": "other", "datatype": "BOOL", "shape": [1], "data": [true]},
                 {"name": "positions", "datatype": "INT64", "shape": [3], "data": [0, 3, 6]}]""")));
    }

    @Test
    void everyDifferenceIsNamed() {
        List<String> wrongValue = OipOutputs.mismatches(FLOATS, Json.parse("""
                [{"name": "y", "datatype": "FP32", "shape": [2, 2], "data": [1.0, 2.5, -3.0, 0.2]}]"""));
        assertEquals(1, wrongValue.size(), wrongValue.toString());
        assertTrue(wrongValue.get(0).startsWith("y[3]"), wrongValue.toString());

        List<String> wrongShapeAndType = OipOutputs.mismatches(FLOATS, Json.parse("""
                [{"name": "y", "datatype": "FP64", "shape": [4], "data": [1.0, 2.5, -3.0, 0.1]}]"""));
        assertEquals(2, wrongShapeAndType.size(), wrongShapeAndType.toString());

        assertEquals(List.of("output 'positions' is missing"), OipOutputs.mismatches(LONGS, Json.parse("[]")));
        assertEquals(1, OipOutputs.mismatches(LONGS, Json.parse("""
                [{"name": "positions", "datatype": "INT64", "shape": [3], "data": [0, 3, 6.5]}]""")).size());
        assertEquals(1, OipOutputs.mismatches(LONGS, Json.parse("""
                [{"name": "positions", "datatype": "INT64", "shape": [3], "data": [0, 3]}]""")).size());
        assertEquals(1, OipOutputs.mismatches(LONGS, Json.parse("{}")).size());
    }

    @Test
    void everyPatternMatchesItsOwnExpectedAnswer() {
        for (RealModels.Pattern pattern : RealModels.all()) {
            String response = RealModels.request(pattern.expected()).replace("\"inputs\"", "\"outputs\"");
            assertEquals(List.of(), OipOutputs.mismatches(pattern.expected(), Json.parse(response).path("outputs")),
                    pattern.name());
        }
    }
}
