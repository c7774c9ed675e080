package io.aiaas.console.admin;

import io.aiaas.console.api.admin.ModelDetail;
import io.aiaas.console.api.admin.ModelVersion;
import io.aiaas.console.api.admin.ModelVersion.Signature;
import io.aiaas.console.api.admin.ModelVersion.Tensor;
import io.aiaas.console.api.admin.Rollout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How the signature of a version the rollout gives a share of the calls (the canary, or the shadow that gets copies of
 * them) differs from that of the version that answers the rest, for the warnings of the rollout section. It matters
 * because calls that fit the other version may be refused with 400 by this one: platform-api's automatic rollback
 * counts only server failures, so such a canary is never rolled back for it, and such a shadow's copies are only
 * counted as {@code refused} in {@code aiaas_shadow_calls_total}.
 *
 * @param version the version compared: the canary or the shadow
 * @param other the version that answers the calls that do not go to the canary
 * @param differences inputs first, then outputs; each side in the other version's order, then what is new
 */
public record SignatureDiff(int version, int other, List<Difference> differences) {

    /** Placement states in which platform-api routes calls to a worker ({@code RoutingTable}). */
    private static final Set<String> SERVING = Set.of("READY", "EVICTED");

    /**
     * The difference between the rollout's canary and the version the rest of its calls go to ({@link #rest}); null
     * when there is no canary, no such version, either signature is unknown, or they are the same.
     */
    static SignatureDiff canary(ModelDetail model) {
        Rollout rollout = model.rollout();
        return rollout.canary() ? against(model, rollout.canaryVersion()) : null;
    }

    /**
     * The difference between the rollout's shadow and the version that answers the calls it gets copies of
     * ({@link #rest}: the canary set aside too); null when there is no shadow, no such version, either signature is
     * unknown, or they are the same.
     */
    static SignatureDiff shadow(ModelDetail model) {
        Integer shadow = model.rollout().shadowVersion();
        return shadow == null ? null : against(model, shadow);
    }

    /** {@code number}'s difference from the version that answers the rest of the calls, the rollout's others aside. */
    private static SignatureDiff against(ModelDetail model, int number) {
        Optional<ModelVersion> version = live(model).filter(v -> v.version() == number).findFirst();
        Optional<ModelVersion> other = rest(model);
        if (version.isEmpty() || other.isEmpty()) {
            return null;
        }
        return between(version.get(), other.get());
    }

    /** How {@code version}'s signature differs from {@code other}'s; null when either is unknown or they match. */
    static SignatureDiff between(ModelVersion version, ModelVersion other) {
        if (unknown(version.signature()) || unknown(other.signature())) {
            return null;
        }
        List<Difference> all = new ArrayList<>(compare("input", version.signature().inputs(),
                other.signature().inputs()));
        all.addAll(compare("output", version.signature().outputs(), other.signature().outputs()));
        return all.isEmpty() ? null : new SignatureDiff(version.version(), other.version(), List.copyOf(all));
    }

    /** Whether an input differs (else only outputs do). */
    public boolean inputsDiffer() {
        return differences.stream().anyMatch(d -> d.side().equals("input"));
    }

    /** Whether an output differs. */
    public boolean outputsDiffer() {
        return differences.stream().anyMatch(d -> d.side().equals("output"));
    }

    /**
     * Whether an output of the other version is missing or changed in this one (not merely one it adds): a shadow's
     * answers are then counted as {@code differs} by platform-api's comparison, which ignores outputs only the shadow
     * has.
     */
    public boolean outputsChanged() {
        return differences.stream().anyMatch(d -> d.side().equals("output") && !d.added());
    }

    /** What differs, for the headline: "inputs", "outputs" or "inputs and outputs". */
    public String what() {
        return inputsDiffer() && outputsDiffer() ? "inputs and outputs" : inputsDiffer() ? "inputs" : "outputs";
    }

    /** The differences in one line, e.g. "input 'x': FP32 [-1, 3] vs FP32 [-1, 4]; output 'prob' is new". */
    public String summary() {
        return String.join("; ", differences.stream().map(Difference::summary).toList());
    }

    /**
     * One input or output that differs.
     *
     * @param side {@code input} or {@code output}
     * @param name its name
     * @param version its datatype and shape in the version compared, null when that version lacks it (missing)
     * @param other its datatype and shape in the other version, null when only the version compared has it (new)
     */
    public record Difference(String side, String name, String version, String other) {

        public boolean missing() {
            return version == null;
        }

        public boolean added() {
            return other == null;
        }

        public boolean changed() {
            return version != null && other != null;
        }

        public String summary() {
            String which = side + " '" + name + "'";
            return missing() ? which + " is missing" : added() ? which + " is new"
                    : which + ": " + version + " vs " + other;
        }
    }

    /**
     * platform-api refuses a model without inputs or without outputs, so an empty side means a version whose
     * signature was never read (one registered before signatures were kept), not a model that takes nothing.
     */
    private static boolean unknown(Signature signature) {
        return signature == null || signature.inputs() == null || signature.inputs().isEmpty()
                || signature.outputs() == null || signature.outputs().isEmpty();
    }

    /** Compared by name, whatever the order; a tensor's datatype and shape as a whole. */
    private static List<Difference> compare(String side, List<Tensor> version, List<Tensor> other) {
        Map<String, Tensor> inVersion = byName(version);
        Map<String, Tensor> inOther = byName(other);
        List<Difference> found = new ArrayList<>();
        inOther.forEach((name, was) -> {
            Tensor is = inVersion.get(name);
            if (is == null) {
                found.add(new Difference(side, name, null, was.typeAndShape()));
            } else if (!Objects.equals(is.datatype(), was.datatype()) || !Objects.equals(is.shape(), was.shape())) {
                found.add(new Difference(side, name, is.typeAndShape(), was.typeAndShape()));
            }
        });
        inVersion.forEach((name, is) -> {
            if (!inOther.containsKey(name)) {
                found.add(new Difference(side, name, is.typeAndShape(), null));
            }
        });
        return found;
    }

    private static Map<String, Tensor> byName(List<Tensor> tensors) {
        Map<String, Tensor> map = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            map.putIfAbsent(t.name(), t);
        }
        return map;
    }

    private static Stream<ModelVersion> live(ModelDetail model) {
        return model.versions().stream().filter(v -> !v.retired());
    }

    /**
     * Where platform-api sends the calls that do not draw the canary: the stable version while it is not retired;
     * else the newest version an UP worker holds, the canary and the shadow aside (as platform-api's routing sets them
     * aside); else, while no worker holds another one, the newest other version not retired: where those calls go once
     * a worker has loaded it.
     */
    private static Optional<ModelVersion> rest(ModelDetail model) {
        Rollout rollout = model.rollout();
        Set<Integer> aside = new HashSet<>();
        if (rollout.canaryVersion() != null) {
            aside.add(rollout.canaryVersion());
        }
        if (rollout.shadowVersion() != null) {
            aside.add(rollout.shadowVersion());
        }
        Integer stable = rollout.stableVersion();
        if (stable != null && !aside.contains(stable)) {
            Optional<ModelVersion> found = live(model).filter(v -> v.version() == stable).findFirst();
            if (found.isPresent()) {
                return found;
            }
        }
        Comparator<ModelVersion> newest = Comparator.comparingInt(ModelVersion::version);
        return live(model).filter(v -> !aside.contains(v.version()) && served(v)).max(newest)
                .or(() -> live(model).filter(v -> !aside.contains(v.version())).max(newest));
    }

    private static boolean served(ModelVersion version) {
        return version.placements().stream()
                .anyMatch(p -> SERVING.contains(p.state()) && "UP".equals(p.workerStatus()));
    }
}
