package io.aiaas.worker.model;

import io.aiaas.engine.LoadedModel;
import io.aiaas.engine.ModelLoadException;
import io.aiaas.engine.OnnxEngine;
import org.jboss.logging.Logger;

import java.net.URI;
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
 * download, sha256 check, ONNX Runtime session, warm-up, READY.
 */
public final class ModelRegistry implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    private final Map<ModelKey, ModelVersion> versions = new ConcurrentHashMap<>();
    private final List<Consumer<ModelVersion>> loadListeners = new CopyOnWriteArrayList<>();
    private final OnnxEngine engine;
    private final ArtifactDownloader downloader;
    private final ExecutorService loader;

    public ModelRegistry(OnnxEngine engine, ArtifactDownloader downloader, int loadThreads) {
        this.engine = engine;
        this.downloader = downloader;
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
     * Starts loading a version unless the same artifact is already loading or READY; a FAILED version,
     * or one with another sha256, is replaced.
     */
    public ModelVersion load(ModelKey key, String sha256, URI artifactUrl) {
        String sha = sha256.toLowerCase(Locale.ROOT);
        ModelVersion[] replaced = new ModelVersion[1];
        ModelVersion[] started = new ModelVersion[1];
        ModelVersion current = versions.compute(key, (k, existing) -> {
            if (existing != null && existing.sha256().equals(sha) && existing.state() != ModelState.FAILED) {
                return existing;
            }
            replaced[0] = existing;
            started[0] = new ModelVersion(k, sha);
            return started[0];
        });
        if (replaced[0] != null) {
            replaced[0].close();
        }
        if (started[0] != null) {
            try {
                loader.execute(() -> runLoad(started[0], artifactUrl));
            } catch (RejectedExecutionException e) {
                started[0].markFailed("worker is shutting down", false);
            }
        }
        return current;
    }

    private void runLoad(ModelVersion version, URI artifactUrl) {
        ModelKey key = version.key();
        Path file = null;
        try {
            file = downloader.download(key, artifactUrl, version.sha256());
            version.file(file);
            if (version.isClosed()) {
                ArtifactDownloader.deleteQuietly(file);
                return;
            }
            LoadedModel loaded = engine.load(file);
            try {
                loaded.warmUp();
            } catch (RuntimeException e) {
                closeQuietly(loaded);
                throw e;
            }
            if (!version.markReady(loaded)) {
                closeQuietly(loaded);
                ArtifactDownloader.deleteQuietly(file);
                return;
            }
            LOG.infof("%s READY on %s", key, loaded.device());
        } catch (ArtifactException e) {
            fail(version, e.getMessage(), e.badArtifact(), file);
        } catch (ModelLoadException e) {
            fail(version, "model cannot be loaded: " + e.getMessage(), true, file);
        } catch (RuntimeException e) {
            fail(version, "load failed: " + e.getMessage(), true, file);
        }
        loadListeners.forEach(listener -> {
            try {
                listener.accept(version);
            } catch (RuntimeException e) {
                LOG.warnf("load listener failed: %s", e.getMessage());
            }
        });
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
                throw new ModelNotFoundException("model '" + name + "' version " + version + " is not loaded on this worker");
            }
            return requireReady(found);
        }
        List<ModelVersion> all = versionsOf(name);
        if (all.isEmpty()) {
            throw new ModelNotFoundException("model '" + name + "' is not loaded on this worker");
        }
        return all.stream().filter(v -> v.state() == ModelState.READY)
                .max(Comparator.comparingInt(v -> v.key().version()))
                .orElseGet(() -> requireReady(all.get(all.size() - 1)));
    }

    private static ModelVersion requireReady(ModelVersion version) {
        return switch (version.state()) {
            case READY -> version;
            case LOADING -> throw new ModelNotReadyException(version.key() + " is still loading");
            case FAILED -> throw new ModelNotReadyException(version.key() + " failed to load: " + version.reason());
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
