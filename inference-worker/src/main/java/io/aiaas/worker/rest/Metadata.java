package io.aiaas.worker.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.aiaas.engine.TensorSpec;

import java.util.List;

/** Response bodies of the Open Inference Protocol metadata and health endpoints. */
public final class Metadata {

    private Metadata() {
    }

    /** {@code GET /v2}. */
    public record Server(String name, String version, List<String> extensions) {
    }

    /** {@code GET /v2/models/{name}[/versions/{v}]}. */
    public record Model(String name, List<String> versions, String platform, List<Tensor> inputs, List<Tensor> outputs) {
    }

    /**
     * One tensor of a model's signature; -1 marks a dynamic dimension, {@code []} a scalar, and a null shape
     * ({@code "shape": null}) an unknown rank: any shape is accepted.
     */
    public record Tensor(String name, String datatype, long[] shape) {

        static Tensor of(TensorSpec spec) {
            return new Tensor(spec.name(), spec.datatype().name(), spec.shape());
        }
    }

    /** {@code GET .../ready}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ModelReady(String name, String version, boolean ready) {
    }

    /** {@code GET /v2/health/live}. */
    public record Live(boolean live) {
    }

    /** {@code GET /v2/health/ready}. */
    public record Ready(boolean ready) {
    }
}
