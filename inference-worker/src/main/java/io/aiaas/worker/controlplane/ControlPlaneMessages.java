package io.aiaas.worker.controlplane;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** Bodies of the control plane's internal worker API (see docs/contracts.md). */
public final class ControlPlaneMessages {

    private ControlPlaneMessages() {
    }

    /** {@code memory}: the worker's budgets (0: none, read as unlimited). */
    public record Register(String name, String url, String device, Memory memory) {
    }

    public record Memory(@JsonProperty("host_bytes") long hostBytes, @JsonProperty("device_bytes") long deviceBytes) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Registered(String id, @JsonProperty("heartbeat_interval_ms") long heartbeatIntervalMs) {
    }

    public record Heartbeat(int outstanding, boolean draining, List<Placement> placements) {
    }

    /**
     * {@code sha256}: the file this version was loaded from (a model deleted and created again under its name numbers
     * its versions from 1 again: the file tells them apart); {@code memory_bytes}: what the loaded version is
     * estimated to hold (host + device), 0 when not loaded.
     */
    public record Placement(String model, int version, String sha256, String state, String reason,
                            @JsonProperty("memory_bytes") long memoryBytes) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HeartbeatAnswer(List<Desired> desired) {
    }

    /**
     * One version the control plane wants here. Its artifact is fetched from the configured control plane, never
     * from a URL in the answer (an {@code artifact_url} is ignored). {@code example} is the admin's example request
     * (an Open Inference Protocol infer request object) or null.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Desired(String model, int version, String sha256,
                          @JsonProperty("size_bytes") long sizeBytes,
                          JsonNode example) {
    }
}
