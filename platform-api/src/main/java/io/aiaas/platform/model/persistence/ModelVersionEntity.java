package io.aiaas.platform.model.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A row of {@code model_versions}: one uploaded .onnx file of a model, numbered 1, 2, 3... */
@Entity
@Table(name = "model_versions")
public class ModelVersionEntity {
    @Id
    public UUID id;
    @Column(name = "model_id")
    public UUID modelId;
    public int version;
    public String sha256;
    @Column(name = "size_bytes")
    public long sizeBytes;
    /** Relative to the storage directory, so the directory can move. */
    @Column(name = "storage_path")
    public String storagePath;
    /** The signature as JSON: {"inputs": [{"name", "datatype", "shape"}], "outputs": [...]}. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String signature;
    /** The example request (Open Inference Protocol JSON) an admin registered, or null. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "example_request")
    public String exampleRequest;
    /** What the example request answered when the platform ran it; set together with the request. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "example_response")
    public String exampleResponse;
    /** EXAMPLE, ZEROS or SKIPPED: how the version was warmed up. */
    @Column(name = "warmup_status")
    public String warmupStatus;
    /** Why the zero-filled warm-up was skipped; null otherwise. */
    @Column(name = "warmup_reason")
    public String warmupReason;
    /** READY or RETIRED here (UPLOADED, VALIDATING, FAILED are allowed by the schema but never stored). */
    public String status;
    @Column(name = "status_reason")
    public String statusReason;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Column(name = "retired_at")
    public Instant retiredAt;
    /** When the version's sunset was first scheduled; null while it is not deprecated. */
    @Column(name = "deprecated_at")
    public Instant deprecatedAt;
    /** When the platform retires it; set with {@link #deprecatedAt}. */
    @Column(name = "sunset_at")
    public Instant sunsetAt;
    /** The version callers should move to, or null. */
    @Column(name = "successor_version")
    public Integer successorVersion;
    /** What the operator tells callers about the sunset, or null. */
    @Column(name = "deprecation_note")
    public String deprecationNote;
}
