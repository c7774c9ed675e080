package io.aiaas.console.admin;

import io.aiaas.console.api.admin.ModelDetail;
import io.aiaas.console.api.admin.ModelVersion;
import io.aiaas.console.api.admin.ModelVersion.Signature;
import io.aiaas.console.api.admin.ModelVersion.Tensor;
import io.aiaas.console.api.admin.Rollout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How a canary's signature differs from that of the version the rest of the calls go to, for the warning of the
 * rollout section. It matters because platform-api's automatic rollback counts only server failures: calls that fit
 * the other version and that the canary refuses with 400 never roll it back.
 *
 * @param canary the canary version
 * @param other the version the calls that do not go to the canary go to
 * @param differences inputs first, then outputs; each side in the other version's order, then what is new
 */
public record SignatureDiff(int canary, int other, List<Difference> differences) {

    /** Placement states in which platform-api routes calls to a worker ({@code RoutingTable}). */
    private static final Set<String> SERVING = Set.of("READY", "EVICTED");

    /**
     * The difference between the rollout's canary and the version the rest of its calls go to (the stable version,
     * else the newest version a worker serves other than the canary, else the newest other version not retired); null
     * when there is no canary, no such version, either signature is unknown, or they are the same.
     */
    static SignatureDiff of(ModelDetail model) {
        Rollout rollout = model.rollout();
        if (!rollout.canary()) {
            return null;
        }
        int canaryNumber = rollout.canaryVersion();
        Optional<ModelVersion> canary = live(model).filter(v -> v.version() == canaryNumber).findFirst();
        Optional<ModelVersion> other = rest(model, canaryNumber);
        if (canary.isEmpty() || other.isEmpty()) {
            return null;
        }
        return between(canary.get(), other.get());
    }

    /** How {@code canary}'s signature differs from {@code other}'s; null when either is unknown or they match. */
    static SignatureDiff between(ModelVersion canary, ModelVersion other) {
        if (unknown(canary.signature()) || unknown(other.signature())) {
            return null;
        }
        List<Difference> all = new ArrayList<>(compare("input", canary.signature().inputs(),
                other.signature().inputs()));
        all.addAll(compare("output", canary.signature().outputs(), other.signature().outputs()));
        return all.isEmpty() ? null : new SignatureDiff(canary.version(), other.version(), List.copyOf(all));
    }

    /** Whether an input differs (else only outputs do). */
    public boolean inputsDiffer() {
        return differences.stream().anyMatch(d -> d.side().equals("input"));
    }

    /** Whether an output differs. */
    public boolean outputsDiffer() {
        return differences.stream().anyMatch(d -> d.side().equals("output"));
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
     * @param canary its datatype and shape in the canary, null when the canary lacks it (missing)
     * @param other its datatype and shape in the other version, null when only the canary has it (new)
     */
    public record Difference(String side, String name, String canary, String other) {

        public boolean missing() {
            return canary == null;
        }

        public boolean added() {
            return other == null;
        }

        public boolean changed() {
            return canary != null && other != null;
        }

        public String summary() {
            String which = side + " '" + name + "'";
            return missing() ? which + " is missing" : added() ? which + " is new"
                    : which + ": " + canary + " vs " + other;
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
    private static List<Difference> compare(String side, List<Tensor> canary, List<Tensor> other) {
        Map<String, Tensor> inCanary = byName(canary);
        Map<String, Tensor> inOther = byName(other);
        List<Difference> found = new ArrayList<>();
        inOther.forEach((name, was) -> {
            Tensor is = inCanary.get(name);
            if (is == null) {
                found.add(new Difference(side, name, null, was.typeAndShape()));
            } else if (!Objects.equals(is.datatype(), was.datatype()) || !Objects.equals(is.shape(), was.shape())) {
                found.add(new Difference(side, name, is.typeAndShape(), was.typeAndShape()));
            }
        });
        inCanary.forEach((name, is) -> {
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
     * else the newest version other than the canary that an UP worker holds; else, while no worker holds another one,
     * the newest other version not retired: where those calls go once a worker has loaded it.
     */
    private static Optional<ModelVersion> rest(ModelDetail model, int canary) {
        Integer stable = model.rollout().stableVersion();
        if (stable != null && stable != canary) {
            Optional<ModelVersion> found = live(model).filter(v -> v.version() == stable).findFirst();
            if (found.isPresent()) {
                return found;
            }
        }
        Comparator<ModelVersion> newest = Comparator.comparingInt(ModelVersion::version);
        return live(model).filter(v -> v.version() != canary && served(v)).max(newest)
                .or(() -> live(model).filter(v -> v.version() != canary).max(newest));
    }

    private static boolean served(ModelVersion version) {
        return version.placements().stream()
                .anyMatch(p -> SERVING.contains(p.state()) && "UP".equals(p.workerStatus()));
    }
}
