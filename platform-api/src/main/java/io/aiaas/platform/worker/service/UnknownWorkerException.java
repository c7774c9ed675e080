package io.aiaas.platform.worker.service;

import java.util.UUID;

/** Thrown when a heartbeat names a worker id that is not registered (the worker must register again). */
public class UnknownWorkerException extends RuntimeException {

    public UnknownWorkerException(UUID id) {
        super("worker " + id + " is not registered; register again", null, false, false);
    }
}
