package io.aiaas.worker.model;

/** Identifies one version of one model on this worker. */
public record ModelKey(String name, int version) {

    @Override
    public String toString() {
        return name + " version " + version;
    }
}
