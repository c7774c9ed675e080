package io.aiaas.platform.common.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/** Mapper behaviour that no endpoint can trigger on purpose. */
class ExceptionMappersTest {

    private static <T> T read(byte[] body, Class<T> type) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(body, type);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void unexpectedErrorIs500WithAGenericMessage() {
        Response response = new ExceptionMappers().unexpected(new IllegalStateException("db password is hunter2"),
                null);
        assertEquals(500, response.getStatus());
        Problem problem = read((byte[]) response.getEntity(), Problem.class);
        assertEquals("internal_error", problem.code());
        assertFalse(problem.detail().contains("hunter2"));
        assertFalse(problem.detail().contains("IllegalStateException"));
    }

    @Test
    void inferencePathsGetTheOpenInferenceBody() {
        Response response = ErrorBodies.response("/v2/models/x/infer", 404, "model_not_found", "Not Found", "no x");
        assertEquals(new InferenceError("no x", "model_not_found"), read((byte[]) response.getEntity(), InferenceError.class));
        assertEquals("application/json", response.getMediaType().toString());
        Response problem = ErrorBodies.response("/v20", 404, "not_found", "Not Found", "no");
        assertEquals("application/problem+json", problem.getMediaType().toString());
    }
}
