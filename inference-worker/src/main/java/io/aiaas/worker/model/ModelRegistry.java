package io.aiaas.worker.model;

import io.aiaas.engine.OnnxEngine;
import io.aiaas.protocol.InferenceCodec;
import io.aiaas.protocol.SafeText;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The model versions on this worker, keyed by (name, version). Loads run on a small pool:
 * download from the control plane, sha256 check, ONNX Runtime session, warm-up, READY.
 * <p>
 * Warm-up: with the version's example request when it has one (the control plane proved it runs, so a failure here
 * marks the version FAILED); else with zeros, and a model that refuses zeros is READY all the same, its reason saying
 * the warm-up was skipped and why.
 * <p>
 * Memory: with a budget, a version that does not fit evicts idle versions (no call in flight or queued), least
 * recently called first; they stay here as EVICTED and a call to one loads it again ({@link #acquire}). Session
 * creation and warm-up run one at a time under a lock, so that the process's RSS growth across them is the version's
 * own: that is its host memory estimate (see {@link ModelMemory}).
 */
public final class ModelRegistry implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    // Shared with the planner and the loader, which read it and put EVICTED stand-ins in it.
    private final Map<ModelKey, ModelVersion> versions = new ConcurrentHashMap<>();
    private final MemoryPlanner planner;
    private final ModelLoader loader;
    private final ModelMetrics metrics;

    /** Host memory assumed per artifact byte before a version was ever measured (a CPU session holds its weights
     *  once, plus ONNX Runtime's working buffers). */
    static final double FIRST_ESTIMATE_FACTOR = 1.5;
    /** Host memory assumed per artifact byte where RSS cannot be read. */
    static final double UNMEASURED_FACTOR = 2.0;
    /** How long a version FAILED for want of room waits before the control plane's list makes it try again. */
    static final long ROOM_RETRY_NANOS = TimeUnit.SECONDS.toNanos(10);

    public ModelRegistry(OnnxEngine engine, ArtifactDownloader downloader, InferenceCodec codec, int loadThreads) {
        this(engine, downloader, codec, loadThreads, MemoryBudget.NONE, ModelMetrics.inMemory());
    }

    public ModelRegistry(OnnxEngine engine, ArtifactDownloader downloader, InferenceCodec codec, int loadThreads,
                         MemoryBudget budget, ModelMetrics metrics) {
        this(engine, downloader, codec, loadThreads, budget, metrics, ProcessMemory::rssBytes);
    }

    /** @param rss the process's resident set size in bytes, -1 when unknown (tests pin it to make estimates exact) */
    ModelRegistry(OnnxEngine engine, ArtifactDownloader downloader, InferenceCodec codec, int loadThreads,
                  MemoryBudget budget, ModelMetrics metrics, LongSupplier rss) {
        this.metrics = metrics;
        this.planner = new MemoryPlanner(versions, engine, budget, metrics);
        metrics.worker(budget, this::used);
        this.loader = new ModelLoader(versions, engine, downloader, codec, loadThreads, planner, metrics, rss);
    }

    /** Called with each version whose load finished, READY or FAILED. */
    public void onLoadFinished(Consumer<ModelVersion> listener) {
        loader.onLoadFinished(listener);
    }

    /**
     * Starts loading a version unless the same artifact with the same example is already loading or READY; a FAILED
     * version, or one with another sha256, is replaced. A READY version whose example changed keeps serving: the
     * new example warms its session up in the background, so registering an example never takes a version out of
     * service.
     *
     * @param example the example request (Open Inference Protocol JSON) to warm up with; null for none
     */
    public ModelVersion load(ModelKey key, String sha256, String example) {
        return load(key, sha256, example, 0);
    }

    /**
     * As {@link #load(ModelKey, String, String)}; an EVICTED version of the same artifact is loaded again (from its
     * cached file).
     *
     * @param sizeBytes the artifact's size when known (the control plane's {@code size_bytes}), else 0: with a memory
     *                  budget, a version that cannot fit is FAILED before anything is downloaded
     */
    public ModelVersion load(ModelKey key, String sha256, String example, long sizeBytes) {
        String sha = sha256.toLowerCase(Locale.ROOT);
        ModelVersion[] replaced = new ModelVersion[1];
        ModelVersion[] started = new ModelVersion[1];
        ModelVersion[] rewarm = new ModelVersion[1];
        ModelVersion current = versions.compute(key, (k, existing) -> {
            if (existing != null && existing.sameAs(sha, example)
                    && (existing.state() == ModelState.LOADING || existing.state() == ModelState.READY)) {
                return existing;
            }
            if (existing != null && existing.state() == ModelState.READY && existing.sha256().equals(sha)) {
                rewarm[0] = existing;
                return existing;
            }
            if (existing != null && existing.state() == ModelState.EVICTED && existing.sha256().equals(sha)) {
                started[0] = ModelVersion.reloading(existing, example, false);
                return started[0];
            }
            replaced[0] = existing;
            started[0] = new ModelVersion(k, sha, example);
            return started[0];
        });
        if (rewarm[0] != null) {
            loader.startRewarm(rewarm[0], example);
        }
        if (replaced[0] != null) {
            if (replaced[0].state() == ModelState.READY) {
                metrics.unloaded(key, "replaced");
            }
            replaced[0].close();
        }
        if (started[0] != null) {
            loader.start(started[0], sizeBytes);
        }
        return current;
    }

    /** Memory the loaded versions are estimated to hold now. */
    public ModelMemory used() {
        return planner.used();
    }

    public MemoryBudget budget() {
        return planner.budget();
    }

    /**
     * Evicts a READY version now if no call holds it (an operator freeing memory, or a test provoking a cold start).
     *
     * @return true when it was evicted
     */
    public boolean evictIfIdle(ModelKey key) {
        return planner.evictIfIdle(key);
    }

    /**
     * Takes a hold on the version a call addresses, loading it again first when it was EVICTED (concurrent calls
     * wait for that one load). Close the lease when the call is answered.
     *
     * @param coldStartTimeout the longest a call waits for a cold start
     * @throws ModelNotFoundException when nothing matches
     * @throws ModelNotReadyException when the match is still loading (its first load) or failed, a cold start did
     *                                not finish in time, or there is no room for it now
     */
    public CallLease acquire(String name, Integer version, Duration coldStartTimeout) {
        long start = System.nanoTime();
        long deadline = start + coldStartTimeout.toNanos();
        boolean cold = false;
        while (true) {
            ModelVersion target = resolveForCall(name, version);
            switch (target.state()) {
                case READY -> {
                    if (target.beginCall()) {
                        return new CallLease(target, cold,
                                cold ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) : 0);
                    }
                    Thread.onSpinWait(); // evicted between the lookup and the hold: look again
                }
                case EVICTED -> {
                    cold = true;
                    awaitLoad(reloadOnDemand(target), deadline, coldStartTimeout);
                }
                case LOADING -> {
                    if (!target.onDemand()) {
                        throw notReady(target);
                    }
                    cold = true;
                    awaitLoad(target, deadline, coldStartTimeout);
                }
                case FAILED -> throw notReady(target);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new ModelNotReadyException(target.key() + " is being loaded again after an eviction and was "
                        + "not ready within " + coldStartTimeout.toSeconds() + " s", true);
            }
        }
    }

    /** Replaces an EVICTED version by one loading again, unless another call did so already; returns the current one. */
    private ModelVersion reloadOnDemand(ModelVersion evicted) {
        ModelVersion[] started = new ModelVersion[1];
        ModelVersion current = versions.computeIfPresent(evicted.key(), (k, v) -> {
            if (v != evicted) {
                return v;
            }
            started[0] = ModelVersion.reloading(evicted, evicted.example(), true);
            return started[0];
        });
        if (started[0] != null) {
            metrics.coldStart(evicted.key());
            LOG.infof("%s was EVICTED and is called: loading it again", evicted.key());
            loader.start(started[0], 0);
        }
        if (current == null) {
            throw new ModelNotFoundException("model '" + SafeText.forMessage(evicted.key().name(), 100) + "' version "
                    + evicted.key().version() + " is not loaded on this worker");
        }
        return current;
    }

    private static void awaitLoad(ModelVersion loading, long deadline, Duration timeout) {
        if (loading.state() == ModelState.EVICTED) {
            return; // put back meanwhile: the caller's loop decides
        }
        try {
            loading.whenReady().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ModelNotReadyException(loading.key() + " is being loaded again after an eviction and was not "
                    + "ready within " + timeout.toSeconds() + " s", true);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ModelNotReadyException notReady) {
                throw notReady;
            }
            throw new ModelNotReadyException(loading.key() + (loading.reason() != null
                    ? " failed to load: " + loading.reason() : " was unloaded while it loaded again"), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelNotReadyException(loading.key() + " is being loaded again (interrupted while waiting)", true);
        }
    }

    /** READY, EVICTED, LOADING or FAILED: what a call to name (and version) addresses. */
    private ModelVersion resolveForCall(String name, Integer version) {
        if (version != null) {
            ModelVersion found = versions.get(new ModelKey(name, version));
            if (found == null) {
                throw new ModelNotFoundException("model '" + SafeText.forMessage(name, 100) + "' version " + version
                        + " is not loaded on this worker");
            }
            return found;
        }
        List<ModelVersion> all = versionsOf(name);
        if (all.isEmpty()) {
            throw new ModelNotFoundException("model '" + SafeText.forMessage(name, 100) + "' is not loaded on this worker");
        }
        for (ModelState wanted : List.of(ModelState.READY, ModelState.EVICTED)) {
            Optional<ModelVersion> best = all.stream().filter(v -> v.state() == wanted)
                    .max(Comparator.comparingInt(v -> v.key().version()));
            if (best.isPresent()) {
                return best.get();
            }
        }
        return all.stream().filter(v -> v.state() == ModelState.LOADING && v.onDemand())
                .max(Comparator.comparingInt(v -> v.key().version()))
                .orElseGet(() -> all.get(all.size() - 1));
    }

    /** Closes the session and deletes the file; false when the version was not here. */
    public boolean unload(ModelKey key) {
        return unload(key, true);
    }

    /** @param undesired count it as {@code aiaas_model_unload_total{reason="undesired"}} (not on shutdown) */
    private boolean unload(ModelKey key, boolean undesired) {
        ModelVersion removed = versions.remove(key);
        if (removed == null) {
            return false;
        }
        boolean loaded = removed.state() == ModelState.READY;
        removed.close();
        metrics.forget(key);
        if (loaded && undesired) {
            metrics.unloaded(key, "undesired");
        }
        LOG.infof("%s unloaded", key);
        return true;
    }

    public Optional<ModelVersion> find(ModelKey key) {
        return Optional.ofNullable(versions.get(key));
    }

    /**
     * The version a request addresses: the given one, or without a version the highest READY one (else the highest
     * EVICTED one, whose signature is still known). Infer calls use {@link #acquire} instead.
     *
     * @throws ModelNotFoundException when nothing matches
     * @throws ModelNotReadyException when the match is still loading or failed
     */
    public ModelVersion resolve(String name, Integer version) {
        if (version != null) {
            ModelVersion found = versions.get(new ModelKey(name, version));
            if (found == null) {
                throw new ModelNotFoundException("model '" + SafeText.forMessage(name, 100) + "' version " + version
                        + " is not loaded on this worker");
            }
            return requireReady(found);
        }
        List<ModelVersion> all = versionsOf(name);
        if (all.isEmpty()) {
            throw new ModelNotFoundException("model '" + SafeText.forMessage(name, 100) + "' is not loaded on this worker");
        }
        for (ModelState wanted : List.of(ModelState.READY, ModelState.EVICTED)) {
            Optional<ModelVersion> best = all.stream().filter(v -> v.state() == wanted)
                    .max(Comparator.comparingInt(v -> v.key().version()));
            if (best.isPresent()) {
                return best.get();
            }
        }
        return requireReady(all.get(all.size() - 1));
    }

    private static ModelVersion requireReady(ModelVersion version) {
        if (version.state() == ModelState.READY || version.state() == ModelState.EVICTED) {
            return version;
        }
        throw notReady(version);
    }

    private static ModelNotReadyException notReady(ModelVersion version) {
        return version.state() == ModelState.FAILED
                ? new ModelNotReadyException(version.key() + " failed to load: " + version.reason(), false)
                : new ModelNotReadyException(version.key() + " is still loading", true);
    }

    /** All versions of one model, lowest version first. */
    public List<ModelVersion> versionsOf(String name) {
        return versions.values().stream().filter(v -> v.key().name().equals(name))
                .sorted(Comparator.comparingInt(v -> v.key().version())).toList();
    }

    /** Everything on this worker, ordered by name and version. */
    public List<ModelVersion> all() {
        return versions.values().stream()
                .sorted(Comparator.comparing((ModelVersion v) -> v.key().name()).thenComparingInt(v -> v.key().version()))
                .toList();
    }

    @Override
    public void close() {
        loader.shutdownNow();
        versions.keySet().forEach(key -> unload(key, false));
    }
}
