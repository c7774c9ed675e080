package io.aiaas.platform.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** How a shadow's answer is compared with the answer the client got. */
class ShadowComparisonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode answer(String outputs) throws Exception {
        return JSON.readTree("{\"model_name\": \"m\", \"outputs\": [" + outputs + "]}");
    }

    private static final String Y = "{\"name\": \"y\", \"datatype\": \"FP32\", \"shape\": [1, 2], \"data\": %s}";

    @Test
    void valuesWithinTheToleranceAreTheSameAndNestedDataIsFlattened() throws Exception {
        JsonNode expected = answer(Y.formatted("[0.5, 1000.0]"));
        assertNull(ShadowCalls.difference(expected, answer(Y.formatted("[0.500004, 1000.09]"))));
        assertNull(ShadowCalls.difference(expected, answer(Y.formatted("[[0.5, 1000.0]]"))));
        // an output only the shadow has is new, not a difference
        assertNull(ShadowCalls.difference(expected, answer(Y.formatted("[0.5, 1000.0]")
                + ", {\"name\": \"z\", \"datatype\": \"BOOL\", \"shape\": [1], \"data\": [true]}")));
    }

    @Test
    void eachDifferenceIsNamed() throws Exception {
        JsonNode expected = answer(Y.formatted("[0.5, 1000.0]"));
        assertEquals("output 'y' element 1: 1000.2 instead of 1000.0",
                ShadowCalls.difference(expected, answer(Y.formatted("[0.5, 1000.2]"))));
        assertEquals("output 'y' element 0: 0.5001 instead of 0.5",
                ShadowCalls.difference(expected, answer(Y.formatted("[0.5001, 1000.0]"))));
        assertEquals("output 'y' is missing", ShadowCalls.difference(expected,
                answer("{\"name\": \"z\", \"datatype\": \"FP32\", \"shape\": [1, 2], \"data\": [0.5, 1000.0]}")));
        assertEquals("output 'y' is FP64, not FP32", ShadowCalls.difference(expected,
                answer(Y.replace("FP32", "FP64").formatted("[0.5, 1000.0]"))));
        assertEquals("output 'y' has shape [2,1], not [1,2]", ShadowCalls.difference(expected,
                answer(Y.replace("[1, 2]", "[2, 1]").formatted("[0.5, 1000.0]"))));
        assertEquals("output 'y' has 3 values, not 2", ShadowCalls.difference(expected,
                answer(Y.formatted("[0.5, 1000.0, 1.0]"))));
        assertEquals("output 'y' element 0: \"b\" instead of \"a\"", ShadowCalls.difference(
                answer(Y.replace("FP32", "BYTES").formatted("[\"a\"]")),
                answer(Y.replace("FP32", "BYTES").formatted("[\"b\"]"))));
    }
}
