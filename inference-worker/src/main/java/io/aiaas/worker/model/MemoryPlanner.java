package io.aiaas.worker.model;

import io.aiaas.engine.OnnxEngine;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The registry's memory budget: what a version is expected to take, what the loaded ones hold, and which idle
 * versions are evicted, least recently called first, to make room for another. Works on the registry's own map of
 * versions; evicted ones stay there as EVICTED stand-ins.
 */
final class MemoryPlanner {

    // The registry's log category: evictions are reported where they always were.
    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    private final Map<ModelKey, ModelVersion> versions;
    private final OnnxEngine engine;
    private final MemoryBudget budget;
    private final ModelMetrics metrics;
    // Held while deciding what to evict, creating a session, warming it up and measuring what that took.
    private final ReentrantLock memoryLock = new ReentrantLock();

    /** @param versions the registry's versions, shared (not copied) */
    MemoryPlanner(Map<ModelKey, ModelVersion> versions, OnnxEngine engine, MemoryBudget budget, ModelMetrics metrics) {
        this.versions = versions;
        this.engine = engine;
        this.budget = budget;
        this.metrics = metrics;
    }

    /** Thrown inside a load when the version cannot fit in the memory budget now. */
    static final class NoRoomException extends RuntimeException {
        NoRoomException(String message) {
            super(message, null, false, false);
        }
    }

    /** Runs {@code work} holding the memory lock (no eviction decided elsewhere meanwhile). */
    void holdingLock(Runnable work) {
        memoryLock.lock();
        try {
            work.run();
        } finally {
            memoryLock.unlock();
        }
    }

    /** What {@code version} is expected to take: its last measurement, else a multiple of the artifact's size. */
    ModelMemory estimate(ModelVersion version, long fileBytes) {
        if (version.lastMeasured() != null && version.lastMeasured() != ModelMemory.NONE) {
            return version.lastMeasured();
        }
        boolean cuda = OnnxEngine.CUDA.equals(engine.defaultDevice());
        return new ModelMemory((long) (fileBytes * ModelRegistry.FIRST_ESTIMATE_FACTOR), cuda ? fileBytes : 0, false);
    }

    /** Memory the loaded versions are estimated to hold now. */
    ModelMemory used() {
        long host = 0;
        long device = 0;
        for (ModelVersion v : versions.values()) {
            ModelMemory m = v.memory();
            host += m.hostBytes();
            device += m.deviceBytes();
        }
        return new ModelMemory(host, device, false);
    }

    MemoryBudget budget() {
        return budget;
    }

    private boolean fits(ModelMemory used, ModelMemory need) {
        return MemoryBudget.fits(budget.hostBytes(), used.hostBytes(), need.hostBytes())
                && MemoryBudget.fits(budget.deviceBytes(), used.deviceBytes(), need.deviceBytes());
    }

    /** Fails fast, before a download, when even evicting every idle version would not make room. */
    void checkCouldFit(ModelVersion version, ModelMemory need) {
        long busyHost = 0;
        long busyDevice = 0;
        for (ModelVersion v : versions.values()) {
            if (v != version && v.calls() > 0) {
                busyHost += v.memory().hostBytes();
                busyDevice += v.memory().deviceBytes();
            }
        }
        if (!fits(new ModelMemory(busyHost, busyDevice, false), need)) {
            throw new NoRoomException(noRoom(need, new ModelMemory(busyHost, busyDevice, false)));
        }
    }

    /**
     * Evicts idle READY versions, least recently called first, until {@code need} fits next to what stays loaded.
     *
     * @throws NoRoomException when it cannot fit even so; nothing busy is touched
     */
    void makeRoom(ModelVersion version, ModelMemory need) {
        if (budget.hostBytes() == 0 && budget.deviceBytes() == 0) {
            return;
        }
        List<ModelVersion> loaded = new ArrayList<>(versions.values().stream()
                .filter(v -> v != version && v.state() == ModelState.READY).toList());
        long host = loaded.stream().mapToLong(v -> v.memory().hostBytes()).sum() + version.memory().hostBytes();
        long device = loaded.stream().mapToLong(v -> v.memory().deviceBytes()).sum() + version.memory().deviceBytes();
        loaded.sort(Comparator.comparingLong(ModelVersion::lastUsedNanos));
        for (ModelVersion candidate : loaded) {
            if (fits(new ModelMemory(host, device, false), need)) {
                return;
            }
            ModelMemory freed = candidate.memory();
            if (candidate.claimForEviction()) {
                evict(candidate, version.key());
                host -= freed.hostBytes();
                device -= freed.deviceBytes();
            }
        }
        ModelMemory used = new ModelMemory(host, device, false);
        if (!fits(used, need)) {
            throw new NoRoomException(noRoom(need, used));
        }
    }

    private String noRoom(ModelMemory need, ModelMemory held) {
        StringBuilder why = new StringBuilder("does not fit in the memory budget: ");
        if (need.hostBytes() > budget.hostBytes() && budget.hostBytes() > 0) {
            return why.append("it needs about ").append(mib(need.hostBytes())).append(" of host memory and the budget is ")
                    .append(mib(budget.hostBytes())).toString();
        }
        if (need.deviceBytes() > budget.deviceBytes() && budget.deviceBytes() > 0) {
            return why.append("it needs about ").append(mib(need.deviceBytes()))
                    .append(" of device memory and the budget is ").append(mib(budget.deviceBytes())).toString();
        }
        why.append("it needs about ").append(mib(need.hostBytes())).append(" of host memory");
        if (need.deviceBytes() > 0) {
            why.append(" and ").append(mib(need.deviceBytes())).append(" of device memory");
        }
        why.append(", and ").append(mib(held.hostBytes())).append(" of the ").append(mib(budget.hostBytes()))
                .append(" host budget");
        if (budget.deviceBytes() > 0) {
            why.append(" (").append(mib(held.deviceBytes())).append(" of the ").append(mib(budget.deviceBytes()))
                    .append(" device budget)");
        }
        return why.append(" are held by versions with calls in flight").toString();
    }

    /** Unloads a claimed idle version, leaving its EVICTED stand-in (and its cached file) here. */
    private void evict(ModelVersion victim, ModelKey forWhom) {
        versions.replace(victim.key(), victim, ModelVersion.evicted(victim));
        victim.close(true);
        metrics.unloaded(victim.key(), "evicted");
        LOG.infof("%s EVICTED%s (it held about %s)", victim.key(), forWhom == null ? "" : " to make room for " + forWhom,
                mib(victim.lastMeasured().totalBytes()));
    }

    /** As {@link ModelRegistry#evictIfIdle}: evicts a READY version now if no call holds it. */
    boolean evictIfIdle(ModelKey key) {
        memoryLock.lock();
        try {
            ModelVersion version = versions.get(key);
            if (version == null || !version.claimForEviction()) {
                return false;
            }
            evict(version, null);
            return true;
        } finally {
            memoryLock.unlock();
        }
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
