package io.aiaas.worker.model;

import io.aiaas.engine.EngineUnavailableException;
import io.aiaas.engine.InferenceException;
import io.aiaas.engine.InvalidInputException;
import io.aiaas.engine.LoadedModel;
import io.aiaas.engine.ModelLoadException;
import io.aiaas.engine.OnnxEngine;
import io.aiaas.engine.Tensor;
import io.aiaas.engine.WarmUp;
import io.aiaas.protocol.InferenceCodec;
import io.aiaas.protocol.ProtocolException;
import io.aiaas.protocol.SafeText;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The model versions on this worker, keyed by (name, version). Loads run on a small pool:
 * download from the control plane, sha256 check, ONNX Runtime session, warm-up, READY.
 * <p>
 * Warm-up: with the version's example request when it has one (the control plane proved it runs, so a failure here
 * marks the version FAILED); else with zeros, and a model that refuses zeros is READY all the same, its reason saying
 * the warm-up was skipped and why.
 */
public final class ModelRegistry implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    private final Map<ModelKey, ModelVersion> versions = new ConcurrentHashMap<>();
    private final List<Consumer<ModelVersion>> loadListeners = new CopyOnWriteArrayList<>();
    private final OnnxEngine engine;
    private final ArtifactDownloader downloader;
    private final InferenceCodec codec;
    private final ExecutorService loader;

    public ModelRegistry(OnnxEngine engine, ArtifactDownloader downloader, InferenceCodec codec, int loadThreads) {
        this.engine = engine;
        this.downloader = downloader;
        this.codec = codec;
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
        String sha = sha256.toLowerCase(Locale.ROOT);
        ModelVersion[] replaced = new ModelVersion[1];
        ModelVersion[] started = new ModelVersion[1];
        ModelVersion[] rewarm = new ModelVersion[1];
        ModelVersion current = versions.compute(key, (k, existing) -> {
            if (existing != null && existing.sameAs(sha, example) && existing.state() != ModelState.FAILED) {
                return existing;
            }
            if (existing != null && existing.state() == ModelState.READY && existing.sha256().equals(sha)) {
                rewarm[0] = existing;
                return existing;
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
            replaced[0].close();
        }
        if (started[0] != null) {
            try {
                loader.execute(() -> runLoad(started[0]));
            } catch (RejectedExecutionException e) {
                started[0].markFailed("worker is shutting down", false);
            }
        }
        return current;
    }

    private void runLoad(ModelVersion version) {
        ModelKey key = version.key();
        Path file = null;
        try {
            List<Tensor> example = decodeExample(version.example());
            file = downloader.download(key, version.sha256());
            version.file(file);
            if (version.isClosed()) {
                ArtifactDownloader.deleteQuietly(file);
                return;
            }
            LoadedModel loaded = engine.load(file);
            WarmUp outcome;
            try {
                outcome = warmUp(loaded, example);
            } catch (RuntimeException e) {
                closeQuietly(loaded);
                throw e;
            }
            if (!version.markReady(loaded, outcome)) {
                closeQuietly(loaded);
                ArtifactDownloader.deleteQuietly(file);
                return;
            }
            LOG.infof("%s READY on %s (warm-up %s%s)", key, loaded.device(), outcome.status(),
                    outcome.skipped() ? ": " + outcome.reason() : "");
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

    private static void fail(ModelVersion version, String reason, boolean badArtifact, Path file) {
        LOG.warnf("%s FAILED: %s", version.key(), reason);
        version.markFailed(reason, badArtifact);
        if (file != null) {
            ArtifactDownloader.deleteQuietly(file);
        }
    }

    /** Closes the session and deletes the file; false when the version was not here. */
    public boolean unload(ModelKey key) {
        ModelVersion removed = versions.remove(key);
        if (removed == null) {
            return false;
        }
        removed.close();
        LOG.infof("%s unloaded", key);
        return true;
    }

    public Optional<ModelVersion> find(ModelKey key) {
        return Optional.ofNullable(versions.get(key));
    }

    /**
     * The version a request addresses: the given one, or without a version the highest READY one.
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
        return all.stream().filter(v -> v.state() == ModelState.READY)
                .max(Comparator.comparingInt(v -> v.key().version()))
                .orElseGet(() -> requireReady(all.get(all.size() - 1)));
    }

    private static ModelVersion requireReady(ModelVersion version) {
        return switch (version.state()) {
            case READY -> version;
            case LOADING -> throw new ModelNotReadyException(version.key() + " is still loading", true);
            case FAILED -> throw new ModelNotReadyException(version.key() + " failed to load: " + version.reason(), false);
        };
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
        versions.keySet().forEach(this::unload);
    }

    private static void closeQuietly(LoadedModel model) {
        try {
            model.close();
        } catch (Exception ignored) {
            // Failing to free a session we are discarding anyway changes nothing for the caller.
        }
    }
}
