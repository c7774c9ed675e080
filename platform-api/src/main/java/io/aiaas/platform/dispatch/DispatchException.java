package io.aiaas.platform.dispatch;

/** Thrown when a call could not be answered by a worker; {@link #failure()} says why and which status fits. */
public class DispatchException extends RuntimeException {

    /** Why dispatch failed, with the status the client gets. */
    public enum Failure {
        /** No UP worker has the version READY (503, Retry-After). */
        NO_WORKER(503, "no_worker"),
        /** Every worker tried refused or dropped the connection (503, Retry-After). */
        UNREACHABLE(503, "worker_unreachable"),
        /** The worker did not answer within {@code aiaas.gateway.worker-timeout} (504). */
        TIMEOUT(504, "worker_timeout"),
        /** The exchange broke after the request was sent (502). */
        BROKEN(502, "worker_failed");

        private final int status;
        private final String code;

        Failure(int status, String code) {
            this.status = status;
            this.code = code;
        }

        public int status() {
            return status;
        }

        public String code() {
            return code;
        }
    }

    private final Failure failure;
    private final WorkerTarget worker;

    public DispatchException(Failure failure, WorkerTarget worker, String message) {
        super(message, null, false, false);
        this.failure = failure;
        this.worker = worker;
    }

    public Failure failure() {
        return failure;
    }

    /** The last worker tried, or null when none was. */
    public WorkerTarget worker() {
        return worker;
    }
}
