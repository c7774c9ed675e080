package io.aiaas.worker.model;

/**
 * What one loaded version is estimated to hold: host bytes (the process's RSS growth across its load and warm-up, at
 * least the artifact's size on CPU; or a multiple of the artifact's size where RSS cannot be read) and device bytes
 * (the artifact's size when its session runs on CUDA, else 0). {@code measured} says whether RSS was read.
 */
public record ModelMemory(long hostBytes, long deviceBytes, boolean measured) {

    public static final ModelMemory NONE = new ModelMemory(0, 0, false);

    /** Both kinds together: the heartbeat's {@code memory_bytes}. */
    public long totalBytes() {
        return hostBytes + deviceBytes;
    }
}
