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
import io.aiaas.worker.model.MemoryPlanner.NoRoomException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import static io.aiaas.worker.model.MemoryPlanner.mib;

/**
 * The registry's load pipeline, run on its own small pool: download (or the cached file), sha256 check, unpack, then
 * under the memory lock room made, ONNX Runtime session, warm-up and measurement, READY or FAILED; and the warm-up
 * of a serving version with a new example. Works on the registry's own map of versions.
 */
final class ModelLoader {

    // The registry's log category: loads are reported where they always were.
    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    private final Map<ModelKey, ModelVersion> versions;
    private final List<Consumer<ModelVersion>> loadListeners = new CopyOnWriteArrayList<>();
    private final OnnxEngine engine;
    private final ArtifactDownloader downloader;
    private final InferenceCodec codec;
    private final ExecutorService loader;
    private final MemoryPlanner planner;
    private final ModelMetrics metrics;
    private final LongSupplier rss;

    /** @param versions the registry's versions, shared (not copied) */
    ModelLoader(Map<ModelKey, ModelVersion> versions, OnnxEngine engine, ArtifactDownloader downloader,
                InferenceCodec codec, int loadThreads, MemoryPlanner planner, ModelMetrics metrics, LongSupplier rss) {
        this.versions = versions;
        this.rss = rss;
        this.engine = engine;
        this.downloader = downloader;
        this.codec = codec;
        this.planner = planner;
        this.metrics = metrics;
        AtomicInteger counter = new AtomicInteger();
        this.loader = Executors.newFixedThreadPool(Math.max(1, loadThreads), r -> {
            Thread t = new Thread(r, "model-loader-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Called with each version whose load finished, READY or FAILED. */
    void onLoadFinished(Consumer<ModelVersion> listener) {
        loadListeners.add(listener);
    }

    /** Queues a version's load; FAILED at once when the worker is shutting down. */
    void start(ModelVersion version, long sizeBytes) {
        try {
            loader.execute(() -> runLoad(version, sizeBytes));
        } catch (RejectedExecutionException e) {
            version.markFailed("worker is shutting down", false);
        }
    }

    /** Queues the warm-up of a serving version with its new example; nothing when the worker is shutting down. */
    void startRewarm(ModelVersion serving, String example) {
        try {
            loader.execute(() -> rewarm(serving, example));
        } catch (RejectedExecutionException e) {
            // shutting down: nothing to warm
        }
    }

    /** Stops the pool, interrupting loads under way. */
    void shutdownNow() {
        loader.shutdownNow();
    }

    private void runLoad(ModelVersion version, long sizeBytes) {
        ModelKey key = version.key();
        Path file = null;
        try {
            List<Tensor> example = decodeExample(version.example());
            if (sizeBytes > 0) {
                planner.checkCouldFit(version, planner.estimate(version, sizeBytes));
            }
            file = version.file() != null && Files.isRegularFile(version.file())
                    ? version.file() : downloader.download(key, version.sha256());
            version.file(file);
            if (version.isClosed()) {
                ArtifactDownloader.deleteQuietly(file);
                return;
            }
            unpack(file);
            Path artifact = file;
            planner.holdingLock(() -> loadWithinBudget(version, artifact, example));
            if (version.state() != ModelState.READY) {
                return; // unloaded while it loaded
            }
            metrics.loaded(key, true);
            metrics.trackMemory(key, () -> Optional.ofNullable(versions.get(key)).map(ModelVersion::memory)
                    .orElse(ModelMemory.NONE));
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
        notifyListeners(version);
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
        notifyListeners(version);
    }

    private void notifyListeners(ModelVersion version) {
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
        planner.makeRoom(version, planner.estimate(version, fileBytes));
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
                : new ModelMemory((long) (fileBytes * ModelRegistry.UNMEASURED_FACTOR), cuda ? fileBytes : 0, false);
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
            planner.makeRoom(version, ModelMemory.NONE);
        } catch (NoRoomException e) {
            LOG.warnf("over the memory budget after loading %s: %s", version.key(), e.getMessage());
        }
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

    private void fail(ModelVersion version, String reason, boolean badArtifact, Path file) {
        metrics.loaded(version.key(), false);
        LOG.warnf("%s FAILED: %s", version.key(), reason);
        version.markFailed(reason, badArtifact);
        if (file != null) {
            ArtifactDownloader.deleteQuietly(file);
        }
    }

    private static void closeQuietly(LoadedModel model) {
        try {
            model.close();
        } catch (Exception ignored) {
            // Failing to free a session we are discarding anyway changes nothing for the caller.
        }
    }
}
