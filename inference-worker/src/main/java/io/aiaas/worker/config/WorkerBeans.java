package io.aiaas.worker.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.engine.CudaOptions;
import io.aiaas.engine.EngineOptions;
import io.aiaas.engine.OnnxEngine;
import io.aiaas.internalauth.CachedTokenSource;
import io.aiaas.protocol.InferenceCodec;
import io.aiaas.worker.model.ArtifactDownloader;
import io.aiaas.worker.model.MemoryBudget;
import io.aiaas.worker.model.ModelMetrics;
import io.aiaas.worker.model.ModelRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.Locale;

/** Wires the plain-Java parts (engine, registry) into CDI; the token helpers are in security.SecurityBeans. */
public class WorkerBeans {

    private static final Logger LOG = Logger.getLogger(WorkerBeans.class);

    /**
     * The engine on the configured device. Asked for CUDA without it: with {@code cuda.allow-cpu-fallback} it runs on
     * CPU (WARN, counted); without, the start fails with the engine's reason and the process exits non-zero.
     */
    @Produces
    @Singleton
    OnnxEngine engine(WorkerConfig config, MeterRegistry meters) {
        OnnxEngine engine = new OnnxEngine(engineOptions(config));
        if (engine.fallbackReason() != null) {
            LOG.warnf("aiaas.worker.device=cuda but CUDA cannot be used (%s): running on CPU because "
                    + "aiaas.worker.cuda.allow-cpu-fallback=true", engine.fallbackReason());
            Counter.builder("aiaas.worker.device.fallback")
                    .description("Engine starts on CPU although CUDA was configured")
                    .tag("asked", "cuda").tag("used", engine.defaultDevice()).register(meters).increment();
        }
        LOG.infof("ONNX Runtime engine ready: device %s asked, %s used", config.device(), engine.defaultDevice());
        return engine;
    }

    /** The engine options from the settings; a bad value fails the start naming the setting. */
    static EngineOptions engineOptions(WorkerConfig config) {
        EngineOptions.Device device;
        try {
            device = EngineOptions.Device.valueOf(config.device().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("aiaas.worker.device must be auto, cpu or cuda, not '" + config.device() + "'");
        }
        CudaOptions cuda;
        try {
            cuda = new CudaOptions(config.cuda().memoryLimitBytes(),
                    CudaOptions.ArenaExtendStrategy.parse(config.cuda().arenaExtendStrategy().orElse(null)),
                    CudaOptions.ConvAlgoSearch.parse(config.cuda().cudnnConvAlgoSearch().orElse(null)),
                    config.cuda().allowCpuFallback());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("aiaas.worker.cuda.*: " + e.getMessage());
        }
        return new EngineOptions(device, config.intraOpThreads(), config.interOpThreads(), config.cudaDeviceId(),
                config.maxRunTime(), cuda);
    }

    /** Starts ONNX Runtime with the application, so a bad device setting fails the start rather than the first request. */
    void startEngine(@Observes StartupEvent event, OnnxEngine engine) {
        engine.defaultDevice();
    }

    void closeEngine(@Disposes OnnxEngine engine) {
        engine.close();
    }

    /** The Open Inference Protocol codec on the application's ObjectMapper, so that its stream limits apply. */
    @Produces
    @Singleton
    InferenceCodec codec(ObjectMapper mapper) {
        return new InferenceCodec(mapper);
    }

    /** Artifacts come from the configured control plane only, whatever a request or an answer says. */
    @Produces
    @Singleton
    ModelRegistry registry(OnnxEngine engine, CachedTokenSource tokens, WorkerConfig config, InferenceCodec codec,
                           MeterRegistry meters) {
        ArtifactDownloader downloader = new ArtifactDownloader(tokens::token, config.cacheDir(),
                config.controlPlane().url());
        int leftovers = downloader.removeLeftovers();
        if (leftovers > 0) {
            Logger.getLogger(WorkerBeans.class).infof("removed %d files a previous process left in %s", leftovers,
                    config.cacheDir());
        }
        return new ModelRegistry(engine, downloader, codec, config.loadThreads(),
                new MemoryBudget(config.memory().hostBudgetBytes(), config.memory().deviceBudgetBytes()),
                new ModelMetrics(meters));
    }

    void closeRegistry(@Disposes ModelRegistry registry) {
        registry.close();
    }
}
