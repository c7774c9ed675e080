package io.aiaas.console.api.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.console.api.Deprecation;
import io.aiaas.console.api.TensorShape;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * A model version as the admin API shows it: status ready or retired, its signature, warm-up, example, the
 * placement of it on each worker (PENDING, LOADING, READY or FAILED) and its scheduled sunset ({@code deprecation},
 * null when none).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelVersion(UUID id, String model, int version, String status, String statusReason, String sha256,
        long sizeBytes, Signature signature, Warmup warmup, JsonNode example, Instant createdAt, Instant retiredAt,
        List<Placement> placements, Deprecation deprecation) {

    public List<Placement> placements() {
        return placements == null ? List.of() : placements;
    }

    public boolean retired() {
        return "retired".equalsIgnoreCase(status);
    }

    /**
     * Whether the platform retired it at its sunset (retired at or after the sunset it still carries), rather than an
     * admin before.
     */
    public boolean retiredAtSunset() {
        return retired() && deprecation != null && deprecation.sunsetAt() != null && retiredAt != null
                && !retiredAt.isBefore(deprecation.sunsetAt());
    }

    /** Whether a sunset is scheduled and the version not retired yet. */
    public boolean sunsetScheduled() {
        return !retired() && deprecation != null;
    }

    /** The first 12 hex digits of the SHA-256, enough to tell versions apart on a page. */
    public String sha256Short() {
        return sha256 == null ? "" : sha256.substring(0, Math.min(12, sha256.length()));
    }

    /** The placement on one worker, or null when the version is not placed there. */
    public Placement placementOn(UUID workerId) {
        return placements().stream().filter(p -> p.workerId().equals(workerId)).findFirst().orElse(null);
    }

    /** The signature in one line, e.g. "in: x FP32 [-1, 4] → out: y FP32 [-1, 3]". */
    public String signatureSummary() {
        if (signature == null) {
            return "";
        }
        String omitted = signature.omittedOutputs() == null || signature.omittedOutputs().isEmpty() ? ""
                : " (not served: " + signature.omittedOutputs().stream().map(o -> o.name() + ", " + o.kind())
                        .collect(Collectors.joining("; ")) + ")";
        return "in: " + Signature.line(signature.inputs()) + " → out: " + Signature.line(signature.outputs()) + omitted;
    }

    /** An output the version has but does not serve (not a tensor), and what it is. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record OmittedOutput(String name, String kind) {
    }

    /** A version's inputs and outputs, and the outputs it does not serve. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Signature(List<Tensor> inputs, List<Tensor> outputs, List<OmittedOutput> omittedOutputs) {
        static String line(List<Tensor> tensors) {
            return tensors == null || tensors.isEmpty() ? "—"
                    : tensors.stream().map(Tensor::describe).collect(Collectors.joining(", "));
        }
    }

    /** One input or output: name, Open Inference Protocol datatype, shape (-1 = dynamic; null: any shape). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Tensor(String name, String datatype, List<Long> shape) {

        /** Datatype and shape, e.g. "FP32 [-1, 4]" or "FP32 any shape" ({@link TensorShape}). */
        public String typeAndShape() {
            return datatype + " " + TensorShape.text(shape);
        }

        /** Name, datatype and shape, e.g. "x FP32 [-1, 4]". */
        public String describe() {
            return name + " " + typeAndShape();
        }
    }

    /** How the version was warmed up at registration: example, zeros or skipped (with the reason). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Warmup(String status, String reason) {
    }

    /** Where the version is (being) loaded. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Placement(UUID workerId, String workerName, String workerUrl, String workerStatus,
            Instant workerLastHeartbeatAt, String state, String reason, Instant updatedAt) {
    }
}
