package io.aiaas.worker.model;

import io.aiaas.engine.LoadedModel;
import io.aiaas.engine.WarmUp;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One model version on this worker: its state and, once READY, its ONNX Runtime session and how it was warmed up.
 * Runs hold the read lock so that unloading waits for them before closing the session.
 */
public final class ModelVersion {

    private final ModelKey key;
    private final String sha256;
    private volatile String example;
    private final CompletableFuture<ModelVersion> ready = new CompletableFuture<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private volatile ModelState state = ModelState.LOADING;
    private volatile String reason;
    private volatile boolean badArtifact;
    private volatile LoadedModel model;
    private volatile WarmUp warmUp;
    private volatile Path file;
    private boolean closed;

    ModelVersion(ModelKey key, String sha256, String example) {
        this.key = key;
        this.sha256 = sha256;
        this.example = example;
    }

    public ModelKey key() {
        return key;
    }

    public String sha256() {
        return sha256;
    }

    /** The example request (Open Inference Protocol JSON) it was last warmed up with; null when none. */
    public String example() {
        return example;
    }

    /** Whether this is the load of exactly that artifact with exactly that example. */
    public boolean sameAs(String otherSha256, String otherExample) {
        return sha256.equalsIgnoreCase(otherSha256) && Objects.equals(example, otherExample);
    }

    public ModelState state() {
        return state;
    }

    /**
     * Why the load failed (FAILED), or why a READY version was not warmed up ("warm-up skipped: ..."); null otherwise.
     */
    public String reason() {
        return reason;
    }

    /** How the version was warmed up; null until READY. */
    public WarmUp warmUp() {
        return warmUp;
    }

    /** True when FAILED because of the artifact or its example, so loading them again would fail the same way. */
    public boolean failedForGood() {
        return state == ModelState.FAILED && badArtifact;
    }

    /** Completes when READY, exceptionally with {@link ModelLoadFailedException} when FAILED. */
    public CompletableFuture<ModelVersion> whenReady() {
        return ready;
    }

    /** The session; only meaningful while READY and the caller holds {@link #acquire()}. */
    public LoadedModel model() {
        return model;
    }

    /**
     * Takes a hold on the session for one run.
     *
     * @return false when the version was unloaded meanwhile
     */
    public boolean acquire() {
        lock.readLock().lock();
        if (closed || state != ModelState.READY) {
            lock.readLock().unlock();
            return false;
        }
        return true;
    }

    public void release() {
        lock.readLock().unlock();
    }

    void file(Path file) {
        this.file = file;
    }

    /** @return false when the version was unloaded while loading; the caller then closes {@code loaded} */
    boolean markReady(LoadedModel loaded, WarmUp outcome) {
        lock.writeLock().lock();
        try {
            if (closed) {
                return false;
            }
            this.model = loaded;
            this.warmUp = outcome;
            this.reason = outcome.skipped() ? "warm-up skipped: " + outcome.reason() : null;
            this.state = ModelState.READY;
        } finally {
            lock.writeLock().unlock();
        }
        ready.complete(this);
        return true;
    }

    /**
     * A new example warmed up the session that keeps serving (the artifact did not change, so nothing is reloaded);
     * {@code problem} says why it did not run, null when it did.
     */
    void rewarmed(String newExample, WarmUp outcome, String problem) {
        this.example = newExample;
        if (problem == null) {
            this.warmUp = outcome;
            this.reason = outcome.skipped() ? "warm-up skipped: " + outcome.reason() : null;
        } else {
            this.reason = problem;
        }
    }

    void markFailed(String why, boolean badArtifact) {
        this.reason = why;
        this.badArtifact = badArtifact;
        this.state = ModelState.FAILED;
        ready.completeExceptionally(new ModelLoadFailedException(why, badArtifact));
    }

    /** Waits for running inferences, closes the session and deletes the cached file. */
    void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (model != null) {
                try {
                    model.close();
                } catch (Exception ignored) {
                    // The session is gone either way; nothing a caller could do about it.
                }
            }
            if (file != null) {
                ArtifactDownloader.deleteQuietly(file);
            }
            if (!ready.isDone()) {
                ready.completeExceptionally(new ModelLoadFailedException(key + " was unloaded while loading", false));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    boolean isClosed() {
        lock.readLock().lock();
        try {
            return closed;
        } finally {
            lock.readLock().unlock();
        }
    }
}
