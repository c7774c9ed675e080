package io.aiaas.worker.model;

/** Life cycle of a model version on this worker, as reported to the control plane. */
public enum ModelState {
    LOADING, READY, FAILED
}
