package io.aiaas.worker.model;

/**
 * One infer call's hold on a loaded version, from before its body is decoded until it is answered: while any lease
 * is open the version is not idle and cannot be evicted. {@code coldStart}: the call had to wait for the version to
 * be loaded again after an eviction, for {@code loadMillis}.
 */
public record CallLease(ModelVersion version, boolean coldStart, long loadMillis) implements AutoCloseable {

    @Override
    public void close() {
        version.endCall();
    }
}
