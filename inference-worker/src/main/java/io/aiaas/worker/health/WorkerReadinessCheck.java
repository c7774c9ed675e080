package io.aiaas.worker.health;

import io.aiaas.engine.OnnxEngine;
import io.aiaas.worker.model.ModelRegistry;
import io.aiaas.worker.model.ModelState;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the ONNX Runtime engine is up; reports the device and how many versions are READY. */
@Readiness
@ApplicationScoped
public class WorkerReadinessCheck implements HealthCheck {

    private final OnnxEngine engine;
    private final ModelRegistry registry;

    public WorkerReadinessCheck(OnnxEngine engine, ModelRegistry registry) {
        this.engine = engine;
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        long ready = registry.all().stream().filter(v -> v.state() == ModelState.READY).count();
        return HealthCheckResponse.named("inference-worker").up()
                .withData("device", engine.defaultDevice())
                .withData("models_ready", ready)
                .build();
    }
}
