package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A model with all its versions, where each is placed, its rollout and the tenants it is shared with
 * ({@code GET /admin/v1/models/{name}}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelDetail(UUID id, String name, String description, String visibility, String ownerTenant,
        Instant createdAt, Instant updatedAt, List<ModelVersion> versions, Rollout rollout, List<ModelGrant> grants) {

    public List<ModelVersion> versions() {
        return versions == null ? List.of() : versions;
    }

    /** The tenants the model is shared with, by slug; empty when none (or the API did not say). */
    public List<ModelGrant> grants() {
        return grants == null ? List.of() : grants;
    }

    /** Whether only its owner and the tenants it is shared with may call it. */
    public boolean isPrivate() {
        return "private".equals(visibility);
    }

    /** The rollout; {@link Rollout#NONE} when none is set (or the API did not say). */
    public Rollout rollout() {
        return rollout == null ? Rollout.NONE : rollout;
    }

    /** The numbers of the versions not retired, in the card's (numeric) order: those a rollout may name. */
    public List<Integer> readyVersions() {
        return versions().stream().filter(v -> !v.retired()).map(ModelVersion::version).toList();
    }

    /**
     * The workers any version is placed on, in the order first seen (by worker name): the columns of the versions
     * table.
     */
    public List<WorkerColumn> workers() {
        Map<UUID, WorkerColumn> seen = new LinkedHashMap<>();
        for (ModelVersion v : versions()) {
            for (ModelVersion.Placement p : v.placements()) {
                seen.putIfAbsent(p.workerId(), new WorkerColumn(p.workerId(), p.workerName(), p.workerStatus()));
            }
        }
        List<WorkerColumn> all = new ArrayList<>(seen.values());
        all.sort((a, b) -> String.valueOf(a.name()).compareTo(String.valueOf(b.name())));
        return all;
    }

    /** The number of columns of the versions table (for a row that spans them all). */
    public int columns() {
        return workers().size() + 8;
    }

    /** One worker column of the versions table. */
    public record WorkerColumn(UUID id, String name, String status) {
    }
}
