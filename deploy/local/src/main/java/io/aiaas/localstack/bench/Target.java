package io.aiaas.localstack.bench;

/** One way of getting an answer from the model; {@link #call} is what the benchmark times. */
public interface Target {

    String RAW = "raw";
    String WORKER = "worker";
    String CONTROL_PLANE = "control-plane";
    /** The gateway for a tenant on a plan: limits checked, each call priced. */
    String CONTROL_PLANE_BILLING = "control-plane+billing";
    /** {@link #CONTROL_PLANE} once more, as a target of its own: identical work, so the two differ only by noise. */
    String CONTROL_PLANE_TWIN = "control-plane-twin";

    /**
     * The target's name in reports: raw, worker, control-plane, control-plane+billing or control-plane-twin, with
     * the protocol after a slash where it is not JSON.
     */
    String name();

    /**
     * Makes one request and waits for the whole answer. Must be safe to call from many threads.
     *
     * @throws RuntimeException when the answer is not a success; the runner counts it as an error
     */
    void call();
}
