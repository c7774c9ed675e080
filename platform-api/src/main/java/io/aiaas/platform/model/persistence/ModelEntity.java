package io.aiaas.platform.model.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code models}: a named model, public or private to its owner tenant. */
@Entity
@Table(name = "models")
public class ModelEntity {
    @Id
    public UUID id;
    public String name;
    public String description;
    /** PUBLIC or PRIVATE. */
    public String visibility;
    @Column(name = "owner_tenant_id")
    public UUID ownerTenantId;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    /** When the model was deleted (its versions retired, its name free again); null while it is in the catalogue. */
    @Column(name = "deleted_at")
    public Instant deletedAt;
    /** Placement policy: at least this many workers hold each READY version (when enough eligible ones exist). */
    @Column(name = "min_replicas")
    public int minReplicas = 1;
    /** Placement policy: at most this many workers; null: aiaas.workers.default-max-replicas. */
    @Column(name = "max_replicas")
    public Integer maxReplicas;
    /** Placement policy: ANY, GPU or CPU. */
    @Column(name = "device_requirement")
    public String deviceRequirement = "ANY";
    /** Rollout: the version calls that name none go to; null: the newest a worker serves. */
    @Column(name = "stable_version")
    public Integer stableVersion;
    /** Rollout: a version that takes {@link #canaryPercent} of those calls while a worker serves it; or null. */
    @Column(name = "canary_version")
    public Integer canaryVersion;
    @Column(name = "canary_percent")
    public Integer canaryPercent;
    /** Rollout: how the canary's share is taken, {@code call} or {@code tenant}; null without a canary. */
    @Column(name = "canary_by")
    public String canaryBy;
    /** Rollout: when the canary was set (its failures are judged since); null without a canary. */
    @Column(name = "canary_since")
    public Instant canarySince;
    /** Rollout: the canary is rolled back when this percent of a window of its calls fail; null: never. */
    @Column(name = "rollback_error_percent")
    public Integer rollbackErrorPercent;
    /** Rollout: how many of the canary's calls are judged together; null without a rollback percent. */
    @Column(name = "rollback_window")
    public Integer rollbackWindow;
    /** The last automatic rollback: the canary version, when, and the calls and failures of its window. */
    @Column(name = "rolled_back_version")
    public Integer rolledBackVersion;
    @Column(name = "rolled_back_at")
    public Instant rolledBackAt;
    @Column(name = "rolled_back_calls")
    public Integer rolledBackCalls;
    @Column(name = "rolled_back_failures")
    public Integer rolledBackFailures;
    /** Rollout: a version that gets a copy of {@link #shadowPercent} of the calls, its answers compared, never sent. */
    @Column(name = "shadow_version")
    public Integer shadowVersion;
    @Column(name = "shadow_percent")
    public Integer shadowPercent;
}
