package io.aiaas.worker.metrics;

import io.aiaas.engine.EngineUnavailableException;
import io.aiaas.engine.InferenceException;
import io.aiaas.engine.InvalidInputException;
import io.aiaas.protocol.ProtocolException;
import io.aiaas.worker.inference.CallerGaveUpException;
import io.aiaas.worker.inference.InferenceFailedException;
import io.aiaas.worker.inference.InferenceUnavailableException;
import io.aiaas.worker.inference.InputRejectedException;
import io.aiaas.worker.inference.QueueFullException;
import io.aiaas.worker.lifecycle.WorkerDrainingException;
import io.aiaas.worker.model.ModelKey;
import io.aiaas.worker.rest.RequestTooLargeException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each kind of failure of an infer call gets the reason its status says, from the small fixed set. */
class FailureReasonTest {

    private static final ModelKey KEY = new ModelKey("m", 1);

    @Test
    void everyKindOfFailureHasItsReason() {
        assertEquals("rejected", FailureReason.of(new InputRejectedException(KEY, "bad")).tag());
        assertEquals("rejected", FailureReason.of(new InvalidInputException("no input x")).tag());
        assertEquals("rejected", FailureReason.of(new ProtocolException("malformed")).tag());
        assertEquals("rejected", FailureReason.of(new RequestTooLargeException(10)).tag());
        assertEquals("queue_full", FailureReason.of(new QueueFullException(KEY, 4)).tag());
        assertEquals("draining", FailureReason.of(new WorkerDrainingException("w1")).tag());
        assertEquals("cancelled", FailureReason.of(new CallerGaveUpException(KEY)).tag());
        assertEquals("unavailable", FailureReason.of(new InferenceUnavailableException(KEY, "unloaded")).tag());
        assertEquals("unavailable", FailureReason.of(new EngineUnavailableException("oom", null)).tag());
        assertEquals("failed", FailureReason.of(new InferenceFailedException(KEY, "broken", null)).tag());
        assertEquals("failed", FailureReason.of(new InferenceException("broken", null)).tag());
        assertEquals("failed", FailureReason.of(new IllegalStateException("bug")).tag());
    }
}
