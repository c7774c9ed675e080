package io.aiaas.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Settings of the inference worker, all under {@code aiaas.worker} (env {@code AIAAS_WORKER_*}). */
@ConfigMapping(prefix = "aiaas.worker")
public interface WorkerConfig {

    /** The name this worker registers under. */
    @WithDefault("worker-1")
    String name();

    /** The URL the control plane calls this worker on; defaults to http://127.0.0.1:&lt;actual HTTP port&gt;. */
    Optional<String> advertisedUrl();

    /** Where downloaded model artifacts are kept while loaded. */
    @WithDefault("${java.io.tmpdir}/aiaas-worker-${quarkus.http.port}")
    Path cacheDir();

    /** auto (CUDA when available), cpu or cuda. */
    @WithDefault("auto")
    String device();

    @WithDefault("1")
    int intraOpThreads();

    @WithDefault("1")
    int interOpThreads();

    @WithDefault("0")
    int cudaDeviceId();

    /** CUDA execution provider options, and what a node asked for CUDA does without it. */
    Cuda cuda();

    /** Memory budgets of the loaded model versions; see docs/inference-worker.md, "Memory budgets and eviction". */
    Memory memory();

    /**
     * On shutdown (SIGTERM), how long the worker waits for the calls in flight and queued to finish after it stopped
     * taking new ones and deregistered.
     */
    @WithDefault("30s")
    Duration drainTimeout();

    /**
     * The longest one inference may run; a run stopped by it is 400 (its input sized the work: a loop count, a
     * range). Keep it below the control plane's {@code aiaas.dispatch.worker-timeout} (30 s), so the client learns
     * why instead of getting a 504. 0 turns the limit off.
     */
    @WithDefault("20s")
    Duration maxRunTime();

    /** Largest accepted request body; larger ones get 413 (mirrored into quarkus.http.limits.max-body-size). */
    @WithDefault("67108864")
    long maxRequestBytes();

    /** How many models are downloaded and loaded at the same time. */
    @WithDefault("2")
    int loadThreads();

    ControlPlane controlPlane();

    /** One-time enrolment token, used when {@link #identityDir()} holds no identity yet (docs/internal-auth.md). */
    Optional<String> enrolmentToken();

    /** Where this worker keeps its key pair and identity (files of mode 600); it enrols once, then reuses them. */
    @WithDefault("${user.home}/.aiaas/worker-identity/${aiaas.worker.name}")
    Path identityDir();

    /** When this worker fetches the control plane's public keys again (security.WorkerIdentity). */
    ControlPlaneKeys controlPlaneKeys();

    /** Replacing this worker's own key by age (security.KeyRotation, docs/internal-auth.md). */
    KeyRotation keyRotation();

    /** When this worker makes itself a new key and retires the old one, without downtime. */
    interface KeyRotation {

        /** A key older than this is replaced; 0 turns rotation off. */
        @WithDefault("30d")
        Duration maxAge();

        /** How often the key's age is looked at (a failed step is tried again at least once a minute). */
        @WithDefault("1h")
        Duration checkInterval();

        /**
         * How long the old key stays accepted after the worker began signing with the new one, for requests signed
         * just before the switch.
         */
        @WithDefault("10s")
        Duration retireAfter();
    }

    /** Refreshing the control plane's JWK Set: on a token with an unknown key id, and when it is older than max-age. */
    interface ControlPlaneKeys {

        /** At most one fetch per this interval, whatever tokens arrive. */
        @WithDefault("10s")
        Duration refreshMinInterval();

        /** A set older than this is fetched again, so a retired key is dropped. */
        @WithDefault("10m")
        Duration maxAge();
    }

    /**
     * Dynamic batching and queue bounds by model name ({@code aiaas.worker.batching."<model>".*}); the key
     * {@code default} holds the defaults for every model. Unset values fall back to the defaults, then to
     * {@link io.aiaas.worker.inference.BatchSettings#BUILT_IN}.
     */
    Map<String, Batching> batching();

    /** One model's (or the default) batching settings; see docs/inference-worker.md. */
    interface Batching {

        /** Whether requests to a model whose first dimension is dynamic are batched. */
        Optional<Boolean> enabled();

        /** Most rows (sum of the callers' first dimensions) in one run. */
        Optional<Integer> maxBatchSize();

        /** How long the first request of a batch may wait for others, in microseconds. */
        Optional<Long> maxQueueDelayUs();

        /** Batch sizes that are run at once when reached and nothing else is waiting. */
        Optional<List<Integer>> preferredBatchSizes();

        /** Requests waiting (batching) or running (unbatched) per model version before 503. */
        Optional<Integer> queueCapacity();

        /** Batches of one model version that run at the same time (batcher threads on the shared session). */
        Optional<Integer> instances();
    }

    /** CUDA settings ({@code aiaas.worker.cuda.*}). */
    interface Cuda {

        /**
         * With {@code device=cuda}: when CUDA cannot be used, start on CPU (true: a WARN, the device reported as cpu,
         * counted in {@code aiaas_worker_device_fallback_total}) or refuse to start (false).
         */
        @WithDefault("false")
        boolean allowCpuFallback();

        /** {@code gpu_mem_limit}: most bytes ONNX Runtime's CUDA arena may hold; 0 for no limit. */
        @WithDefault("0")
        long memoryLimitBytes();

        /** {@code arena_extend_strategy}: kNextPowerOfTwo or kSameAsRequested; unset for ONNX Runtime's default. */
        Optional<String> arenaExtendStrategy();

        /** {@code cudnn_conv_algo_search}: exhaustive, heuristic or default; unset for ONNX Runtime's default. */
        Optional<String> cudnnConvAlgoSearch();
    }

    /** Memory budgets ({@code aiaas.worker.memory.*}). */
    interface Memory {

        /** Host memory the loaded versions may hold (estimated per version); 0 for no budget. */
        @WithDefault("0")
        long hostBudgetBytes();

        /** GPU memory the loaded versions may hold (estimated per version); 0 for no budget. */
        @WithDefault("0")
        long deviceBudgetBytes();

        /** The longest a call to an EVICTED version waits for it to be loaded again before a 503. */
        @WithDefault("60s")
        Duration coldStartTimeout();
    }

    /** The link to platform-api: registration, heartbeats, artifact downloads. */
    interface ControlPlane {

        @WithDefault("http://127.0.0.1:8080")
        String url();

        /** Off in tests that drive loads through the repository endpoints directly. */
        @WithDefault("true")
        boolean enabled();

        /** Longest wait between attempts while the control plane is unreachable. */
        @WithDefault("PT10S")
        Duration maxRetryInterval();

        /** Timeout of each call to the control plane (not of artifact downloads). */
        @WithDefault("PT5S")
        Duration requestTimeout();
    }
}
