package io.aiaas.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The process's ONNX Runtime: picks CPU or CUDA once, loads models into sessions and closes them on shutdown. Asked
 * for CUDA and unable to use it, it either refuses to start ({@link EngineException}) or, when
 * {@link CudaOptions#allowCpuFallback()} says so, runs on CPU and says why in {@link #fallbackReason()}.
 */
public final class OnnxEngine implements AutoCloseable {

    public static final String CPU = "cpu";
    public static final String CUDA = "cuda";

    private final EngineOptions options;
    private final OrtEnvironment env;
    private final String defaultDevice;
    private String fallbackReason;
    private final Set<OrtLoadedModel> open = ConcurrentHashMap.newKeySet();

    /**
     * @throws EngineException when CUDA is requested explicitly, its execution provider cannot start and CPU fallback
     *                         is not allowed; the message says why and which setting allows the fallback
     */
    public OnnxEngine(EngineOptions options) {
        this.options = options == null ? EngineOptions.defaults() : options;
        this.env = environment();
        this.defaultDevice = chooseDevice();
    }

    /** Stack for loading ONNX Runtime's native libraries: far more than their initialisation was seen to need. */
    private static final long LOADER_STACK_BYTES = 64L << 20;

    /**
     * ONNX Runtime's environment, created on a thread of its own with a large stack. Loading the native library runs
     * its static initialisers on the calling thread, and on a default 1 MB Java stack that was seen to overflow, as a
     * SIGSEGV without any JVM error report, depending on nothing more than the length of the class path (the benchmark
     * harness crashed once gRPC's jars were added to it; with -Xss4m it did not).
     */
    private static OrtEnvironment environment() {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread loader = new Thread(null, () -> {
            try {
                outcome.set(OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "aiaas"));
            } catch (Throwable t) {
                outcome.set(t);
            }
        }, "onnxruntime-loader", LOADER_STACK_BYTES);
        loader.start();
        boolean interrupted = false;
        while (true) {
            try {
                loader.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the load cannot be abandoned half-way: wait for it, then restore the flag
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Object result = outcome.get();
        if (result instanceof OrtEnvironment env) {
            return env;
        }
        if (result instanceof RuntimeException e) {
            throw e;
        }
        if (result instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("ONNX Runtime could not be loaded", (Throwable) result);
    }

    private String chooseDevice() {
        return switch (options.device()) {
            case CPU -> CPU;
            case CUDA -> {
                String problem = cudaProblem();
                if (problem == null) {
                    yield CUDA;
                }
                if (!options.cuda().allowCpuFallback()) {
                    throw new EngineException("CUDA was requested but cannot be used: " + problem
                            + " (set aiaas.worker.cuda.allow-cpu-fallback=true to start on CPU instead)");
                }
                fallbackReason = problem;
                yield CPU;
            }
            case AUTO -> cudaProblem() == null ? CUDA : CPU;
        };
    }

    /** Null when the CUDA execution provider can be added to a session, else why not. */
    private String cudaProblem() {
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return "this ONNX Runtime build has no CUDA execution provider (build with -Pgpu for onnxruntime_gpu)";
        }
        try (OrtSession.SessionOptions probe = new OrtSession.SessionOptions()) {
            addCuda(probe);
            return null;
        } catch (OrtException | RuntimeException | LinkageError e) {
            return "the CUDA execution provider failed to start on device " + options.cudaDeviceId() + ": "
                    + e.getMessage();
        }
    }

    /** Adds the CUDA execution provider with the configured options (device id, memory limit, arena strategy...). */
    private void addCuda(OrtSession.SessionOptions sessionOptions) throws OrtException {
        Map<String, String> providerOptions = options.cuda().providerOptions(options.cudaDeviceId());
        // The session options copy the provider options when they are appended; ours can be released right after.
        try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(options.cudaDeviceId())) {
            for (Map.Entry<String, String> option : providerOptions.entrySet()) {
                cuda.add(option.getKey(), option.getValue());
            }
            sessionOptions.addCUDA(cuda);
        }
    }

    /**
     * Why this engine runs on CPU although CUDA was asked for ({@code device=cuda} with the CPU fallback allowed);
     * null when it runs where it was asked to (or AUTO chose).
     */
    public String fallbackReason() {
        return fallbackReason;
    }

    /** "cuda" or "cpu": where models loaded by this engine run. */
    public String defaultDevice() {
        return defaultDevice;
    }

    public EngineOptions options() {
        return options;
    }

    /**
     * Loads a model into a new session: a self-contained {@code .onnx} file, or a zip archive of a model and its
     * external data ({@link ModelArchive}, unpacked beside it on first use, without a limit on its size).
     *
     * @throws ModelLoadException when the file is missing, references external data it may not, or ONNX Runtime
     *                            rejects it
     */
    public LoadedModel load(Path file) {
        return load(file, Long.MAX_VALUE);
    }

    /**
     * As {@link #load(Path)}, an archive unpacking to at most {@code maxUnpackedBytes}.
     *
     * @throws ModelLoadException as {@link #load(Path)}, and naming what is wrong with an archive
     */
    public LoadedModel load(Path file, long maxUnpackedBytes) {
        if (!Files.isRegularFile(file)) {
            // the file name only: this message may reach an API answer, the server's directories must not
            throw new ModelLoadException("model file not found: " + file.getFileName());
        }
        Path onnxFile = file;
        ExternalDataCheck.Findings findings;
        try {
            if (ModelArchive.isArchive(file)) {
                onnxFile = ModelArchive.unpack(file, maxUnpackedBytes);
                findings = ExternalDataCheck.requireWithin(onnxFile, ModelArchive.unpackedDir(file));
            } else {
                findings = ExternalDataCheck.requireSelfContained(file);
            }
        } catch (IOException e) {
            throw new ModelLoadException("cannot read the model file", e);
        }
        if (CUDA.equals(defaultDevice)) {
            try {
                return open(onnxFile, CUDA, findings);
            } catch (ModelLoadException e) {
                if (options.device() == EngineOptions.Device.CUDA) {
                    throw e;
                }
                // AUTO: a model CUDA cannot take (say, an operator without a CUDA kernel setup) still runs on CPU.
            }
        }
        return open(onnxFile, CPU, findings);
    }

    private LoadedModel open(Path onnxFile, String device, ExternalDataCheck.Findings findings) {
        OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions();
        OrtSession session = null;
        try {
            sessionOptions.setIntraOpNumThreads(options.intraOpThreads());
            sessionOptions.setInterOpNumThreads(options.interOpThreads());
            sessionOptions.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // A run that a client's values make fail is not an error of this process: ONNX Runtime would log each one
            // at ERROR with its source paths. The exception carries the reason to whoever decides what to log.
            sessionOptions.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            if (CUDA.equals(device)) {
                addCuda(sessionOptions);
            }
            session = env.createSession(onnxFile.toString(), sessionOptions);
            OrtLoadedModel[] self = new OrtLoadedModel[1];
            OrtLoadedModel model = new OrtLoadedModel(env, session, sessionOptions, device, findings,
                    options.maxRunTime(), () -> open.remove(self[0]));
            self[0] = model;
            open.add(model);
            return model;
        } catch (OrtException e) {
            closeQuietly(session, sessionOptions);
            throw new ModelLoadException("ONNX Runtime cannot load the model: " + OrtErrors.clean(e.getMessage()), e);
        } catch (RuntimeException e) {
            closeQuietly(session, sessionOptions);
            throw e;
        }
    }

    private static void closeQuietly(OrtSession session, OrtSession.SessionOptions sessionOptions) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // already failing; the original error is what matters
            }
        }
        sessionOptions.close();
    }

    /** Closes every model still open. The ONNX Runtime environment is process-wide and stays. */
    @Override
    public void close() {
        for (OrtLoadedModel model : new ArrayList<>(open)) {
            model.close();
        }
    }
}
