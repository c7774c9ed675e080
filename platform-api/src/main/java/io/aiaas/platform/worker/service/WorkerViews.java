package io.aiaas.platform.worker.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of the worker registry (internal API and admin listing). */
public final class WorkerViews {

    private WorkerViews() {
    }

    /** {@code POST /internal/v1/workers}. */
    public record Registration(
            @NotBlank @Size(max = 100) String name,
            @NotBlank @Size(max = 2000) @Pattern(regexp = "https?://[^\\s/]+(/[^\\s]*)?",
                    message = "must be an http(s) URL") String url,
            @NotBlank @Pattern(regexp = "[a-z0-9_-]{1,16}", message = "must be a short device name such as cpu or cuda")
            String device,
            @Valid Memory memory) {
    }

    /** A worker's memory budgets in bytes; 0 or absent: unknown, treated as unlimited. */
    public record Memory(@JsonProperty("host_bytes") @PositiveOrZero Long hostBytes,
            @JsonProperty("device_bytes") @PositiveOrZero Long deviceBytes) {

        long host() {
            return hostBytes == null ? 0 : hostBytes;
        }

        long device() {
            return deviceBytes == null ? 0 : deviceBytes;
        }
    }

    /** Answer to a registration. */
    public record Registered(UUID id, @JsonProperty("heartbeat_interval_ms") long heartbeatIntervalMs) {
    }

    /** {@code POST /internal/v1/workers/{id}/heartbeat}. */
    public record Heartbeat(@PositiveOrZero int outstanding, Boolean draining,
            List<@NotNull @Valid ReportedPlacement> placements) {

        boolean isDraining() {
            return Boolean.TRUE.equals(draining);
        }
    }

    /**
     * What a worker says about one model version it holds; {@code sha256} is the file it holds for it (workers before
     * it was sent leave it out, and are then matched by name and version alone).
     */
    public record ReportedPlacement(
            @NotBlank String model,
            @NotNull @Min(1) Integer version,
            @Pattern(regexp = "[0-9a-fA-F]{64}", message = "must be 64 hexadecimal digits") String sha256,
            @NotNull @Pattern(regexp = "PENDING|LOADING|READY|FAILED|EVICTED",
                    message = "must be PENDING, LOADING, READY, FAILED or EVICTED")
            String state,
            @Size(max = 2000) String reason,
            @JsonProperty("memory_bytes") @PositiveOrZero Long memoryBytes) {
    }

    /** Answer to a heartbeat: the versions placed on this worker (it loads them, and unloads the others). */
    public record HeartbeatAnswer(List<DesiredVersion> desired) {
    }

    /**
     * A version a worker should load (from {@code /internal/v1/artifacts/{model}/{version}} of this control plane),
     * with the example request to warm it up with, if an admin registered one.
     */
    public record DesiredVersion(String model, int version, String sha256,
            @JsonProperty("size_bytes") long sizeBytes, @JsonRawValue String example) {
    }

    /** A worker as {@code GET /admin/v1/workers} lists it. */
    public record WorkerView(UUID id, String name, String url, String device, String status, int outstanding,
            boolean draining, @JsonProperty("host_memory_bytes") long hostMemoryBytes,
            @JsonProperty("device_memory_bytes") long deviceMemoryBytes,
            @JsonProperty("registered_at") Instant registeredAt,
            @JsonProperty("last_heartbeat_at") Instant lastHeartbeatAt,
            List<PlacementView> placements) {
    }

    /**
     * A model version on a worker: {@code state} as the worker reported it ({@code assigned} when it was placed there
     * and not reported yet); {@code assigned} false: the worker still holds it but no longer should.
     */
    public record PlacementView(String model, int version, String state, String reason,
            @JsonProperty("memory_bytes") long memoryBytes, boolean assigned,
            @JsonProperty("updated_at") Instant updatedAt) {
    }
}
