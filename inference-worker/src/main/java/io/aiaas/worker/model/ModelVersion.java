package io.aiaas.worker.model;

import io.aiaas.engine.LoadedModel;
import io.aiaas.engine.WarmUp;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One model version on this worker: its state and, once READY, its ONNX Runtime session and how it was warmed up.
 * Runs hold the read lock so that unloading waits for them before closing the session. Infer calls are counted from
 * before they are decoded until they are answered ({@link #beginCall()}), so that eviction takes only versions with
 * no call in flight or queued, and the least recently called first.
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
    // Calls in flight or queued; -1 once the version is evicted or closed, so that no call can begin on it after.
    private final AtomicInteger calls = new AtomicInteger();
    private volatile long lastUsedNanos = System.nanoTime();
    private volatile ModelMemory memory = ModelMemory.NONE;
    private volatile ModelMemory lastMeasured;
    private volatile boolean onDemand;
    private volatile boolean noRoom;
    private volatile long failedAtNanos;

    ModelVersion(ModelKey key, String sha256, String example) {
        this.key = key;
        this.sha256 = sha256;
        this.example = example;
    }

    /** The EVICTED stand-in for {@code loaded}: same artifact and example, its file kept for the next load. */
    static ModelVersion evicted(ModelVersion loaded) {
        ModelVersion v = new ModelVersion(loaded.key, loaded.sha256, loaded.example);
        v.state = ModelState.EVICTED;
        v.file = loaded.file;
        v.lastUsedNanos = loaded.lastUsedNanos;
        v.lastMeasured = loaded.memory;
        v.model = loaded.model; // closed: kept for its signature (metadata), its session is gone
        v.warmUp = loaded.warmUp;
        v.calls.set(-1);
        v.ready.completeExceptionally(new ModelLoadFailedException(loaded.key + " was evicted", false));
        return v;
    }

    /**
     * A new LOADING version replacing {@code evicted} from its cached file: because a call needs it ({@code onDemand},
     * a cold start), or because the control plane or an operator asked for it.
     */
    static ModelVersion reloading(ModelVersion evicted, String example, boolean onDemand) {
        ModelVersion v = new ModelVersion(evicted.key, evicted.sha256, example);
        v.file = evicted.file;
        v.lastMeasured = evicted.lastMeasured;
        v.onDemand = onDemand;
        return v;
    }

    /**
     * Counts one infer call on this version (until {@link #endCall()}) and marks it used now.
     *
     * @return false when the version was evicted or unloaded meanwhile: resolve it again
     */
    public boolean beginCall() {
        while (true) {
            int n = calls.get();
            if (n < 0) {
                return false;
            }
            if (calls.compareAndSet(n, n + 1)) {
                lastUsedNanos = System.nanoTime();
                return true;
            }
        }
    }

    public void endCall() {
        lastUsedNanos = System.nanoTime();
        calls.updateAndGet(n -> n > 0 ? n - 1 : n);
    }

    /** Calls in flight or queued on this version now. */
    public int calls() {
        return Math.max(0, calls.get());
    }

    long lastUsedNanos() {
        return lastUsedNanos;
    }

    /** Claims a READY version with no call for eviction; no call can begin on it afterwards. */
    boolean claimForEviction() {
        return state == ModelState.READY && calls.compareAndSet(0, -1);
    }

    /** Memory the loaded session is estimated to hold; {@link ModelMemory#NONE} unless READY. */
    public ModelMemory memory() {
        return state == ModelState.READY ? memory : ModelMemory.NONE;
    }

    void memory(ModelMemory measured) {
        this.memory = measured;
        this.lastMeasured = measured;
    }

    /** What an earlier load of this same version measured (kept across eviction); null when never loaded. */
    ModelMemory lastMeasured() {
        return lastMeasured;
    }

    /** True for a load started by a call to an EVICTED version: calls wait for it instead of being refused. */
    public boolean onDemand() {
        return onDemand;
    }

    /** True when FAILED because it did not fit in the memory budget (worth trying again once memory frees up). */
    public boolean failedForRoom() {
        return state == ModelState.FAILED && noRoom;
    }

    /**
     * Whether a FAILED version is worth loading again now: not when its artifact or example is at fault, and after a
     * pause when it did not fit in the memory budget (something may have become idle meanwhile).
     */
    public boolean worthRetrying() {
        if (state != ModelState.FAILED || badArtifact) {
            return false;
        }
        return !noRoom || System.nanoTime() - failedAtNanos > ModelRegistry.ROOM_RETRY_NANOS;
    }

    /** The cached artifact file, kept while the version is placed here (EVICTED included). */
    Path file() {
        return file;
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
        markFailed(why, badArtifact, false);
    }

    void markFailed(String why, boolean badArtifact, boolean noRoom) {
        this.reason = why;
        this.badArtifact = badArtifact;
        this.noRoom = noRoom;
        this.failedAtNanos = System.nanoTime();
        this.state = ModelState.FAILED;
        calls.set(-1);
        ready.completeExceptionally(new ModelLoadFailedException(why, badArtifact));
    }

    /** Ends a load that could not be done now: the caller puts the EVICTED stand-in back and callers get {@code why}. */
    void abandon(RuntimeException why) {
        calls.set(-1);
        ready.completeExceptionally(why);
    }

    /** Waits for running inferences, closes the session and deletes the cached file. */
    void close() {
        close(false);
    }

    /**
     * Waits for running inferences and closes the session, which frees its native memory (the Java object stays, so
     * that a metadata call racing the close still reads the signature); the cached file is kept when
     * {@code keepFile} (an eviction: the next load needs no download).
     */
    void close(boolean keepFile) {
        lock.writeLock().lock();
        try {
            calls.set(-1);
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
            if (file != null && !keepFile) {
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
