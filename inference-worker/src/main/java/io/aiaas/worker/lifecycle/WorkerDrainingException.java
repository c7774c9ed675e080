package io.aiaas.worker.lifecycle;

/** Thrown for an infer call that arrives while the worker is draining (shutting down): 503 with Retry-After. */
public class WorkerDrainingException extends RuntimeException {

    public WorkerDrainingException(String workerName) {
        super("worker " + workerName + " is draining (shutting down) and takes no new calls; send the call to another "
                + "worker", null, false, false);
    }
}
