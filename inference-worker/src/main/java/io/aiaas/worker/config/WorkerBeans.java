package io.aiaas.worker.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aiaas.engine.EngineOptions;
import io.aiaas.engine.OnnxEngine;
import io.aiaas.internalauth.CachedTokenSource;
import io.aiaas.protocol.InferenceCodec;
import io.aiaas.worker.model.ArtifactDownloader;
import io.aiaas.worker.model.ModelRegistry;
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

    @Produces
    @Singleton
    OnnxEngine engine(WorkerConfig config) {
        EngineOptions.Device device;
        try {
            device = EngineOptions.Device.valueOf(config.device().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("aiaas.worker.device must be auto, cpu or cuda, not '" + config.device() + "'");
        }
        OnnxEngine engine = new OnnxEngine(new EngineOptions(device, config.intraOpThreads(), config.interOpThreads(),
                config.cudaDeviceId(), config.maxRunTime()));
        LOG.infof("ONNX Runtime engine ready: device %s asked, %s used", device, engine.defaultDevice());
        return engine;
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
    ModelRegistry registry(OnnxEngine engine, CachedTokenSource tokens, WorkerConfig config, InferenceCodec codec) {
        return new ModelRegistry(engine,
                new ArtifactDownloader(tokens::token, config.cacheDir(), config.controlPlane().url()),
                codec, config.loadThreads());
    }

    void closeRegistry(@Disposes ModelRegistry registry) {
        registry.close();
    }
}
