package io.aiaas.worker.config;

import io.aiaas.engine.EngineOptions;
import io.aiaas.engine.OnnxEngine;
import io.aiaas.internalauth.Audiences;
import io.aiaas.internalauth.CachedTokenSource;
import io.aiaas.internalauth.InternalTokens;
import io.aiaas.internalauth.Issuers;
import io.aiaas.worker.model.ArtifactDownloader;
import io.aiaas.worker.model.ModelRegistry;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Locale;

/** Wires the plain-Java parts (engine, registry, token helpers) into CDI. */
public class WorkerBeans {

    @Produces
    @Singleton
    InternalTokens internalTokens(@ConfigProperty(name = "aiaas.internal-auth.secret") String secret) {
        return new InternalTokens(secret);
    }

    /** Tokens this worker presents to the control plane. */
    @Produces
    @Singleton
    CachedTokenSource controlPlaneTokens(InternalTokens tokens, WorkerConfig config) {
        return new CachedTokenSource(tokens, Issuers.WORKER, Audiences.CONTROL_PLANE, config.name(), Duration.ofSeconds(60));
    }

    @Produces
    @Singleton
    @DefaultBean
    OnnxEngine engine(WorkerConfig config) {
        EngineOptions.Device device = EngineOptions.Device.valueOf(config.device().toUpperCase(Locale.ROOT));
        return new OnnxEngine(new EngineOptions(device, config.intraOpThreads(), config.interOpThreads(), config.cudaDeviceId()));
    }

    void closeEngine(@Disposes OnnxEngine engine) {
        engine.close();
    }

    @Produces
    @Singleton
    ModelRegistry registry(OnnxEngine engine, CachedTokenSource tokens, WorkerConfig config) {
        return new ModelRegistry(engine, new ArtifactDownloader(tokens::token, config.cacheDir()), config.loadThreads());
    }

    void closeRegistry(@Disposes ModelRegistry registry) {
        registry.close();
    }
}
