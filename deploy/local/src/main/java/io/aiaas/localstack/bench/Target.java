package io.aiaas.localstack.bench;

/** One way of getting an answer from the model; {@link #call} is what the benchmark times. */
public interface Target {

    String RAW = "raw";
    String WORKER = "worker";
    String CONTROL_PLANE = "control-plane";
    /** The gateway for a tenant on a plan: limits checked, each call priced. */
    String CONTROL_PLANE_BILLING = "control-plane+billing";

    /** The target's name in reports: raw, worker, control-plane or control-plane+billing. */
    String name();

    /**
     * Makes one request and waits for the whole answer. Must be safe to call from many threads.
     *
     * @throws RuntimeException when the answer is not a success; the runner counts it as an error
     */
    void call();
}
