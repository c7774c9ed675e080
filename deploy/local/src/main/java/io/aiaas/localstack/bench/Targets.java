package io.aiaas.localstack.bench;

import io.aiaas.engine.InferenceResult;
import io.aiaas.engine.Tensor;

/** Where the benchmark's gRPC targets are made (the HTTP ones are {@link HttpTarget}'s). */
public final class Targets {

    private Targets() {
    }

    /**
     * Everything a gRPC ModelInfer call to the control plane needs.
     *
     * @param name      the target's report name, e.g. {@code control-plane+billing/grpc}
     * @param apiUrl    the control plane's HTTP base URL (loopback); its gRPC endpoint is derived from it or
     *                  configured next to it
     * @param model     the served model name
     * @param apiKey    the tenant's API key, sent as {@code authorization: Bearer <key>} metadata
     * @param input     the input tensor, to be sent as {@code raw_input_contents}
     * @param billed    whether the answer must show it was priced (the tenant is on a plan)
     */
    public record GrpcCall(String name, String apiUrl, String model, String apiKey, Tensor input, boolean billed) {
    }

    /** A gRPC target and the check that its answer equals what ONNX Runtime computes in process. */
    public interface Checked extends Target {
        /** One call whose outputs must equal {@code expected} (within {@link AnswerCheck#TOLERANCE}). */
        void requireSameAs(InferenceResult expected);
    }

    /**
     * The control plane's gRPC ModelInfer as a target (a plain grpc-java client on the HTTP port).
     */
    public static Checked grpc(GrpcCall call) {
        return new GrpcTarget(call);
    }
}
