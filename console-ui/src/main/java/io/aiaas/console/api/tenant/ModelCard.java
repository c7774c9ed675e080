package io.aiaas.console.api.tenant;

import com.fasterxml.jackson.databind.JsonNode;
import io.aiaas.console.api.Deprecation;
import io.aiaas.console.api.TensorShape;
import java.time.Instant;
import java.util.List;

/**
 * A model the tenant may call, as its card: READY versions with signature, warm-up, example and, for a deprecated
 * version, its sunset. {@code visibility} is {@code public}, {@code private} (the tenant's own) or {@code shared}
 * (another tenant's private model, or the platform's, shared with this tenant by a platform admin).
 */
public record ModelCard(String name, String description, String visibility, Integer latestVersion,
        List<Version> versions) {

    public List<Version> versions() {
        return versions == null ? List.of() : versions;
    }

    /** Whether it is another tenant's private model (or the platform's) that this tenant may call by a grant. */
    public boolean shared() {
        return "shared".equals(visibility);
    }

    /** The visibility in words: "shared with this tenant" for {@code shared}, else as platform-api says it. */
    public String visibilityText() {
        return shared() ? "shared with this tenant" : visibility;
    }

    /** The newest version (the one a call without a version gets), or null. */
    public Version latest() {
        List<Version> all = versions();
        if (latestVersion != null) {
            for (Version v : all) {
                if (v.version() == latestVersion) {
                    return v;
                }
            }
        }
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** The versions with a sunset scheduled, oldest first: those the card warns about. */
    public List<Version> deprecated() {
        return versions().stream().filter(v -> v.deprecation() != null).toList();
    }

    /** A callable version; {@code deprecation} says when the platform retires it (null: not deprecated). */
    public record Version(int version, String sha256, long sizeBytes, Signature signature, Instant createdAt,
            Warmup warmup, Example example, Deprecation deprecation) {

        /** The digest's first twelve characters, enough to tell versions apart. */
        public String shortSha() {
            return sha256 == null ? "" : sha256.substring(0, Math.min(12, sha256.length()));
        }
    }

    /** Inputs and outputs, and the outputs the model has but does not serve (not tensors, such as ZipMap's). */
    public record Signature(List<Tensor> inputs, List<Tensor> outputs, List<OmittedOutput> omittedOutputs) {

        public List<Tensor> inputs() {
            return inputs == null ? List.of() : inputs;
        }

        public List<Tensor> outputs() {
            return outputs == null ? List.of() : outputs;
        }

        public List<OmittedOutput> omittedOutputs() {
            return omittedOutputs == null ? List.of() : omittedOutputs;
        }
    }

    /** An output that calls cannot get, and what it is instead of a tensor. */
    public record OmittedOutput(String name, String kind) {
    }

    /** One tensor: name, Open Inference Protocol datatype and shape (-1 = any size). */
    public record Tensor(String name, String datatype, List<Long> shape) {

        /** The shape as people write it, e.g. [-1, 4]; "any shape" when the model leaves the rank open. */
        public String shapeText() {
            return TensorShape.text(shape);
        }
    }

    /** How the version was warmed up: example, zeros or skipped (with a reason). */
    public record Warmup(String status, String reason) {
    }

    /** The example request an admin registered and the answer the model gave (raw JSON). */
    public record Example(JsonNode request, JsonNode response) {
    }
}
