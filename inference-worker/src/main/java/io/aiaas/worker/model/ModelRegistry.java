package io.aiaas.worker.model;

import io.aiaas.engine.EngineUnavailableException;
import io.aiaas.engine.InferenceException;
import io.aiaas.engine.InvalidInputException;
import io.aiaas.engine.LoadedModel;
import io.aiaas.engine.ModelArchive;
import io.aiaas.engine.ModelLoadException;
import io.aiaas.engine.OnnxEngine;
import io.aiaas.engine.Tensor;
import io.aiaas.engine.WarmUp;
import io.aiaas.protocol.InferenceCodec;
import io.aiaas.protocol.ProtocolException;
import io.aiaas.protocol.SafeText;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
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

    private final Map<ModelKey, ModelVersion> versions = new ConcurrentHashMap<>();
    private final List<Consumer<ModelVersion>> loadListeners = new CopyOnWriteArrayList<>();
    private final OnnxEngine engine;
    private final ArtifactDownloader downloader;
    private final InferenceCodec codec;
    private final ExecutorService loader;
    private final MemoryBudget budget;
    private final ModelMetrics metrics;
    // Held while deciding what to evict, creating a session, warming it up and measuring what that took.
    private final ReentrantLock memoryLock = new ReentrantLock();
    private final LongSupplier rss;

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
        this.rss = rss;
        this.engine = engine;
        this.downloader = downloader;
        this.codec = codec;
        this.budget = budget;
        this.metrics = metrics;
        metrics.worker(budget, this::used);
        AtomicInteger counter = new AtomicInteger();
        this.loader = Executors.newFixedThreadPool(Math.max(1, loadThreads), r -> {
            Thread t = new Thread(r, "model-loader-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Called with each version whose load finished, READY or FAILED. */
    public void onLoadFinished(Consumer<ModelVersion> listener) {
        loadListeners.add(listener);
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
            ModelVersion serving = rewarm[0];
            try {
                loader.execute(() -> rewarm(serving, example));
            } catch (RejectedExecutionException e) {
                // shutting down: nothing to warm
            }
        }
        if (replaced[0] != null) {
            if (replaced[0].state() == ModelState.READY) {
                metrics.unloaded(key, "replaced");
            }
            replaced[0].close();
        }
        if (started[0] != null) {
            start(started[0], sizeBytes);
        }
        return current;
    }

    private void start(ModelVersion version, long sizeBytes) {
        try {
            loader.execute(() -> runLoad(version, sizeBytes));
        } catch (RejectedExecutionException e) {
            version.markFailed("worker is shutting down", false);
        }
    }

    /** Thrown inside a load when the version cannot fit in the memory budget now. */
    private static final class NoRoomException extends RuntimeException {
        NoRoomException(String message) {
            super(message, null, false, false);
        }
    }

    private void runLoad(ModelVersion version, long sizeBytes) {
        ModelKey key = version.key();
        Path file = null;
        try {
            List<Tensor> example = decodeExample(version.example());
            if (sizeBytes > 0) {
                checkCouldFit(version, estimate(version, sizeBytes));
            }
            file = version.file() != null && Files.isRegularFile(version.file())
                    ? version.file() : downloader.download(key, version.sha256());
            version.file(file);
            if (version.isClosed()) {
                ArtifactDownloader.deleteQuietly(file);
                return;
            }
            unpack(file);
            memoryLock.lock();
            try {
                loadWithinBudget(version, file, example);
            } finally {
                memoryLock.unlock();
            }
            if (version.state() != ModelState.READY) {
                return; // unloaded while it loaded
            }
            metrics.loaded(key, true);
            metrics.trackMemory(key, () -> find(key).map(ModelVersion::memory).orElse(ModelMemory.NONE));
        } catch (NoRoomException e) {
            if (version.onDemand()) {
                // A call wanted it back: it stays EVICTED, and the call is told to retry.
                versions.replace(key, version, ModelVersion.evicted(version));
                version.abandon(new ModelNotReadyException(key + " cannot be loaded again right now: " + e.getMessage(),
                        true));
                LOG.warnf("%s stays EVICTED: %s", key, e.getMessage());
                return;
            }
            metrics.loaded(key, false);
            LOG.warnf("%s FAILED: %s", key, e.getMessage());
            version.markFailed(e.getMessage(), false, true);
            if (file != null) {
                ArtifactDownloader.deleteQuietly(file);
            }
        } catch (ArtifactException e) {
            fail(version, e.getMessage(), e.badArtifact(), file);
        } catch (ProtocolException e) {
            fail(version, "the example request is malformed: " + e.getMessage(), true, file);
        } catch (ModelLoadException e) {
            fail(version, "model cannot be loaded: " + e.getMessage(), true, file);
        } catch (InvalidInputException e) {
            // The control plane ran this example when it was registered: failing here is worth a FAILED, not a guess.
            fail(version, "the example request failed: " + e.getMessage(), true, file);
        } catch (EngineUnavailableException e) {
            fail(version, "warm-up could not run: " + e.getMessage(), false, file);
        } catch (InferenceException e) {
            fail(version, e.getMessage(), true, file);
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s: load failed", key);
            fail(version, "load failed: internal error", false, file);
        }
        loadListeners.forEach(listener -> {
            try {
                listener.accept(version);
            } catch (RuntimeException e) {
                LOG.warnf("load listener failed: %s", e.getMessage());
            }
        });
    }

    /** Warms a serving version up with its new example, on the session it already has. */
    private void rewarm(ModelVersion version, String example) {
        String problem = null;
        WarmUp outcome = null;
        if (!version.acquire()) {
            return; // unloaded meanwhile
        }
        try {
            outcome = warmUp(version.model(), decodeExample(example));
        } catch (ProtocolException e) {
            problem = "the new example request is malformed: " + e.getMessage();
        } catch (RuntimeException e) {
            problem = "the new example request failed: " + e.getMessage();
        } finally {
            version.release();
        }
        version.rewarmed(example, outcome, problem);
        LOG.infof("%s warmed up again with its new example (%s)", version.key(),
                problem == null ? outcome.status() : problem);
        loadListeners.forEach(listener -> {
            try {
                listener.accept(version);
            } catch (RuntimeException e) {
                LOG.warnf("load listener failed: %s", e.getMessage());
            }
        });
    }

    /** An example's tensors (decoded before anything is downloaded); null for no example. */
    private List<Tensor> decodeExample(String example) {
        if (example == null) {
            return null;
        }
        if (SafeText.hasUnpairedSurrogate(example)) {
            throw new ProtocolException("it contains an unpaired surrogate, which is not valid Unicode");
        }
        return codec.decode(example.getBytes(StandardCharsets.UTF_8)).inputs();
    }

    private static WarmUp warmUp(LoadedModel loaded, List<Tensor> example) {
        return example != null ? loaded.warmUp(example) : loaded.warmUpWithZeros();
    }

    /** Evicts what must go, creates the session, warms it up and records what that took; holds memoryLock. */
    private void loadWithinBudget(ModelVersion version, Path file, List<Tensor> example) {
        long fileBytes = size(file);
        makeRoom(version, estimate(version, fileBytes));
        long before = rss.getAsLong();
        LoadedModel loaded = engine.load(file);
        WarmUp outcome;
        try {
            outcome = warmUp(loaded, example);
        } catch (RuntimeException e) {
            closeQuietly(loaded);
            throw e;
        }
        long after = rss.getAsLong();
        boolean cuda = OnnxEngine.CUDA.equals(loaded.device());
        ModelMemory memory = before >= 0 && after >= 0
                ? new ModelMemory(Math.max(after - before, cuda ? 0 : fileBytes), cuda ? fileBytes : 0, true)
                : new ModelMemory((long) (fileBytes * UNMEASURED_FACTOR), cuda ? fileBytes : 0, false);
        version.memory(memory);
        if (!version.markReady(loaded, outcome)) {
            closeQuietly(loaded);
            ArtifactDownloader.deleteQuietly(file);
            return;
        }
        LOG.infof("%s READY on %s (warm-up %s%s; about %s of host memory%s%s)", version.key(), loaded.device(),
                outcome.status(), outcome.skipped() ? ": " + outcome.reason() : "", mib(memory.hostBytes()),
                cuda ? " and " + mib(memory.deviceBytes()) + " on the device" : "",
                memory.measured() ? ", measured" : ", estimated from the artifact's size");
        // The measurement may exceed the estimate the room was made for: give back what is over, if anything idle can go.
        try {
            makeRoom(version, ModelMemory.NONE);
        } catch (NoRoomException e) {
            LOG.warnf("over the memory budget after loading %s: %s", version.key(), e.getMessage());
        }
    }

    /** What {@code version} is expected to take: its last measurement, else a multiple of the artifact's size. */
    private ModelMemory estimate(ModelVersion version, long fileBytes) {
        if (version.lastMeasured() != null && version.lastMeasured() != ModelMemory.NONE) {
            return version.lastMeasured();
        }
        boolean cuda = OnnxEngine.CUDA.equals(engine.defaultDevice());
        return new ModelMemory((long) (fileBytes * FIRST_ESTIMATE_FACTOR), cuda ? fileBytes : 0, false);
    }

    /** Memory the loaded versions are estimated to hold now. */
    public ModelMemory used() {
        long host = 0;
        long device = 0;
        for (ModelVersion v : versions.values()) {
            ModelMemory m = v.memory();
            host += m.hostBytes();
            device += m.deviceBytes();
        }
        return new ModelMemory(host, device, false);
    }

    public MemoryBudget budget() {
        return budget;
    }

    private boolean fits(ModelMemory used, ModelMemory need) {
        return MemoryBudget.fits(budget.hostBytes(), used.hostBytes(), need.hostBytes())
                && MemoryBudget.fits(budget.deviceBytes(), used.deviceBytes(), need.deviceBytes());
    }

    /** Fails fast, before a download, when even evicting every idle version would not make room. */
    private void checkCouldFit(ModelVersion version, ModelMemory need) {
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
    private void makeRoom(ModelVersion version, ModelMemory need) {
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

    /**
     * Evicts a READY version now if no call holds it (an operator freeing memory, or a test provoking a cold start).
     *
     * @return true when it was evicted
     */
    public boolean evictIfIdle(ModelKey key) {
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

    /**
     * What the version's weights take on disk: the artifact, or for a zip archive what it unpacked to (ONNX Runtime
     * maps those files, so a warm-up touches only part of them and the measured growth alone would undercount).
     */
    private static long size(Path file) {
        try {
            return Math.max(Files.size(file), ModelArchive.unpackedBytes(file));
        } catch (IOException e) {
            return 0;
        }
    }

    /** Unpacks an archive before its memory is reckoned (outside the memory lock: it may take seconds). */
    private static void unpack(Path file) {
        try {
            if (ModelArchive.isArchive(file)) {
                ModelArchive.unpack(file, Long.MAX_VALUE);
            }
        } catch (IOException e) {
            throw new ArtifactException("the artifact could not be unpacked: " + e.getMessage(), false);
        }
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
            start(started[0], 0);
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

    private void fail(ModelVersion version, String reason, boolean badArtifact, Path file) {
        metrics.loaded(version.key(), false);
        LOG.warnf("%s FAILED: %s", version.key(), reason);
        version.markFailed(reason, badArtifact);
        if (file != null) {
            ArtifactDownloader.deleteQuietly(file);
        }
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

    private static void closeQuietly(LoadedModel model) {
        try {
            model.close();
        } catch (Exception ignored) {
            // Failing to free a session we are discarding anyway changes nothing for the caller.
        }
    }
}
