package io.aiaas.worker.inference;

import io.aiaas.engine.EngineUnavailableException;
import io.aiaas.engine.InferenceException;
import io.aiaas.engine.InferenceResult;
import io.aiaas.engine.ModelRejectedInputException;
import io.aiaas.engine.Tensor;
import io.aiaas.worker.model.ModelRegistry;
import io.aiaas.worker.model.ModelVersion;
import io.aiaas.protocol.InferenceRequest;
import io.aiaas.protocol.InferenceCodec;
import io.aiaas.protocol.InferenceResponse;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Decodes an infer request, runs it on the addressed READY model version and counts requests in flight. */
@ApplicationScoped
public class InferenceService {

    private final ModelRegistry registry;
    private final InferenceCodec codec;
    private final AtomicInteger outstanding = new AtomicInteger();

    public InferenceService(ModelRegistry registry, InferenceCodec codec) {
        this.registry = registry;
        this.codec = codec;
    }

    /** Requests being decoded or run right now; reported in heartbeats. */
    public int outstanding() {
        return outstanding.get();
    }

    public InferenceOutcome infer(String name, Integer version, InputStream body) {
        return infer(name, version, body, null);
    }

    /**
     * @param inferenceHeaderContentLength the {@code Inference-Header-Content-Length} header: the length of the JSON
     *                                     part of a body with binary tensor data after it; null for plain JSON
     */
    public InferenceOutcome infer(String name, Integer version, InputStream body, String inferenceHeaderContentLength) {
        outstanding.incrementAndGet();
        try {
            ModelVersion target = registry.resolve(name, version);
            InferenceRequest request = codec.decode(body, inferenceHeaderContentLength);
            if (!target.acquire()) {
                throw new InferenceUnavailableException(target.key(), "it was unloaded meanwhile");
            }
            InferenceResult result;
            try {
                result = target.model().run(request.inputs(), new LinkedHashSet<>(request.requestedOutputs()));
            } catch (ModelRejectedInputException e) {
                throw new InputRejectedException(target.key(), e.getMessage());
            } catch (EngineUnavailableException e) {
                throw new InferenceUnavailableException(target.key(), e.getMessage());
            } catch (InferenceException e) {
                throw new InferenceFailedException(target.key(), e.getMessage(), e);
            } finally {
                target.release();
            }
            InferenceResponse response = InferenceResponse.answering(request, name,
                    Integer.toString(target.key().version()), ordered(result.outputs(), request.requestedOutputs()));
            return new InferenceOutcome(response, result.device(),
                    TimeUnit.NANOSECONDS.toMicros(result.computeNanos()), items(request.inputs()));
        } finally {
            outstanding.decrementAndGet();
        }
    }

    /** Requested outputs come back in the order they were asked for. */
    private static List<Tensor> ordered(List<Tensor> outputs, List<String> requested) {
        if (requested.isEmpty()) {
            return outputs;
        }
        Map<String, Tensor> byName = new HashMap<>();
        outputs.forEach(t -> byName.put(t.name(), t));
        List<Tensor> result = new ArrayList<>(requested.size());
        for (String name : requested) {
            Tensor tensor = byName.get(name);
            if (tensor != null) {
                result.add(tensor);
            }
        }
        return result;
    }

    /** The batch size billed: the first dimension of the first input, 1 for a scalar. */
    static long items(List<Tensor> inputs) {
        if (inputs.isEmpty() || inputs.get(0).shape().length == 0) {
            return 1;
        }
        return inputs.get(0).shape()[0];
    }
}
