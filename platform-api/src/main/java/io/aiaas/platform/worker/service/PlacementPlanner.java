package io.aiaas.platform.worker.service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Decides which worker holds which model version, from a snapshot of workers, versions, the current assignments and
 * what the workers report. Pure and deterministic (no clock, no randomness, ties broken by name and id): the same
 * snapshot gives the same plan on every replica, and a plan fed back in changes nothing. See docs/placement.md.
 */
public final class PlacementPlanner {

    /** The policy's device requirement. */
    public enum DeviceRequirement {
        ANY, GPU, CPU;

        boolean accepts(String workerDevice) {
            return switch (this) {
                case ANY -> true;
                case CPU -> "cpu".equals(workerDevice);
                case GPU -> !"cpu".equals(workerDevice);
            };
        }
    }

    /**
     * A worker heard from within {@code down-after} (others hold nothing). {@code draining}: it takes no new
     * placements and its current ones count for nothing (they are placed again elsewhere) but stay until it leaves.
     * Budgets of 0 are unknown: unlimited.
     */
    public record Worker(UUID id, String name, String device, long hostBudget, long deviceBudget, boolean draining) {

        /** The budget the versions it holds are counted against: device memory on a GPU worker, else host memory. */
        long budget() {
            return "cpu".equals(device) || deviceBudget == 0 ? hostBudget : deviceBudget;
        }
    }

    /** A READY version with its model's policy; {@code maxReplicas} null: the default. */
    public record Version(UUID id, String model, int version, long sizeBytes, int minReplicas, Integer maxReplicas,
            DeviceRequirement device) {
    }

    /** What a worker says about a version it holds (state as in the heartbeat, upper case). */
    public record Reported(UUID versionId, UUID workerId, String state, long memoryBytes) {
    }

    /** A version on a worker. */
    public record Assignment(UUID versionId, UUID workerId) {
    }

    private final int defaultMaxReplicas;
    private final double memoryPerArtifactByte;

    /**
     * @param defaultMaxReplicas the max of a model whose policy names none; 0: every eligible worker
     * @param memoryPerArtifactByte a version's memory need, per byte of its artifact, while no worker reported it
     */
    public PlacementPlanner(int defaultMaxReplicas, double memoryPerArtifactByte) {
        this.defaultMaxReplicas = defaultMaxReplicas;
        this.memoryPerArtifactByte = memoryPerArtifactByte;
    }

    /** The assignments there should be; those of draining workers are kept as they are. */
    public Set<Assignment> plan(Collection<Worker> workers, Collection<Version> versions,
            Collection<Assignment> current, Collection<Reported> reported) {
        return new Run(workers, versions, current, reported).plan();
    }

    /** A version's memory need on a worker of this device (bytes): see docs/placement.md. */
    public long need(Version version, String device, Collection<Reported> reported, Map<UUID, Worker> workers) {
        long sameDevice = 0;
        long any = 0;
        for (Reported r : reported) {
            if (!r.versionId().equals(version.id()) || r.memoryBytes() <= 0) {
                continue;
            }
            any = Math.max(any, r.memoryBytes());
            Worker w = workers.get(r.workerId());
            if (w != null && isCpu(w.device()) == isCpu(device)) {
                sameDevice = Math.max(sameDevice, r.memoryBytes());
            }
        }
        if (sameDevice > 0) {
            return sameDevice;
        }
        if (any > 0) {
            return any;
        }
        return (long) Math.ceil(version.sizeBytes() * memoryPerArtifactByte);
    }

    private static boolean isCpu(String device) {
        return "cpu".equals(device);
    }

    /** One planning pass over one snapshot. */
    private final class Run {
        final Map<UUID, Worker> workers = new LinkedHashMap<>();
        final List<Version> versions;
        final Collection<Reported> reported;
        final Map<Assignment, Reported> reports = new HashMap<>();
        final Set<Assignment> current;
        /** Per version, the workers it is assigned to (eligible ones only: those counted against min and max). */
        final Map<UUID, List<UUID>> holders = new HashMap<>();
        final Map<UUID, Long> used = new HashMap<>();
        final Map<UUID, Integer> counts = new HashMap<>();
        final Set<Assignment> kept = new HashSet<>();
        final Map<String, Long> needs = new HashMap<>();

        Run(Collection<Worker> workers, Collection<Version> versions, Collection<Assignment> current,
                Collection<Reported> reported) {
            workers.stream().sorted(Comparator.comparing(Worker::name).thenComparing(Worker::id))
                    .forEach(w -> this.workers.put(w.id(), w));
            // newest first: when room is short, the version most calls go to gets it first
            this.versions = versions.stream().sorted(Comparator.comparing(Version::model)
                    .thenComparing(Comparator.comparingInt(Version::version).reversed())).toList();
            this.reported = reported;
            reported.forEach(r -> reports.put(new Assignment(r.versionId(), r.workerId()), r));
            this.current = new HashSet<>(current);
        }

        Set<Assignment> plan() {
            Map<UUID, Version> byId = new HashMap<>();
            versions.forEach(v -> byId.put(v.id(), v));
            // 1. keep what is assigned where it still may be; a draining worker's stay untouched but count for nothing
            for (Assignment a : current) {
                Worker w = workers.get(a.workerId());
                Version v = byId.get(a.versionId());
                if (w == null || v == null || !v.device().accepts(w.device())) {
                    continue; // the worker is gone or silent, the version retired, or the policy changed
                }
                kept.add(a);
                if (!w.draining()) {
                    hold(v, w);
                }
            }
            for (Version v : versions) {
                // 2. too many (the max went down): let go of the least useful first
                List<UUID> on = holders.getOrDefault(v.id(), new ArrayList<>());
                int max = max(v);
                if (on.size() > max) {
                    List<UUID> order = new ArrayList<>(on);
                    order.sort(Comparator.comparingInt((UUID w) -> usefulness(v, w)).reversed()
                            .thenComparing(w -> counts.getOrDefault(w, 0))
                            .thenComparing(w -> workers.get(w).name()).thenComparing(w -> w));
                    for (UUID w : order.subList(max, order.size())) {
                        release(v, workers.get(w));
                    }
                }
                // 3. adopt what workers already hold (a restart of the control plane, a worker coming back)
                List<Reported> held = reported.stream()
                        .filter(r -> r.versionId().equals(v.id()) && adoptable(r.state()))
                        .filter(r -> workers.containsKey(r.workerId()) && !workers.get(r.workerId()).draining())
                        .filter(r -> v.device().accepts(workers.get(r.workerId()).device()))
                        .filter(r -> !kept.contains(new Assignment(v.id(), r.workerId())))
                        .sorted(Comparator.comparingInt((Reported r) -> rank(r.state()))
                                .thenComparing(r -> workers.get(r.workerId()).name()).thenComparing(Reported::workerId))
                        .toList();
                for (Reported r : held) {
                    if (holders(v).size() >= max) {
                        break;
                    }
                    hold(v, workers.get(r.workerId()));
                }
            }
            // 4. every version up to its min first, so that one version cannot take the room another needs
            for (Version v : versions) {
                while (healthy(v) < v.minReplicas() && holders(v).size() < max(v) && addOne(v)) {
                    // addOne placed one more
                }
            }
            // 5. then up to its max
            for (Version v : versions) {
                while (holders(v).size() < max(v) && addOne(v)) {
                    // addOne placed one more
                }
            }
            return Set.copyOf(kept);
        }

        int max(Version v) {
            if (v.maxReplicas() != null) {
                return v.maxReplicas();
            }
            return defaultMaxReplicas > 0 ? defaultMaxReplicas : Integer.MAX_VALUE;
        }

        List<UUID> holders(Version v) {
            return holders.getOrDefault(v.id(), List.of());
        }

        /** Holders whose copy did not fail to load. */
        long healthy(Version v) {
            return holders(v).stream().filter(w -> !"FAILED".equals(state(v, w))).count();
        }

        String state(Version v, UUID worker) {
            Reported r = reports.get(new Assignment(v.id(), worker));
            return r == null ? null : r.state();
        }

        /** Higher is more worth keeping: READY, then EVICTED, LOADING, assigned and not reported, FAILED. */
        int usefulness(Version v, UUID worker) {
            return 10 - rank(state(v, worker));
        }

        boolean addOne(Version v) {
            long best = -1;
            Worker chosen = null;
            for (Worker w : workers.values()) {
                if (w.draining() || !v.device().accepts(w.device()) || holders(v).contains(w.id())
                        || "FAILED".equals(state(v, w.id()))) {
                    continue;
                }
                long need = need(v, w);
                long free = w.budget() == 0 ? Long.MAX_VALUE : w.budget() - used.getOrDefault(w.id(), 0L);
                if (free < need) {
                    continue; // no room
                }
                // the most free memory first, then the fewest versions, then name and id (the iteration order)
                if (chosen == null || free > best || (free == best
                        && counts.getOrDefault(w.id(), 0) < counts.getOrDefault(chosen.id(), 0))) {
                    chosen = w;
                    best = free;
                }
            }
            if (chosen == null) {
                return false;
            }
            kept.add(new Assignment(v.id(), chosen.id()));
            hold(v, chosen);
            return true;
        }

        void hold(Version v, Worker w) {
            kept.add(new Assignment(v.id(), w.id()));
            holders.computeIfAbsent(v.id(), k -> new ArrayList<>()).add(w.id());
            used.merge(w.id(), memoryOn(v, w), Long::sum);
            counts.merge(w.id(), 1, Integer::sum);
        }

        void release(Version v, Worker w) {
            kept.remove(new Assignment(v.id(), w.id()));
            holders.get(v.id()).remove(w.id());
            used.merge(w.id(), -memoryOn(v, w), Long::sum);
            counts.merge(w.id(), -1, Integer::sum);
        }

        /** What the version takes on this worker: what it reported there, else the estimate. */
        long memoryOn(Version v, Worker w) {
            Reported r = reports.get(new Assignment(v.id(), w.id()));
            return r != null && r.memoryBytes() > 0 ? r.memoryBytes() : need(v, w);
        }

        long need(Version v, Worker w) {
            String key = v.id() + (isCpu(w.device()) ? "/cpu" : "/gpu");
            return needs.computeIfAbsent(key, k -> PlacementPlanner.this.need(v, w.device(), reported, workers));
        }
    }

    private static boolean adoptable(String state) {
        return "READY".equals(state) || "EVICTED".equals(state) || "LOADING".equals(state);
    }

    private static int rank(String state) {
        if (state == null) {
            return 3;
        }
        return switch (state) {
            case "READY" -> 0;
            case "EVICTED" -> 1;
            case "LOADING" -> 2;
            case "FAILED" -> 5;
            default -> 3;
        };
    }
}
