package io.aiaas.worker.rest;

import io.aiaas.engine.EngineUnavailableException;
import io.aiaas.engine.InferenceException;
import io.aiaas.worker.inference.InferenceFailedException;
import io.aiaas.worker.inference.InferenceUnavailableException;
import io.aiaas.worker.inference.InputRejectedException;
import io.aiaas.worker.model.ModelKey;
import io.aiaas.worker.model.ModelNotReadyException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Statuses and bodies of the failures a test cannot provoke through HTTP (out of memory, a GPU failing). */
class ErrorMappersTest {

    private final ErrorMappers mappers = new ErrorMappers();
    private final ModelKey key = new ModelKey("detector", 3);

    private static String error(Response response) {
        return ((ErrorBody) response.getEntity()).error();
    }

    @Test
    void aShortageOfOursIs503WithRetryAfterAndNoInternals() {
        Response r = mappers.unavailable(new InferenceUnavailableException(key, new EngineUnavailableException(
                "out of memory while running the model").getMessage()));
        assertEquals(503, r.getStatus());
        assertEquals("1", r.getHeaderString("Retry-After"));
        assertEquals("model 'detector' version 3 cannot run right now (out of memory while running the model); "
                + "retry shortly", error(r));
        Response bare = mappers.engineUnavailable(new EngineUnavailableException("model is closed"));
        assertEquals(503, bare.getStatus());
        assertEquals("1", bare.getHeaderString("Retry-After"));
    }

    @Test
    void inputTheModelRefusesIs400NamingTheModel() {
        Response r = mappers.rejected(new InputRejectedException(key, "node 'reshape_6' (Reshape): The input tensor "
                + "cannot be reshaped to the requested shape."));
        assertEquals(400, r.getStatus());
        assertNull(r.getHeaderString("Retry-After"));
        assertEquals("model 'detector' version 3 rejected the input: node 'reshape_6' (Reshape): The input tensor "
                + "cannot be reshaped to the requested shape.", error(r));
    }

    @Test
    void aModelThatCannotRunIs500WithoutRetryAfter() {
        Response r = mappers.failed(new InferenceFailedException(key, "the model cannot run: Could not find an "
                + "implementation for Foo(1) node with name 'foo_0'", null));
        assertEquals(500, r.getStatus());
        assertNull(r.getHeaderString("Retry-After"));
        assertEquals(500, mappers.inference(new InferenceException("x", null)).getStatus());
        assertEquals("the model cannot run", error(mappers.inference(new InferenceException("x", null))));
    }

    @Test
    void loadingIsRetryableAndAFailedLoadIsNot() {
        Response loading = mappers.notReady(new ModelNotReadyException("m version 1 is still loading", true));
        assertEquals(503, loading.getStatus());
        assertEquals("1", loading.getHeaderString("Retry-After"));
        Response failed = mappers.notReady(new ModelNotReadyException("m version 1 failed to load: x", false));
        assertEquals(503, failed.getStatus());
        assertNull(failed.getHeaderString("Retry-After"));
    }

    @Test
    void messagesAreValidUnicode() {
        assertEquals("bad \uFFFD name", error(ErrorMappers.error(400, "bad \uD800 name")));
    }
}
