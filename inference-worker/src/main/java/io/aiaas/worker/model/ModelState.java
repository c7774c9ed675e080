package io.aiaas.worker.model;

/**
 * Life cycle of a model version on this worker, as reported to the control plane. EVICTED: placed here and unloaded
 * to make room for another version within the memory budget; the next call to it loads it again (a cold start).
 */
public enum ModelState {
    LOADING, READY, FAILED, EVICTED
}
