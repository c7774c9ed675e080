package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A worker as {@code GET /admin/v1/workers} lists it: status UP or DOWN (no heartbeat for a while), its device,
 * outstanding requests (its queue) and the model versions it holds.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Worker(UUID id, String name, String url, String device, String status, int outstanding,
        Instant registeredAt, Instant lastHeartbeatAt, List<Placement> placements) {

    public List<Placement> placements() {
        return placements == null ? List.of() : placements;
    }

    public boolean up() {
        return "UP".equalsIgnoreCase(status);
    }

    /** A model version on the worker and its state (PENDING, LOADING, READY, FAILED). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Placement(String model, int version, String state, String reason, Instant updatedAt) {
    }
}
