package io.aiaas.worker.metrics;

import io.aiaas.engine.EngineUnavailableException;
import io.aiaas.engine.InvalidInputException;
import io.aiaas.protocol.ProtocolException;
import io.aiaas.worker.inference.CallerGaveUpException;
import io.aiaas.worker.inference.InferenceUnavailableException;
import io.aiaas.worker.inference.InputRejectedException;
import io.aiaas.worker.inference.QueueFullException;
import io.aiaas.worker.lifecycle.WorkerDrainingException;
import io.aiaas.worker.model.ModelNotReadyException;
import io.aiaas.worker.rest.RequestTooLargeException;

import java.util.Locale;

/**
 * Why an infer call on a model version failed, as the {@code reason} tag of
 * {@code aiaas_inference_request_failure_total}: a small fixed set, so the tag stays bounded (docs/observability.md).
 */
public enum FailureReason {
    /** 400: the request does not fit the model, or the model refused its values: the caller's fault. */
    REJECTED,
    /** 503: the version's queue was full (a retry elsewhere may succeed). */
    QUEUE_FULL,
    /** 503: passing trouble of ours: the version was unloaded meanwhile, the engine could not run it now. */
    UNAVAILABLE,
    /** 503: the worker is draining and takes no new calls. */
    DRAINING,
    /** No answer: the caller (the control plane) hung up or timed out while the call waited. */
    CANCELLED,
    /** 500: the loaded model cannot run at all, or an unexpected error. */
    FAILED;

    /** The reason of a call that failed with {@code failure} (the same kinds rest/ErrorMappers turns into statuses). */
    public static FailureReason of(Throwable failure) {
        if (failure instanceof ProtocolException || failure instanceof InvalidInputException
                || failure instanceof InputRejectedException || failure instanceof RequestTooLargeException) {
            return REJECTED;
        }
        if (failure instanceof QueueFullException) {
            return QUEUE_FULL;
        }
        if (failure instanceof WorkerDrainingException) {
            return DRAINING;
        }
        if (failure instanceof CallerGaveUpException) {
            return CANCELLED;
        }
        if (failure instanceof InferenceUnavailableException || failure instanceof EngineUnavailableException
                || failure instanceof ModelNotReadyException) {
            return UNAVAILABLE;
        }
        return FAILED;
    }

    /** The tag value: the constant's name in lower case ({@code queue_full}). */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
