package io.aiaas.localstack.bench;

import java.util.Locale;

/**
 * How a request carries its tensors: {@code json} (the Open Inference Protocol's JSON body), {@code binary} (the binary
 * tensor data extension, as Triton's HTTP client sends it) or {@code grpc} (the protocol's gRPC ModelInfer with raw
 * contents; the control plane only, the worker has no gRPC endpoint).
 */
public enum Protocol {
    JSON, BINARY, GRPC;

    /** The name in options and reports. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The target name of {@code door} (worker, control-plane, ...) over this protocol: JSON keeps the bare name. */
    public String targetName(String door) {
        return this == JSON ? door : door + "/" + key();
    }

    /** Whether the worker can be called directly over this protocol. */
    public boolean servedByWorker() {
        return this != GRPC;
    }

    public static Protocol parse(String value) {
        for (Protocol p : values()) {
            if (p.key().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown protocol '" + value + "'; known: json, binary, grpc");
    }
}
